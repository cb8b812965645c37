/**
 * A form refused for one field must not lose what was typed. The router remembers each form it
 * opens (per person and form); when a submission is refused field by field (FieldsRefused), the
 * same form comes back filled with what was typed, each bad field carrying its error: Slack keeps
 * its view open with the errors, the console asks again, and on Discord — which cannot answer a
 * form with a form — the refusal carries a « Corriger le formulaire » button that reopens it.
 *
 * Kept in memory only, for a while: what a member typed is not written anywhere because it was
 * refused. After a restart or an hour, the button says so and the command is to be run again.
 */
import { randomBytes } from "node:crypto";
import { foldChoice } from "../core/choices.js";
import type { FieldProblem, FieldsRefused } from "../core/errors.js";
import type { PlatformUser } from "../core/interaction.js";
import { componentId, privateReply, type Modal, type Reply } from "../core/reply.js";

/** Component ids the router owns: `formulaire:corriger:<token>`. */
export const RETRY_ROUTE = "formulaire";
const KEEP_MS = 3600_000;
const MAX_KEPT = 500;

interface Kept<T> {
  owner: string;
  until: number;
  value: T;
}

/** A small map whose entries expire, the oldest dropped first beyond MAX_KEPT. */
class Expiring<T> {
  private readonly entries = new Map<string, Kept<T>>();

  set(key: string, owner: string, value: T, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { owner, until: now + KEEP_MS, value });
    for (const [k, e] of this.entries) {
      if (this.entries.size <= MAX_KEPT && e.until > now) break;
      this.entries.delete(k);
    }
  }

  get(key: string, owner: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    return entry && entry.owner === owner && entry.until > now ? entry.value : undefined;
  }
}

const ownerOf = (user: PlatformUser) => `${user.platform}:${user.id}`;

export class FormRetry {
  private readonly opened = new Expiring<Modal>();
  private readonly refused = new Expiring<Modal>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Called with every reply the router gives: a form it opens is remembered for its submission. */
  remember(user: PlatformUser, reply: Reply): void {
    const modal = reply.modal ?? reply.retryForm;
    if (modal) this.opened.set(`${ownerOf(user)}:${modal.id}`, ownerOf(user), modal, this.now());
  }

  /**
   * The refusal of a submitted form, with the form filled again; null when this form was not
   * opened by the router for that person (or too long ago): the plain refusal is all there is.
   */
  refusal(user: PlatformUser, formId: string, typed: Record<string, string>, error: FieldsRefused): Reply | null {
    const form = this.opened.get(`${ownerOf(user)}:${formId}`, ownerOf(user), this.now());
    if (!form) return null;
    const errors = new Map(error.problems.map((p) => [fieldOf(form, p), p] as const).filter(([id]) => id !== undefined));
    const retryForm: Modal = {
      ...form,
      fields: form.fields.map((f) => {
        const problem = errors.get(f.id);
        const { error: _old, ...field } = f;
        const value = typed[f.id] ?? f.value;
        return { ...field, value: value || undefined, ...(problem ? { error: errorLine(problem) } : {}) };
      }),
    };
    const token = randomBytes(9).toString("base64url");
    this.refused.set(token, ownerOf(user), retryForm, this.now());
    // The refusal as it stands (its fields, then « Rien n'a été … »), with the way back before its last line.
    const lines = error.message.split("\n");
    const kept = `Ce que vous avez tapé est gardé : corrigez ${errors.size > 1 ? "ces champs" : "ce champ"} dans le formulaire.`;
    return privateReply([...lines.slice(0, -1), kept, ...lines.slice(-1)].join("\n"), {
      tone: "warning",
      retryForm,
      components: [{ buttons: [{ kind: "button", id: componentId(RETRY_ROUTE, "corriger", token), label: "Corriger le formulaire", style: "primary" }] }],
    });
  }

  /** The « Corriger le formulaire » button: the refused form, filled, for the person who filled it. */
  reopen(user: PlatformUser, token: string): Reply {
    const form = this.refused.get(token, ownerOf(user), this.now());
    if (!form) return privateReply("Ce formulaire n'est plus disponible (plus d'une heure, ou le bot a redémarré) : relancez la commande.", { tone: "warning" });
    return { modal: form };
  }
}

/** Which field of the form a problem names: its id, its label, or the start of its label (« nom — description »). */
function fieldOf(form: Modal, problem: FieldProblem): string | undefined {
  if (problem.input && form.fields.some((f) => f.id === problem.input)) return problem.input;
  const name = foldChoice(problem.field);
  return form.fields.find((f) => f.id === problem.field || foldChoice(f.label) === name || foldChoice(f.label).startsWith(`${name} —`))?.id;
}

function errorLine(problem: FieldProblem): string {
  const stop = /[.!?»]$/.test(problem.message) ? "" : ".";
  return `${problem.message.charAt(0).toUpperCase()}${problem.message.slice(1)}${stop}${problem.expected ? ` Forme attendue : ${problem.expected}.` : ""}`;
}
