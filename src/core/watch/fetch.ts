// One HTTP GET for the watch: conditional (ETag / Last-Modified), bounded in time and size
// (a size cap counted on the decompressed bytes, so a gzip bomb stops as early as a huge file),
// and failures described in French for the animator.
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchOptions {
  /** Whole exchange, headers and body (default 20 s). */
  timeoutMs?: number;
  /** Body size cap after decompression (default 5 Mo). */
  maxBytes?: number;
  /** Stops the request (the scheduler stopping). */
  signal?: AbortSignal;
  /** Accept header (default: feeds first). */
  accept?: string;
  /** "manual": a redirection is returned instead of followed, so the caller can check where it leads. */
  redirect?: "follow" | "manual";
}

export type FetchResult =
  | { status: "not-modified" }
  | { status: "redirect"; location: string }
  | {
      status: "ok";
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** After redirects. */
      url: string;
    };

export type FetchFailureKind = "network" | "timeout" | "http" | "too-large" | "not-feed";

/** A source could not be read; `message` is French and meant for the animator. */
export class FetchFailure extends Error {
  override name = "FetchFailure";
  constructor(
    message: string,
    readonly kind: FetchFailureKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const USER_AGENT = "promeneurs-bot/0.1 (veille du réseau des Promeneurs du Net des Vosges)";
const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

export async function fetchUrl(url: string, validators: Validators = {}, options: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = {
    accept: options.accept ?? FEED_ACCEPT,
    "user-agent": USER_AGENT,
    // fetch decompresses these by itself.
    "accept-encoding": "gzip, deflate, br",
  };
  if (validators.etag) headers["if-none-match"] = validators.etag;
  if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;

  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: options.redirect ?? "follow" });
  } catch (error) {
    throw describeNetworkError(error, timeout, timeoutMs);
  }
  if (response.status === 304) {
    await response.body?.cancel().catch(() => {});
    return { status: "not-modified" };
  }
  const location = response.headers.get("location");
  if (options.redirect === "manual" && response.status >= 300 && response.status < 400 && location) {
    await response.body?.cancel().catch(() => {});
    return { status: "redirect", location: new URL(location, url).toString() };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    const text = response.statusText ? ` (${response.statusText})` : "";
    throw new FetchFailure(`le serveur a répondu ${response.status}${text}`, "http");
  }
  const tooLarge = () => new FetchFailure(`réponse trop volumineuse (plus de ${formatBytes(maxBytes)})`, "too-large");
  const declared = Number(response.headers.get("content-length"));
  // Content-Length counts compressed bytes: only a plain body can be refused before reading.
  if (!response.headers.get("content-encoding") && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof FetchFailure) throw error;
      throw describeNetworkError(error, timeout, timeoutMs);
    }
  }
  return {
    status: "ok",
    body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total),
    contentType: response.headers.get("content-type"),
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
    url: response.url || url,
  };
}

function describeNetworkError(error: unknown, timeout: AbortSignal, timeoutMs: number): FetchFailure {
  if (timeout.aborted) {
    const seconds = timeoutMs >= 10_000 ? String(Math.round(timeoutMs / 1000)) : String(Math.round(timeoutMs / 100) / 10).replace(".", ",");
    return new FetchFailure(`pas de réponse complète en ${seconds} s (délai dépassé)`, "timeout", { cause: error });
  }
  if (error instanceof Error && error.name === "AbortError") return new FetchFailure("lecture interrompue (arrêt du bot)", "network", { cause: error });
  const code = networkCode(error);
  const reasons: Record<string, string> = {
    ENOTFOUND: "adresse introuvable (nom de domaine inconnu)",
    EAI_AGAIN: "adresse introuvable pour le moment (DNS)",
    ECONNREFUSED: "connexion refusée par le serveur",
    ECONNRESET: "connexion coupée par le serveur",
    ETIMEDOUT: "le serveur ne répond pas",
    UND_ERR_CONNECT_TIMEOUT: "le serveur ne répond pas",
    UND_ERR_SOCKET: "connexion coupée par le serveur",
    CERT_HAS_EXPIRED: "certificat HTTPS expiré",
    DEPTH_ZERO_SELF_SIGNED_CERT: "certificat HTTPS non reconnu",
    ERR_TLS_CERT_ALTNAME_INVALID: "certificat HTTPS d'un autre site",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificat HTTPS non vérifiable",
  };
  const message = code && reasons[code] ? reasons[code] : `erreur réseau${code ? ` (${code})` : ""}`;
  if (!code && error instanceof Error && /redirect/i.test(String((error.cause as Error | undefined)?.message ?? ""))) {
    return new FetchFailure("trop de redirections", "network", { cause: error });
  }
  return new FetchFailure(message, "network", { cause: error });
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} Mo`.replace(".", ",");
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${bytes} octets`;
}
