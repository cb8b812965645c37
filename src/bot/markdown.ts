/**
 * The neutral text uses a small Markdown subset (Discord renders it as is). These convert it
 * for Slack's mrkdwn and for plain console output.
 */
const BOLD = /\*\*([^*\n]+)\*\*/g;
// Emphasis hugs its text (`*mot*`): a lone star between spaces, as in a cron expression
// « 0 9 * * 1 », stays a star.
const ITALIC = /(?<![*\w])\*(?!\s)([^*\n]*[^*\s])\*(?![*\w])/g;
const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;

export function toSlackMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/<(?![#@!][A-Z0-9]+(?:\|[^>]*)?>)/gi, "&lt;")
    .replace(/(?<!<[#@!][A-Z0-9]+(?:\|[^>]*)?)>/gi, "&gt;")
    .replace(LINK, "<$2|$1>")
    .replace(ITALIC, "_$1_")
    .replace(BOLD, "*$1*");
}

export function toPlainText(text: string): string {
  return text
    .replace(LINK, "$1 ($2)")
    .replace(BOLD, "$1")
    .replace(ITALIC, "$1")
    .replace(/`([^`\n]+)`/g, "$1");
}
