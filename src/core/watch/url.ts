// Link normalisation, so that the same article is recognised whatever road it took: http or
// https, with or without "www.", with a campaign's tracking parameters, a fragment or a trailing
// slash. The key is only for comparing; what members see is the link minus its tracking noise.
import { createHash } from "node:crypto";

/** Query parameters that only say where a click came from (analytics, newsletters, ads). */
const TRACKING_PARAMS = new Set([
  "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id", "igshid", "igsh",
  "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "vero_id", "vero_conv", "oly_anon_id",
  "oly_enc_id", "s_cid", "ito", "ocid", "ncid", "cmpid", "xtor", "xts", "xtref", "wt.mc_id", "wt.mc_ev", "ref_src", "ref_url",
  "sr_share", "spm", "soc_src", "soc_trk",
]);
/** Families of them: Google (utm_), AT Internet, common in French media (at_), Matomo/Piwik (mtm_, pk_). */
const TRACKING_PREFIXES = ["utm_", "at_", "mtm_", "pk_", "hsa_"];

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((p) => lower.startsWith(p));
}

/** Parses an absolute http(s) URL; anything else (mailto:, javascript:, relative, garbage) is null. */
export function parseHttpUrl(value: string, base?: string): URL | null {
  let url: URL;
  try {
    url = new URL(value.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  return url;
}

export function isHttpUrl(value: string): boolean {
  return parseHttpUrl(value) !== null;
}

/** The link as shown: same address, without tracking parameters. Null if it is not http(s). */
export function cleanLink(value: string, base?: string): string | null {
  const url = parseHttpUrl(value, base);
  if (!url) return null;
  for (const name of [...url.searchParams.keys()]) if (isTracking(name)) url.searchParams.delete(name);
  if (url.search === "?") url.search = "";
  return url.toString();
}

/**
 * The comparison key of a link: host without "www.", path without trailing slash, remaining
 * query parameters sorted; scheme, fragment and tracking parameters ignored. Null if not http(s).
 */
export function urlKey(value: string, base?: string): string | null {
  const url = parseHttpUrl(value, base);
  if (!url) return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, "").replace(/\.$/, "");
  const port = url.port && !["80", "443"].includes(url.port) ? `:${url.port}` : "";
  let path = url.pathname.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
  if (path.length > 1) path = path.replace(/\/+$/, "");
  if (path === "/") path = "";
  const params = [...url.searchParams.entries()]
    .filter(([name]) => !isTracking(name))
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : "";
  return `${host}${port}${path}${query}`;
}

/** A fixed-length digest for unique indexes (128 bits of SHA-256, hex). */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** The stored key of an article's link (WatchItem.linkKey). */
export function linkHash(value: string): string | null {
  const key = urlKey(value);
  return key === null ? null : shortHash(key);
}
