// The bot's one way out to the Internet: every outgoing request (feeds, the page of a shared
// article) is a GET made here, and a test fails if any other source file calls fetch.
//
// - Address check (./address.ts): the host name is resolved once, by the connection itself (a
//   custom `lookup` on an undici Agent), and the socket connects to the address that was checked,
//   so a DNS answer cannot change between the check and the connection (rebinding). IP literals,
//   which are never resolved, are checked before the request. Redirections are followed here, one
//   hop at a time, each hop checked the same way. WATCH_ALLOW_PRIVATE_HOSTS=1 lifts the check
//   (intranet feeds, tests): `allowPrivateHosts`.
// - Bounded: time for the whole exchange, size counted on the decompressed bytes (a gzip bomb
//   stops as early as a huge file), redirections (5).
// - Conditional (ETag / Last-Modified), failures described in French for the animator.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent, fetch, type Response } from "undici";
import { isIpLiteral, isPublicAddress } from "./address.js";

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
  /** Let the request reach this machine or a private network (WATCH_ALLOW_PRIVATE_HOSTS=1). */
  allowPrivateHosts?: boolean;
  /**
   * The address rule itself, when neither of the two above fits: tests use it to call one
   * loopback address « public » and another not, which is how a redirection inside is shown.
   */
  addressAllowed?: (ip: string) => boolean;
}

type FetchResult =
  | { status: "not-modified" }
  | {
      status: "ok";
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** After redirects. */
      url: string;
    };

type FetchFailureKind = "network" | "timeout" | "http" | "too-large" | "not-feed" | "refused";

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

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const USER_AGENT = "promeneurs-bot/0.1 (veille du réseau des Promeneurs du Net des Vosges)";
const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

const MAX_REDIRECTS = 5;
const REFUSED_CODE = "PDN_NOT_PUBLIC";
const refusedMessage = "adresse non publique (cette machine, un réseau local ou une plage réservée) : le bot ne s'y connecte pas";

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
const anyAddress = () => true;

/** Resolves like dns.lookup, then answers only if every address passes the rule (all or nothing). */
const checkedLookup = (allowed: (ip: string) => boolean) => (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, "");
    if (addresses.length === 0 || !addresses.every((a) => allowed(a.address))) {
      return callback(Object.assign(new Error(`${hostname}: ${refusedMessage}`), { code: REFUSED_CODE }), "");
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** One connection pool per address rule; the socket connects to the address the rule accepted. */
const agents = new Map<(ip: string) => boolean, Agent>();
function agentFor(allowed: (ip: string) => boolean): Agent {
  let agent = agents.get(allowed);
  if (!agent) {
    agent = new Agent(allowed === anyAddress ? {} : { connect: { lookup: checkedLookup(allowed) } });
    agents.set(allowed, agent);
  }
  return agent;
}

/** An http(s) URL whose host may be contacted, or a FetchFailure saying why not. */
function checkedTarget(url: string, allowed: (ip: string) => boolean): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new FetchFailure("adresse invalide", "refused");
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") throw new FetchFailure("seules les adresses http:// et https:// sont lues", "refused");
  if (isIpLiteral(target.hostname) && !allowed(target.hostname.replace(/^\[|\]$/g, ""))) throw new FetchFailure(refusedMessage, "refused");
  return target;
}

export async function guardedFetch(url: string, validators: Validators = {}, options: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const allowed = options.addressAllowed ?? (options.allowPrivateHosts ? anyAddress : isPublicAddress);
  const headers: Record<string, string> = {
    accept: options.accept ?? FEED_ACCEPT,
    "user-agent": USER_AGENT,
    // fetch decompresses these by itself.
    "accept-encoding": "gzip, deflate, br",
  };
  if (validators.etag) headers["if-none-match"] = validators.etag;
  if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;

  let current = checkedTarget(url, allowed);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(current, { headers, signal, redirect: "manual", dispatcher: agentFor(allowed) });
    } catch (error) {
      throw describeNetworkError(error, timeout, timeoutMs);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new FetchFailure("trop de redirections", "network");
      current = checkedTarget(new URL(location, current).toString(), allowed);
      continue;
    }
    return readResponse(response, current.toString(), options.maxBytes ?? DEFAULT_MAX_BYTES, timeout, timeoutMs);
  }
}

/** The HTTP status in French: the server's own reason phrase (« Not Found ») is English. */
function httpStatusMeaning(status: number): string | undefined {
  const known: Record<number, string> = {
    400: "requête refusée",
    401: "identification demandée",
    403: "accès refusé",
    404: "adresse introuvable",
    410: "adresse supprimée",
    429: "trop de requêtes",
    500: "erreur du serveur",
    502: "passerelle en erreur",
    503: "service indisponible",
    504: "serveur trop lent",
  };
  return known[status] ?? (status >= 500 ? "erreur du serveur" : undefined);
}

async function readResponse(response: Response, url: string, maxBytes: number, timeout: AbortSignal, timeoutMs: number): Promise<FetchResult> {
  if (response.status === 304) {
    await response.body?.cancel().catch(() => {});
    return { status: "not-modified" };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    const meaning = httpStatusMeaning(response.status);
    throw new FetchFailure(`le serveur a répondu ${response.status}${meaning ? ` (${meaning})` : ""}`, "http");
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
    url,
  };
}

function describeNetworkError(error: unknown, timeout: AbortSignal, timeoutMs: number): FetchFailure {
  if (timeout.aborted) {
    const seconds = timeoutMs >= 10_000 ? String(Math.round(timeoutMs / 1000)) : String(Math.round(timeoutMs / 100) / 10).replace(".", ",");
    return new FetchFailure(`pas de réponse complète en ${seconds} s (délai dépassé)`, "timeout", { cause: error });
  }
  if (error instanceof Error && error.name === "AbortError") return new FetchFailure("lecture interrompue (arrêt du bot)", "network", { cause: error });
  const code = networkCode(error);
  if (code === REFUSED_CODE) return new FetchFailure(refusedMessage, "refused", { cause: error });
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
  return new FetchFailure(message, "network", { cause: error });
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} Mo`.replace(".", ",");
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${bytes} octets`;
}
