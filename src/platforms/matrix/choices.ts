// Matrix has no buttons: each button of a reply (and each option of a select) becomes a numbered
// choice, answered by reacting with its emoji or by writing its number in the message's thread.
// The choices of the bot's messages are remembered by event id (the last few hundred), and each
// message carries its own choices too, so one answered after a restart, or older than that, is
// read back from the message itself.
import type { Reply } from "../../core/reply.js";

export interface Choice {
  number: number;
  emoji: string;
  label: string;
  customId: string;
  values: string[];
}

const KEYCAPS = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"];
/** Answers to a meeting, as Element users react to an invitation. */
const RSVP_EMOJI: Record<string, string> = { oui: "✅", peutetre: "❔", non: "❌" };
const KEPT = 500;

/**
 * A vote is private on Discord and Slack (a button click only the voter sees), but a reaction in a
 * room is seen by the whole room. In a shared room, a poll's vote buttons become one 🗳️ choice:
 * reacting with it (which says nothing of the choice) brings the person their ballot in their direct
 * room, where their reaction is seen by no one else.
 */
export const BALLOT_EMOJI = "🗳️";
export const BALLOT_ID = "matrix:bulletin";
const SECRET = /^sondage:(vote|monvote):/;

/** The choices of a message in a shared room: secret ones (votes) replaced by the ballot choice. */
export function sharedRoomChoices(choices: Choice[]): Choice[] {
  const open = choices.filter((c) => !SECRET.test(c.customId));
  if (open.length === choices.length) return choices;
  return [...open, { number: open.length + 1, emoji: BALLOT_EMOJI, label: "Recevoir mon bulletin de vote en privé", customId: BALLOT_ID, values: [] }].map((c, i) => ({ ...c, number: i + 1, emoji: c.customId === BALLOT_ID ? BALLOT_EMOJI : emojiFor(c.customId, i + 1) }));
}

/** The secret choices (votes), listed on a shared room's card without a way to answer them there. */
export function secretChoices(choices: Choice[]): Choice[] {
  return choices.filter((c) => SECRET.test(c.customId));
}

function emojiFor(customId: string, number: number): string {
  const rsvp = /^rencontre:rsvp:.*:(oui|peutetre|non)$/.exec(customId);
  if (rsvp) return RSVP_EMOJI[rsvp[1]!]!;
  return KEYCAPS[number - 1] ?? `${number}.`;
}

export function choicesOf(reply: Reply): Choice[] {
  const out: Choice[] = [];
  const add = (customId: string, values: string[], label: string) => {
    const number = out.length + 1;
    out.push({ number, emoji: emojiFor(customId, number), label, customId, values });
  };
  for (const row of reply.components ?? []) {
    if ("buttons" in row) {
      for (const b of row.buttons) if (b.kind === "button" && !b.disabled) add(b.id, [], b.label);
    } else {
      for (const o of row.select.options) add(row.select.id, [o.value], o.description ? `${o.label} — ${o.description}` : o.label);
    }
  }
  return out;
}

/** Where the bot's message keeps its choices (see the top of this file). */
export const CHOICES_KEY = "fr.promeneurs-du-net.choices";

/**
 * Where a shared room's card keeps its ballot (its title, text and secret choices), so that 🗳️
 * still brings the ballot after a restart; only the direct room ever shows its choices as answerable.
 */
export const BALLOT_KEY = "fr.promeneurs-du-net.ballot";

function choiceList(raw: unknown): Choice[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const valid = raw.every(
    (c: Partial<Choice>) => typeof c?.number === "number" && typeof c.emoji === "string" && typeof c.label === "string" && typeof c.customId === "string" && Array.isArray(c.values) && c.values.every((v) => typeof v === "string"),
  );
  return valid ? (raw as Choice[]) : undefined;
}

/** The choices a bot message carries, or undefined when its content holds none (or a malformed list). */
export function storedChoices(content: Record<string, unknown>): Choice[] | undefined {
  return choiceList(content[CHOICES_KEY]);
}

/** The ballot a card carries, as the reply sent in the direct room; undefined when it has none. */
export function storedBallot(content: Record<string, unknown>): Reply | undefined {
  const raw = content[BALLOT_KEY] as { title?: unknown; text?: unknown; choices?: unknown } | undefined;
  const choices = choiceList(raw?.choices);
  if (!raw || !choices) return undefined;
  return {
    title: typeof raw.title === "string" ? raw.title : undefined,
    text: typeof raw.text === "string" ? raw.text : undefined,
    components: [{ buttons: choices.map((c) => ({ kind: "button" as const, id: c.customId, label: c.label })) }],
  };
}

/** Emoji keys as clients send them: the variation selector is optional (« ✅ » or « ✅️ »). */
const bare = (emoji: string) => emoji.replace(/\uFE0F/g, "");

export class ChoiceBook {
  private readonly byEvent = new Map<string, { roomId: string; choices: Choice[]; reply?: Reply }>();
  /** Thread root → the latest bot message with choices in that thread. */
  private readonly latestInThread = new Map<string, string>();

  /** For a message read back after a restart, `reply` is only the ballot its content keeps (or nothing). */
  remember(roomId: string, eventId: string, choices: Choice[], reply: Reply | undefined, threadRoot?: string): void {
    if (choices.length === 0) return;
    this.byEvent.delete(eventId);
    this.byEvent.set(eventId, { roomId, choices, reply });
    this.latestInThread.set(threadRoot ?? eventId, eventId);
    if (this.byEvent.size > KEPT) this.byEvent.delete(this.byEvent.keys().next().value!);
  }

  /** The reply a message showed (a ballot repeats it in the direct room). */
  replyOf(eventId: string): Reply | undefined {
    return this.byEvent.get(eventId)?.reply;
  }

  /** An edit of a message keeps answering under the original's event id. */
  has(eventId: string): boolean {
    return this.byEvent.has(eventId);
  }

  byReaction(eventId: string, key: string): { eventId: string; choice: Choice } | undefined {
    const entry = this.byEvent.get(eventId);
    const choice = entry?.choices.find((c) => bare(c.emoji) === bare(key));
    return choice && { eventId, choice };
  }

  /** « 2 » written in a thread (or in reply to a message): the choice of that thread's latest message. */
  byNumber(threadRoot: string, text: string): { eventId: string; choice: Choice } | undefined {
    const n = /^\s*(\d{1,2})\s*$/.exec(text);
    if (!n) return undefined;
    const eventId = this.byEvent.has(threadRoot) ? threadRoot : this.latestInThread.get(threadRoot);
    const choice = eventId ? this.byEvent.get(eventId)?.choices.find((c) => c.number === Number(n[1])) : undefined;
    return choice && eventId ? { eventId, choice } : undefined;
  }
}
