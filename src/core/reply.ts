import { UserError } from "./errors.js";

/**
 * The neutral reply every command returns. Adapters render it as Discord embeds and
 * components, Slack Block Kit, or console text. Text uses a small Markdown subset:
 * **bold**, *italic*, `code`, [label](url), and "- " lists.
 */
export interface Reply {
  title?: string;
  text?: string;
  fields?: ReplyField[];
  /** Rows of buttons, or a select menu on its own row. */
  components?: ComponentRow[];
  files?: ReplyFile[];
  /** Shown only to the person who asked (Discord ephemeral, Slack ephemeral, console as is). */
  private?: boolean;
  /** For a button/select answer: replace the message that carried the component. */
  update?: boolean;
  /** Open a form instead of posting a message (Discord modal, Slack view, console prompts). */
  modal?: Modal;
  /**
   * A submitted form was refused: the same form, filled with what was typed, each bad field
   * carrying its error. Where the platform can, it stays or opens again at once (Slack keeps the
   * view open with the errors, the console asks again); the text and its « Corriger » button
   * are the way back everywhere else (Discord cannot answer a form with a form).
   */
  retryForm?: Modal;
  /**
   * Platform mentions that must notify (e.g. the reminder-channel fallback). Kept apart from
   * the text because a mention inside a Discord embed is shown but never pings.
   */
  ping?: string[];
  /** Tone of the reply, rendered as colour where the platform has one. */
  tone?: "info" | "success" | "warning" | "error";
  /**
   * The same poll as the platform's own, where it has one that can carry a shared count (Matrix's
   * m.poll.start). The vote buttons stay: they are the way to answer everywhere else.
   */
  poll?: NativePoll;
}

/**
 * A poll a platform may show natively. An answer comes back as a component interaction on
 * `route` whose `values` are the chosen answers' ids: the whole set, replacing the member's
 * previous choices, as a select menu's values do (a native poll sends every answer at once).
 */
export interface NativePoll {
  route: string;
  question: string;
  answers: { id: string; label: string }[];
  /** 1 for a single-choice poll. */
  maxSelections: number;
  /** Set once the poll is closed: the result, as the closing message's text. */
  closedResult?: string;
}

export interface ReplyField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Button {
  kind: "button";
  /** Route back to the command: `command:action:arg…` (≤ 100 characters for Discord). */
  id: string;
  label: string;
  style?: "primary" | "secondary" | "success" | "danger";
  disabled?: boolean;
}

interface LinkButton {
  kind: "link";
  url: string;
  label: string;
}

interface Select {
  kind: "select";
  id: string;
  placeholder?: string;
  options: { label: string; value: string; description?: string }[];
  minValues?: number;
  maxValues?: number;
}

export type ComponentRow = { buttons: (Button | LinkButton)[] } | { select: Select };

export interface ModalField {
  id: string;
  label: string;
  style?: "short" | "paragraph";
  required?: boolean;
  value?: string;
  placeholder?: string;
  maxLength?: number;
  /** Why the value shown was refused (a form opened again after a refusal). */
  error?: string;
}

export interface Modal {
  /** Route of the submission, like a component id. */
  id: string;
  title: string;
  /** At most 5: Discord's limit for text inputs in one modal. */
  fields: ModalField[];
}

export interface ReplyFile {
  name: string;
  data: Buffer;
  contentType?: string;
  description?: string;
}

/** Platform limits the neutral model must respect, checked once here rather than in each adapter. */
export const LIMITS = {
  componentId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  selectOptions: 25,
  modalFields: 5,
  modalTitle: 45,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  text: 4000,
} as const;

export function privateReply(text: string, extra: Omit<Reply, "text" | "private"> = {}): Reply {
  return { text, private: true, ...extra };
}

/** Builds a component id, escaping the separator so free text (a search) can travel in it. */
export function componentId(...parts: (string | number)[]): string {
  const id = parts.map((p) => String(p).replace(/%/g, "%25").replace(/:/g, "%3A")).join(":");
  if (id.length > LIMITS.componentId) throw new Error(`component id too long (${id.length}): ${id}`);
  return id;
}

export function parseComponentId(id: string): string[] {
  return id.split(":").map((p) => p.replace(/%3A/g, ":").replace(/%25/g, "%"));
}

/** What a button, select or form whose id names nothing (stale, forged or cut short) answers. */
export const STALE_COMPONENT = "Ce bouton n'est plus valable. Relancez la commande pour obtenir une version à jour.";

/** Rows are numbered, and whole numbers stored, as 32-bit integers: a larger number names nothing. */
export const MAX_STORED_INTEGER = 2_147_483_647;

/**
 * A whole number carried by a component id (a row id, a page, a position), or undefined for
 * anything else. Component ids come back from the platform as they were sent — or forged, or cut
 * short — so « 1.5 », « NaN », « -1 » or a number past the store's integers must never reach a
 * query or an index as such.
 */
export function numberArg(raw: string | undefined, min = 1): number | undefined {
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= MAX_STORED_INTEGER ? n : undefined;
}

/** The first `count` arguments as numbers (see numberArg); anything else is refused in French. */
export function numberArgs(args: readonly string[], count: number, min = 1): number[] {
  const values = args.slice(0, count).map((a) => numberArg(a, min));
  if (values.length < count || values.some((n) => n === undefined)) throw new UserError(STALE_COMPONENT);
  return values as number[];
}
