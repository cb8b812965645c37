import { toPlainText } from "../../bot/markdown.js";
import type { Reply } from "../../core/reply.js";

/** A button or select option the console has shown; `!N` presses it. */
type ConsoleChoice = {
  customId: string;
  values: string[];
  label: string;
  /** Where the button was shown: the press comes from that channel, as it would on a real platform. */
  channelId: string;
};

/**
 * Every button shown during the session, numbered once for the whole session: a vote button on a
 * channel post or a « Répondre » in a DM stays pressable after other replies. The same button shown
 * again (an edited card, a page redrawn) keeps its number.
 */
export class ConsoleButtons {
  private readonly shown: ConsoleChoice[] = [];
  private readonly numbers = new Map<string, number>();

  number(choice: ConsoleChoice): number {
    const key = JSON.stringify([choice.channelId, choice.customId, choice.values]);
    const known = this.numbers.get(key);
    if (known !== undefined) {
      this.shown[known - 1] = choice; // the label may have changed (a vote count)
      return known;
    }
    this.shown.push(choice);
    this.numbers.set(key, this.shown.length);
    return this.shown.length;
  }

  get(n: number): ConsoleChoice | undefined {
    return Number.isInteger(n) && n >= 1 ? this.shown[n - 1] : undefined;
  }

  get size(): number {
    return this.shown.length;
  }
}

/** Renders a reply as plain text; buttons and select options get their session number. */
export function renderReply(reply: Reply, channelId: string, buttons: ConsoleButtons): string {
  const lines: string[] = [];
  if (reply.ping?.length) lines.push(reply.ping.join(" "));
  if (reply.title) lines.push(`== ${toPlainText(reply.title)} ==`);
  if (reply.text) lines.push(toPlainText(reply.text));
  for (const field of reply.fields ?? []) {
    const value = toPlainText(field.value);
    lines.push(value.includes("\n") ? `${field.name} :\n  ${value.split("\n").join("\n  ")}` : `${field.name} : ${value}`);
  }
  let pressable = 0;
  const offer = (choice: Omit<ConsoleChoice, "channelId">, suffix = "") => {
    pressable++;
    lines.push(`  [${buttons.number({ ...choice, channelId })}] ${choice.label}${suffix}`);
  };
  for (const row of reply.components ?? []) {
    if ("buttons" in row) {
      for (const b of row.buttons) {
        if (b.kind === "link") lines.push(`  (lien) ${b.label} : ${b.url}`);
        else if (!b.disabled) offer({ customId: b.id, values: [], label: b.label });
      }
    } else {
      lines.push(`  ${row.select.placeholder ?? "Choisissez :"}`);
      for (const o of row.select.options) offer({ customId: row.select.id, values: [o.value], label: o.label }, o.description ? ` — ${o.description}` : "");
    }
  }
  for (const file of reply.files ?? []) lines.push(`  (fichier joint : ${file.name}, ${file.data.length} octets)`);
  if (pressable) lines.push("Tapez !numéro pour choisir.");
  return lines.join("\n");
}
