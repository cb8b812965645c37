/**
 * HTTP plumbing: request body parsing in all the encodings Slack accepts, and the
 * signed-request helper that plays Slack's side against an HTTP-mode (HTTPReceiver) bot.
 */
import { createHmac } from "node:crypto";
import { request, type IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { JsonObject } from "./types.js";

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Web API arguments that clients send JSON-encoded inside form fields. */
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "files", "metadata", "user_auth_blocks"]);

interface ParsedBody {
  fields: JsonObject;
  /** Binary parts of a multipart body (field name -> bytes). */
  fileParts: Map<string, { bytes: Buffer; filename?: string }>;
}

/** Parses form-encoded, JSON or multipart bodies (plus query string) into one argument object. */
export async function parseBody(raw: Buffer, contentType: string | undefined, query: URLSearchParams): Promise<ParsedBody> {
  const fields: JsonObject = {};
  const fileParts = new Map<string, { bytes: Buffer; filename?: string }>();
  for (const [k, v] of query) fields[k] = v;
  const ct = (contentType ?? "").toLowerCase();
  if (raw.length > 0) {
    if (ct.startsWith("application/json")) {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      if (typeof parsed === "object" && parsed !== null) Object.assign(fields, parsed);
    } else if (ct.startsWith("multipart/form-data")) {
      // Let the platform's fetch implementation do the multipart parsing (it knows the boundary rules).
      const form = await new Response(raw, { headers: { "content-type": contentType ?? "" } }).formData();
      for (const [k, v] of form.entries()) {
        if (typeof v === "string") fields[k] = v;
        else fileParts.set(k, { bytes: Buffer.from(await v.arrayBuffer()), filename: v.name });
      }
    } else {
      for (const [k, v] of new URLSearchParams(raw.toString("utf8"))) fields[k] = v;
    }
  }
  for (const k of JSON_FIELDS) {
    const v = fields[k];
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
      try {
        fields[k] = JSON.parse(v);
      } catch {
        // Leave it as a string: the method handler reports the invalid argument like Slack would.
      }
    }
  }
  return { fields, fileParts };
}

// ---------------------------------------------------------------------------------------------
// Signed requests to an HTTP-mode bot
// ---------------------------------------------------------------------------------------------

export type SignedSlackBody =
  | { kind: "command"; fields: Record<string, string> }
  | { kind: "interactive"; payload: unknown }
  | { kind: "event"; body: unknown };

interface SignedRequestOptions {
  /** Sign with a wrong secret (the receiver must answer 401). */
  badSignature?: boolean;
  /** Unix seconds to put in X-Slack-Request-Timestamp (default: now). Use an old one to test replay protection. */
  timestamp?: number;
  /** Sets X-Slack-Retry-Num / X-Slack-Retry-Reason like Slack's event retries. */
  retryNum?: number;
  retryReason?: string;
  timeoutMs?: number;
}

interface SignedResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** From the first byte sent to the last byte received. */
  latencyMs: number;
}

function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

/** Encodes a body exactly as Slack does for each kind of request. */
function encodeSlackBody(body: SignedSlackBody): { raw: string; contentType: string } {
  switch (body.kind) {
    case "command":
      return { raw: new URLSearchParams(body.fields).toString(), contentType: "application/x-www-form-urlencoded" };
    case "interactive":
      return {
        raw: new URLSearchParams({ payload: JSON.stringify(body.payload) }).toString(),
        contentType: "application/x-www-form-urlencoded",
      };
    case "event":
      return { raw: JSON.stringify(body.body), contentType: "application/json" };
  }
}

/**
 * POSTs a Slack-signed request (X-Slack-Request-Timestamp + X-Slack-Signature v0 HMAC-SHA256).
 * Uses a one-shot connection (no keep-alive agent) so that nothing lingers after the test.
 */
export function signedSlackRequest(
  url: string,
  signingSecret: string,
  body: SignedSlackBody,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  const { raw, contentType } = encodeSlackBody(body);
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = opts.badSignature ? `${signingSecret}-wrong` : signingSecret;
  const headers: Record<string, string | number> = {
    "content-type": contentType,
    "content-length": Buffer.byteLength(raw),
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": slackSignature(secret, ts, raw),
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    connection: "close",
  };
  if (opts.retryNum !== undefined) headers["x-slack-retry-num"] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers["x-slack-retry-reason"] = opts.retryReason;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: "POST", headers, agent: false, timeout: opts.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
          latencyMs: performance.now() - started,
        }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`signedSlackRequest: no answer from ${url} within the timeout`)));
    req.on("error", reject);
    req.end(raw);
  });
}

/** How Slack reads an HTTP ack body: JSON object, plain text (= message text) or nothing. */
export function ackPayloadFromHttpBody(body: string): JsonObject {
  if (body.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // not JSON: plain text
  }
  return { text: body };
}
