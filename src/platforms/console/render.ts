import { toPlainText } from "../../bot/markdown.js";
import type { Reply } from "../../core/reply.js";

/** A choice the next line can pick with `!N`. */
export type ConsoleChoice = { customId: string; values: string[]; label: string };

/** Renders a reply as plain text; buttons and select options become numbered choices. */
export function renderReply(reply: Reply): { text: string; choices: ConsoleChoice[] } {
  const lines: string[] = [];
  if (reply.ping?.length) lines.push(reply.ping.join(" "));
  if (reply.title) lines.push(`== ${toPlainText(reply.title)} ==`);
  if (reply.text) lines.push(toPlainText(reply.text));
  for (const field of reply.fields ?? []) {
    const value = toPlainText(field.value);
    lines.push(value.includes("\n") ? `${field.name} :\n  ${value.split("\n").join("\n  ")}` : `${field.name} : ${value}`);
  }
  const choices: ConsoleChoice[] = [];
  for (const row of reply.components ?? []) {
    if ("buttons" in row) {
      for (const b of row.buttons) {
        if (b.kind === "link") lines.push(`  (lien) ${b.label} : ${b.url}`);
        else if (!b.disabled) {
          choices.push({ customId: b.id, values: [], label: b.label });
          lines.push(`  [${choices.length}] ${b.label}`);
        }
      }
    } else {
      lines.push(`  ${row.select.placeholder ?? "Choisissez :"}`);
      for (const o of row.select.options) {
        choices.push({ customId: row.select.id, values: [o.value], label: o.label });
        lines.push(`  [${choices.length}] ${o.label}${o.description ? ` — ${o.description}` : ""}`);
      }
    }
  }
  for (const file of reply.files ?? []) lines.push(`  (fichier joint : ${file.name}, ${file.data.length} octets)`);
  if (choices.length) lines.push("Tapez !numéro pour choisir.");
  return { text: lines.join("\n"), choices };
}
