// Matrix has no forms: a form becomes a short exchange in the person's direct room with the bot, as
// on the console — one question per message, « - » keeps the value shown, « !annuler » abandons
// (nothing is recorded), and a new `!` command abandons it too and runs.
import type { Modal } from "../../core/reply.js";

const CANCEL = "!annuler";
const KEEP = "-";

export interface FormInProgress {
  modal: Modal;
  /** Where the command that opened the form was run: the submission comes from there. */
  channelId: string;
  /** The direct room where the questions are asked. */
  roomId: string;
  answers: Record<string, string>;
  next: number;
}

export function introduction(modal: Modal): string {
  return `Formulaire « ${modal.title} » : répondez à chaque question par un message (« ${KEEP} » garde la valeur indiquée, « ${CANCEL} » abandonne).`;
}

/** The question for the form's next field, with its current value and what was wrong with it. */
export function question(form: FormInProgress): string {
  const field = form.modal.fields[form.next]!;
  const lines: string[] = [];
  if (field.error) lines.push(`⚠️ ${field.label} : ${field.error}`);
  if (field.placeholder) lines.push(`(${field.placeholder})`);
  const current = field.value ? ` [${field.value}]` : "";
  lines.push(`${form.next + 1}/${form.modal.fields.length} — ${field.label}${field.required ? " (obligatoire)" : ""}${current} :`);
  return lines.join("\n");
}

type FormStep = { kind: "cancelled" } | { kind: "ask"; text: string } | { kind: "complete"; fields: Record<string, string> };

/** Takes one answer; says what to do next. */
export function answer(form: FormInProgress, text: string): FormStep {
  const typed = text.trim();
  if (typed.toLowerCase() === CANCEL) return { kind: "cancelled" };
  const field = form.modal.fields[form.next]!;
  form.answers[field.id] = typed === KEEP ? (field.value ?? "") : typed;
  form.next++;
  if (form.next < form.modal.fields.length) return { kind: "ask", text: question(form) };
  return { kind: "complete", fields: form.answers };
}

export function cancelled(modal: Modal): string {
  return `Formulaire « ${modal.title} » abandonné : rien n'a été enregistré.`;
}
