/**
 * The neutral text (a small Markdown subset plus the bot's own tokens, see core/markup.ts) as each
 * platform reads it. Everything outside a token is text from wherever it came: it is escaped so
 * that it can neither notify (Slack's <!channel>, <!here>, <@U…>) nor pose as a link.
 */
import { pieces, type Piece } from "../core/markup.js";

const BOLD = /\*\*([^*\n]+)\*\*/g;
// Emphasis hugs its text (`*mot*`): a lone star between spaces, as in a cron expression
// « 0 9 * * 1 », stays a star.
const ITALIC = /(?<![*\w])\*(?!\s)([^*\n]*[^*\s])\*(?![*\w])/g;
const MASKED_LINK = /\[([^\]\n]*)\]\(/g;

/** Slack's three control characters as entities: the text shows as typed and triggers nothing. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const slackEmphasis = (text: string) => text.replace(ITALIC, "_$1_").replace(BOLD, "*$1*");
const plainEmphasis = (text: string) => text.replace(BOLD, "$1").replace(ITALIC, "$1").replace(/`([^`\n]+)`/g, "$1");

function render(text: string, each: (piece: Piece) => string): string {
  return pieces(text).map(each).join("");
}

export function toSlackMrkdwn(text: string): string {
  return render(text, (p) => {
    if (p.kind === "link") return `<${p.url}|${escapeSlack(p.label)}>`;
    if (p.kind === "channel") return `<#${p.id}>`;
    return slackEmphasis(escapeSlack(p.text));
  });
}

/** Console output and notification previews: tokens spelled out, emphasis removed. */
export function toPlainText(text: string): string {
  return render(text, (p) => {
    if (p.kind === "link") return `${p.label} (${p.url})`;
    if (p.kind === "channel") return `#${p.id}`;
    return plainEmphasis(p.text);
  });
}

/** Slack's notification `text`: plain, and escaped like the blocks. */
export function toSlackFallback(text: string): string {
  return escapeSlack(toPlainText(text));
}

/**
 * Discord reads the subset as is; only the bot's tokens become links. A masked link typed by
 * someone (« [Site de la Caf](http://ailleurs) ») has its brackets escaped and shows as typed.
 * Mentions need no escape: messages are sent with allowed_mentions empty.
 */
export function toDiscordMarkdown(text: string): string {
  return render(text, (p) => {
    if (p.kind === "link") return `[${p.label.replace(/([[\]\\])/g, "\\$1")}](${p.url})`;
    if (p.kind === "channel") return `<#${p.id}>`;
    return p.text.replace(MASKED_LINK, "\\[$1\\](");
  });
}
