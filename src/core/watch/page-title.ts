// The title of a web page a member shares without giving one: og:title, else <title>. Best
// effort and short: a page that is slow, huge or not HTML just yields null.
import { lazy } from "../lazy.js";

const entities = lazy<typeof import("html-entities")>("html-entities");

import { decodeBody } from "./charset.js";
import { isPublicHost } from "./address.js";
import { fetchUrl } from "./fetch.js";
import { parseHttpUrl } from "./url.js";

export interface PageTitleOptions {
  timeoutMs?: number;
  /** Tests only: let the page be on this machine or the local network. */
  allowPrivateAddresses?: boolean;
}

/**
 * Redirections are followed by hand (4 at most) so that each hop's host is checked: a public page
 * must not be able to bounce the bot to a private address.
 */
export async function fetchPageTitle(url: string, options: PageTitleOptions = {}): Promise<string | null> {
  try {
    let current = url;
    for (let hop = 0; hop < 5; hop++) {
      const target = parseHttpUrl(current);
      if (!target) return null;
      if (!options.allowPrivateAddresses && !(await isPublicHost(target.hostname))) return null;
      const answer = await fetchUrl(current, {}, {
        timeoutMs: options.timeoutMs ?? 5000,
        maxBytes: 1024 * 1024,
        accept: "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
        redirect: "manual",
      });
      if (answer.status === "redirect") {
        current = answer.location;
        continue;
      }
      if (answer.status !== "ok") return null;
      if (answer.contentType && !/html/i.test(answer.contentType)) return null;
      return pageTitle(decodeBody(answer.body, answer.contentType).text);
    }
    return null;
  } catch {
    return null;
  }
}

export function pageTitle(html: string): string | null {
  const head = html.slice(0, 300_000);
  const og = /<meta\b[^>]*\bproperty\s*=\s*["']og:title["'][^>]*>/i.exec(head)?.[0];
  const content = og ? /\bcontent\s*=\s*("([^"]*)"|'([^']*)')/i.exec(og) : null;
  const raw = content ? (content[2] ?? content[3] ?? "") : (/<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? "");
  const title = entities().decode(raw, { level: "html5" }).replace(/\s+/g, " ").trim();
  return title ? title.slice(0, 200) : null;
}
