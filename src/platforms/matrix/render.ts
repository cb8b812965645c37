// The neutral reply as a Matrix message: a plain `body` and an HTML `formatted_body`. Everything that
// is not one of the bot's tokens is escaped (HTML and Matrix's @room keyword); mentions are user
// pills listed in `m.mentions`, which never names the room. Buttons and select options become
// numbered choices answered by a reaction or by the number in the thread (see ./choices.ts). Files
// are sent after the message, as Matrix media (see ./attachments.ts and MatrixOutbound).
import { pieces } from "../../core/markup.js";
import type { Reply } from "../../core/reply.js";
import { BALLOT_EMOJI, BALLOT_KEY, CHOICES_KEY, choicesOf, secretChoices, sharedRoomChoices, type Choice } from "./choices.js";

export interface MatrixContent {
  msgtype: "m.text" | "m.notice";
  body: string;
  format: "org.matrix.custom.html";
  formatted_body: string;
  "m.mentions": { user_ids: string[] };
  [key: string]: unknown;
}

/** A Matrix user id (« @nom:serveur »), as mentions carry it. */
export const MATRIX_USER_ID = /@[a-z0-9._=\-/+]+:[a-z0-9.-]+(?::\d{1,5})?/gi;
const PERMALINK = "https://matrix.to/#/";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** « @room » notifies a whole room in older clients: a word joiner keeps it from matching. */
export function defuseRoomMention(text: string): string {
  return text.replace(/@(room|channel|everyone|here)\b/gi, "@\u2060$1");
}

const BOLD = /\*\*([^*\n]+)\*\*/g;
const ITALIC = /(?<![*\w])\*(?!\s)([^*\n]*[^*\s])\*(?![*\w])/g;
const CODE = /`([^`\n]+)`/g;

/** Emphasis as HTML, on text already escaped (the markers are not HTML characters). */
const htmlEmphasis = (escaped: string) => escaped.replace(CODE, "<code>$1</code>").replace(BOLD, "<strong>$1</strong>").replace(ITALIC, "<em>$1</em>");
const plainEmphasis = (text: string) => text.replace(BOLD, "$1").replace(ITALIC, "$1").replace(CODE, "$1");

/**
 * Matrix has no slash commands (Element keeps `/` for itself): the bot's commands are typed with
 * `!`, so « /aide » in the bot's texts reads « !aide » here. Only names of commands, and only where
 * a word starts (a URL's path is left alone).
 */
export function bangCommands(text: string, commandNames: ReadonlySet<string>): string {
  if (commandNames.size === 0) return text;
  return text.replace(/(^|[\s(«`"' ])\/([a-z][a-z0-9-]*)(?![\w/])/g, (whole, before: string, name: string) => (commandNames.has(name) ? `${before}!${name}` : whole));
}

/** The bot's neutral text as HTML: its tokens become links, the rest is escaped text. */
function toMatrixHtml(text: string): string {
  return pieces(text)
    .map((p) => {
      if (p.kind === "link") return `<a href="${escapeHtml(p.url)}">${escapeHtml(defuseRoomMention(p.label))}</a>`;
      if (p.kind === "channel") return `<a href="${PERMALINK}${escapeHtml(p.id)}">#${escapeHtml(p.id)}</a>`;
      return htmlEmphasis(escapeHtml(defuseRoomMention(p.text)));
    })
    .join("")
    .replace(/\n/g, "<br>");
}

export function toMatrixPlain(text: string): string {
  return pieces(text)
    .map((p) => (p.kind === "link" ? `${defuseRoomMention(p.label)} (${p.url})` : p.kind === "channel" ? `#${p.id}` : plainEmphasis(defuseRoomMention(p.text))))
    .join("");
}

/** The mentions of a reply's `ping` as pills; other words of a ping entry (« , ») stay text. */
function pings(ping: readonly string[]): { html: string; plain: string; userIds: string[] } {
  const userIds: string[] = [];
  const html: string[] = [];
  const plain: string[] = [];
  for (const entry of ping) {
    let last = 0;
    let h = "";
    for (const m of entry.matchAll(MATRIX_USER_ID)) {
      h += escapeHtml(defuseRoomMention(entry.slice(last, m.index))) + `<a href="${PERMALINK}${escapeHtml(m[0])}">${escapeHtml(m[0])}</a>`;
      userIds.push(m[0]);
      last = m.index + m[0].length;
    }
    html.push(h + escapeHtml(defuseRoomMention(entry.slice(last))));
    plain.push(defuseRoomMention(entry));
  }
  return { html: html.join(" "), plain: plain.join(" "), userIds };
}

const CHOICE_HINT = "Réagissez avec l'emoji du choix, ou répondez dans le fil par son numéro.";
const BALLOT_HINT = `Pour voter, réagissez avec ${BALLOT_EMOJI} : le bot vous envoie votre bulletin en privé, et le salon ne voit pas votre choix.`;

/** The reply as a Matrix message, and the choices it offers (empty when it has none). */
export function renderMessage(shown: Reply, commandNames: ReadonlySet<string> = new Set(), sharedRoom = false): { content: MatrixContent; choices: Choice[] } {
  const bang = (text: string | undefined) => (text === undefined ? undefined : bangCommands(text, commandNames));
  const reply: Reply = { ...shown, title: bang(shown.title), text: bang(shown.text), fields: shown.fields?.map((f) => ({ ...f, name: bang(f.name)!, value: bang(f.value)! })) };
  const html: string[] = [];
  const plain: string[] = [];
  const mentioned = pings(reply.ping ?? []);
  if (mentioned.plain) {
    html.push(mentioned.html);
    plain.push(mentioned.plain);
  }
  if (reply.title) {
    html.push(`<h4>${toMatrixHtml(reply.title)}</h4>`);
    plain.push(toMatrixPlain(reply.title));
  }
  if (reply.text) {
    html.push(`<p>${toMatrixHtml(reply.text)}</p>`);
    plain.push(toMatrixPlain(reply.text));
  }
  for (const field of reply.fields ?? []) {
    html.push(`<p><strong>${toMatrixHtml(field.name)}</strong><br>${toMatrixHtml(field.value || "—")}</p>`);
    plain.push(`${toMatrixPlain(field.name)} :\n${toMatrixPlain(field.value || "—")}`);
  }
  const links = (reply.components ?? []).flatMap((row) => ("buttons" in row ? row.buttons.filter((b) => b.kind === "link") : []));
  for (const l of links) {
    html.push(`<p>🔗 <a href="${escapeHtml(l.url)}">${escapeHtml(defuseRoomMention(l.label))}</a></p>`);
    plain.push(`🔗 ${defuseRoomMention(l.label)} : ${l.url}`);
  }
  const all = choicesOf(reply);
  const choices = sharedRoom ? sharedRoomChoices(all) : all;
  const secret = sharedRoom ? secretChoices(all) : [];
  if (secret.length > 0) {
    html.push(`<ul>${secret.map((c) => `<li>${escapeHtml(defuseRoomMention(c.label))}</li>`).join("")}</ul>`);
    plain.push(secret.map((c) => `• ${defuseRoomMention(c.label)}`).join("\n"));
  }
  if (choices.length > 0) {
    const hint = secret.length > 0 ? `${BALLOT_HINT} ${choices.length > 1 ? CHOICE_HINT : ""}`.trim() : CHOICE_HINT;
    html.push(`<ul>${choices.map((c) => `<li>${c.emoji} ${escapeHtml(defuseRoomMention(c.label))}</li>`).join("")}</ul><p><em>${escapeHtml(hint)}</em></p>`);
    plain.push(`${choices.map((c) => `${c.emoji} ${defuseRoomMention(c.label)}`).join("\n")}\n${hint}`);
  }
  const content: MatrixContent = {
    msgtype: "m.text",
    body: plain.join("\n\n") || " ",
    format: "org.matrix.custom.html",
    formatted_body: html.join("") || " ",
    "m.mentions": { user_ids: [...new Set(mentioned.userIds)] },
    ...(choices.length > 0 && { [CHOICES_KEY]: choices }),
    ...(secret.length > 0 && { [BALLOT_KEY]: { title: reply.title, text: reply.text, choices: secret } }),
  };
  return { content, choices };
}
