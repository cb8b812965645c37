// The bot's own markup inside neutral reply text.
//
// Every reply text is, by default, text: whatever a member typed, a feed said or an import held is
// shown as written on every platform (Slack's `&`, `<`, `>` escaped, Discord's masked links
// neutralised). The only things that become platform markup are the tokens built here — a link the
// bot chose (`link`) and a channel it names (`channelRef`) — delimited by private-use characters
// that text from outside never carries (`stripMarkup` removes them at every entry point). Emphasis
// (**gras**, *italique*, `code`) stays a shared Markdown subset: it cannot notify or mislead.
const OPEN = "\uE000";
const SEP = "\uE001";
const CLOSE = "\uE002";
// NUL goes too: it means nothing in chat text, and PostgreSQL refuses it in any text column.
const SENTINELS = /[\u0000\uE000-\uE002]/g;
const TOKEN = /\uE000(link|channel)\uE001([^\uE000-\uE002]*)(?:\uE001([^\uE000-\uE002]*))?\uE002/g;

export type Piece = { kind: "text"; text: string } | { kind: "link"; url: string; label: string } | { kind: "channel"; id: string };

/** Removes the token delimiters (and NUL) from text that did not come from the bot (options, forms, feeds, files). */
export function stripMarkup(text: string): string {
  return text.replace(SENTINELS, "");
}

/**
 * A URL safe to place inside any platform's link syntax: http(s) only, serialised by the URL
 * parser, with the characters that close a Slack `<url|label>` or a Markdown `(url)` encoded.
 */
function safeLinkUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return parsed.href.replace(/[|<>()\s"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** A link the bot builds: its URL (checked) and a label shown as text. An unusable URL leaves the label alone. */
export function link(url: string, label: string): string {
  const href = safeLinkUrl(url);
  const text = stripMarkup(label).replace(/\s+/g, " ").trim() || href || "";
  return href ? `${OPEN}link${SEP}${href}${SEP}${text}${CLOSE}` : text;
}

/** A channel the bot names (a configured channel), shown as the platform's channel link. */
export function channelRef(channelId: string): string {
  return /^[A-Za-z0-9]+$/.test(channelId) ? `${OPEN}channel${SEP}${channelId}${CLOSE}` : stripMarkup(channelId);
}

/**
 * Bot-authored Markdown (the onboarding texts an animator edits): its `[label](url)` links become
 * link tokens. Never call it on text from a member or a feed.
 */
export function authoredLinks(text: string): string {
  return text.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_, label: string, url: string) => link(url, label));
}

/** The text cut into plain pieces and the bot's tokens, in order. */
export function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) out.push({ kind: "text", text: stripMarkup(text.slice(last, m.index)) });
    if (m[1] === "link" && m[3] !== undefined) out.push({ kind: "link", url: m[2]!, label: m[3] });
    else if (m[1] === "channel") out.push({ kind: "channel", id: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: stripMarkup(text.slice(last)) });
  return out;
}
