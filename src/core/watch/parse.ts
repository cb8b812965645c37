// Feed text to entries, through @rowanmanning/feed-parser (RSS 0.9x/1.0/2.0 and Atom, lenient
// with real-world feeds). What is done here is only what the library leaves to its callers:
// characters XML forbids, telling an HTML page from a feed, plain-text titles, absolute links.
import { lazy } from "../lazy.js";

// Loaded on the first feed read: the hourly job, not start-up.
const feedParser = lazy<typeof import("@rowanmanning/feed-parser")>("@rowanmanning/feed-parser");
const entities = lazy<typeof import("html-entities")>("html-entities");
const parseFeed = (xml: string) => feedParser().parseFeed(xml);
const decode: typeof import("html-entities").decode = (text, options) => entities().decode(text, options);

import { cleanLink, parseHttpUrl } from "./url.js";

export interface ParsedEntry {
  guid: string | null;
  /** Absolute http(s) link without tracking parameters; null when the entry has none usable. */
  link: string | null;
  title: string;
  date: Date | null;
  /** Computed on demand: only the few entries collected need it, and it is the costliest field. */
  summary(): string | null;
}

export interface ParsedFeed {
  title: string | null;
  entries: ParsedEntry[];
}

/** The answer was read but is not a feed; `message` is French, `discovered` a feed the page announces. */
export class NotAFeed extends Error {
  override name = "NotAFeed";
  constructor(
    message: string,
    readonly discovered: string | null = null,
  ) {
    super(message);
  }
}

/** Entries beyond this are ignored (a feed is a window on recent news, not an archive). */
export const MAX_ENTRIES = 1000;
const SUMMARY_LENGTH = 280;
const TITLE_LENGTH = 300;

// C0 controls other than tab, LF, CR, and the two non-characters: forbidden in XML 1.0, and
// seen in feeds pasted from word processors.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * The feed text cut just before its (max + 1)-th item or entry, so the parser never builds more:
 * the library turns the whole document into a tree, and a 5 Mo feed of tiny items would cost
 * seconds before any cap applied after it. The parser closes what the cut leaves open. Item tags
 * inside CDATA sections and comments are not counted.
 */
export function capEntries(xml: string, max = MAX_ENTRIES): string {
  const OPENINGS = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<(?:[\w-]+:)?(?:item|entry)[\s>/]/g;
  let count = 0;
  for (const m of xml.matchAll(OPENINGS)) {
    if (m[0].startsWith("<!")) continue;
    if (++count > max) return xml.slice(0, m.index);
  }
  return xml;
}

export function parseFeedText(text: string, baseUrl: string): ParsedFeed {
  const xml = capEntries(text.replace(FORBIDDEN, "").replace(/^[\s\uFEFF]+/, ""));
  if (looksLikeHtml(xml)) throw notAFeed(xml, baseUrl, "la page reçue est une page web (HTML), pas un flux RSS ou Atom");
  let feed: ReturnType<typeof import("@rowanmanning/feed-parser").parseFeed>;
  try {
    feed = parseFeed(xml);
  } catch (error) {
    if ((error as { code?: string }).code !== "INVALID_FEED") throw error;
    throw notAFeed(xml, baseUrl, "le contenu reçu n'est pas un flux RSS ou Atom");
  }
  // Every item's `url` getter asks `feed.url`, which scans all the channel's children: quadratic
  // in the number of items (1.3 s of the 10,000-entry benchmark). The feed's address is computed
  // once and pinned on the instance, where it shadows the prototype's getter.
  const feedUrl = feed.url;
  Object.defineProperty(feed, "url", { value: feedUrl });
  const base = feedUrl && parseHttpUrl(feedUrl, baseUrl) ? new URL(feedUrl, baseUrl).toString() : baseUrl;
  const entries: ParsedEntry[] = [];
  for (const item of feed.items.slice(0, MAX_ENTRIES)) {
    const url = item.url;
    const link = url ? cleanLink(url, base) : null;
    let description: string | undefined;
    const summary = () => {
      description ??= item.description ? plainText(item.description) : "";
      return description ? truncate(description, SUMMARY_LENGTH) : null;
    };
    const title = plainText(item.title ?? "") || summary()?.slice(0, 120) || (link ? new URL(link).hostname : "");
    const date = validDate(item.published) ?? validDate(item.updated);
    entries.push({ guid: item.id?.trim() || null, link, title: truncate(title, TITLE_LENGTH), date, summary });
  }
  return { title: feed.title ? plainText(feed.title) : null, entries };
}

function validDate(date: Date | null | undefined): Date | null {
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** Tags dropped, entities decoded, white space collapsed: titles and summaries are shown as text. */
export function plainText(html: string): string {
  // Most titles hold neither tags nor entities: no need to run the decoder on them.
  const text = /[<&]/.test(html) ? decode(html.replace(/<[^>]*>/g, " "), { level: "html5" }) : html;
  return text
    .replace(/[\s\u00a0]+/g, " ")
    .trim();
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function looksLikeHtml(text: string): boolean {
  return /^(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>])/i.test(text);
}

function notAFeed(text: string, baseUrl: string, message: string): NotAFeed {
  return new NotAFeed(message, discoverFeed(text, baseUrl));
}

/**
 * The feed a web page announces (`<link rel="alternate" type="application/rss+xml" href="…">`),
 * so the animator who pasted a site's address is told which one to use.
 */
export function discoverFeed(html: string, baseUrl: string): string | null {
  for (const tag of html.slice(0, 200_000).match(/<link\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
    const value = (name: string) => {
      const m = attr(name);
      return m ? decode(m[2] ?? m[3] ?? m[4] ?? "") : "";
    };
    if (!/\balternate\b/i.test(value("rel"))) continue;
    if (!/^application\/(rss|atom|rdf)\+xml$/i.test(value("type").trim())) continue;
    const href = cleanLink(value("href"), baseUrl);
    if (href) return href;
  }
  return null;
}
