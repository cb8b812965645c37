// The title of a web page a member shares without giving one: og:title, else <title>. Best
// effort and short: a page that is slow, huge or not HTML just yields null.
import { lazy } from "../lazy.js";

const entities = lazy<typeof import("html-entities")>("html-entities");

import { decodeBody } from "./charset.js";
import { guardedFetch } from "../../net/http.js";

interface PageTitleOptions {
  timeoutMs?: number;
  /** WATCH_ALLOW_PRIVATE_HOSTS=1: the page may be on this machine or a private network. */
  allowPrivateHosts?: boolean;
}

/** The guarded fetch checks every address and redirection hop; any failure just yields null. */
export async function fetchPageTitle(url: string, options: PageTitleOptions = {}): Promise<string | null> {
  try {
    const answer = await guardedFetch(url, {}, {
      timeoutMs: options.timeoutMs ?? 5000,
      maxBytes: 1024 * 1024,
      accept: "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
      allowPrivateHosts: options.allowPrivateHosts,
    });
    if (answer.status !== "ok") return null;
    if (answer.contentType && !/html/i.test(answer.contentType)) return null;
    return pageTitle(decodeBody(answer.body, answer.contentType).text);
  } catch {
    return null;
  }
}

function pageTitle(html: string): string | null {
  const head = html.slice(0, 300_000);
  const og = /<meta\b[^>]*\bproperty\s*=\s*["']og:title["'][^>]*>/i.exec(head)?.[0];
  const content = og ? /\bcontent\s*=\s*("([^"]*)"|'([^']*)')/i.exec(og) : null;
  const raw = content ? (content[2] ?? content[3] ?? "") : (/<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? "");
  const title = entities().decode(raw, { level: "html5" }).replace(/\s+/g, " ").trim();
  return title ? title.slice(0, 200) : null;
}
