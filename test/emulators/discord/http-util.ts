/**
 * HTTP plumbing for the emulator: Discord-style errors, route patterns, body parsing
 * (JSON and multipart) and snowflakes.
 */
import type { IncomingMessage } from "node:http";
import type { CapturedFile, RouteMatcher } from "./types.js";

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** Real-looking, strictly increasing snowflakes (discord.js derives timestamps from them). */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

type FormErrorTree = { [key: string]: FormErrorTree | Array<{ code: string; message: string }> };

/** An error answered exactly like Discord does: `{ message, code, errors? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrorTree,
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const errors = {
  unauthorized: () => new ApiError(401, 0, "401: Unauthorized"),
  notFound: () => new ApiError(404, 0, "404: Not Found"),
  methodNotAllowed: () => new ApiError(405, 0, "405: Method Not Allowed"),
  unknownGuild: () => new ApiError(404, 10004, "Unknown Guild"),
  unknownChannel: () => new ApiError(404, 10003, "Unknown Channel"),
  unknownMember: () => new ApiError(404, 10007, "Unknown Member"),
  unknownMessage: () => new ApiError(404, 10008, "Unknown Message"),
  unknownRole: () => new ApiError(404, 10011, "Unknown Role"),
  unknownUser: () => new ApiError(404, 10013, "Unknown User"),
  unknownWebhook: () => new ApiError(404, 10015, "Unknown Webhook"),
  unknownInteraction: () => new ApiError(404, 10062, "Unknown interaction"),
  unknownCommand: () => new ApiError(404, 10063, "Unknown application command"),
  unknownScheduledEvent: () => new ApiError(404, 10070, "Unknown Guild Scheduled Event"),
  alreadyAcknowledged: () => new ApiError(400, 40060, "Interaction has already been acknowledged."),
  missingAccess: () => new ApiError(403, 50001, "Missing Access"),
  cannotEditOthers: () => new ApiError(403, 50005, "Cannot edit a message authored by another user"),
  emptyMessage: () => new ApiError(400, 50006, "Cannot send an empty message"),
  cannotDmUser: () => new ApiError(403, 50007, "Cannot send messages to this user"),
  invalidFormBody: (tree: FormErrorTree) => new ApiError(400, 50035, "Invalid Form Body", tree),
};

/** One validation problem, located by its JSON path in the request body. */
export interface FieldError {
  path: Array<string | number>;
  code: string;
  message: string;
}

/** Builds Discord's nested `errors` object (`{ content: { _errors: [...] } }`). */
function formErrorTree(list: FieldError[]): FormErrorTree {
  const root: FormErrorTree = {};
  for (const err of list) {
    let node: FormErrorTree = root;
    for (const key of err.path) {
      const k = String(key);
      const next = node[k];
      if (!next || Array.isArray(next)) node[k] = {};
      node = node[k] as FormErrorTree;
    }
    const existing = node._errors;
    const arr = Array.isArray(existing) ? existing : [];
    arr.push({ code: err.code, message: err.message });
    node._errors = arr;
  }
  return root;
}

export function throwIfInvalid(list: FieldError[]): void {
  if (list.length > 0) throw errors.invalidFormBody(formErrorTree(list));
}

export interface CompiledPattern {
  method: string | null;
  test(path: string): Record<string, string> | null;
}

/** Compiles `"GET /channels/:id/messages"` (method optional, `*` = any one segment). */
export function compilePattern(pattern: string): CompiledPattern {
  const trimmed = pattern.trim();
  const space = trimmed.indexOf(" ");
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : null;
  const path = space > 0 ? trimmed.slice(space + 1).trim() : trimmed;
  const keys: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (segment === "*") {
        keys.push(`_${keys.length}`);
        return "([^/]+)";
      }
      if (segment.startsWith(":")) {
        keys.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\@]/g, "\\$&");
    })
    .join("/");
  const regex = new RegExp(`^${source}/?$`);
  return {
    method,
    test(candidate) {
      const m = regex.exec(candidate);
      if (!m) return null;
      const params: Record<string, string> = {};
      keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? "");
      });
      return params;
    },
  };
}

export function matchesRoute(matcher: RouteMatcher, method: string, path: string): boolean {
  if (typeof matcher === "function") return matcher({ method, path });
  if (matcher instanceof RegExp) return matcher.test(`${method} ${path}`);
  const compiled = compilePattern(matcher);
  return (compiled.method === null || compiled.method === method) && compiled.test(path) !== null;
}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface ParsedBody {
  json: unknown;
  files: CapturedFile[];
}

/**
 * Parses a JSON or multipart/form-data body. discord.js sends multipart (via undici's
 * FormData) whenever files are attached, with the JSON payload in `payload_json`.
 * Parsing is delegated to the WHATWG `Response.formData()` of Node itself, which
 * implements the same multipart grammar undici produces.
 */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, files: [] };
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType ?? "" } }).formData();
    const files: CapturedFile[] = [];
    let json: unknown = undefined;
    const plainFields: Record<string, string> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") {
        if (key === "payload_json") json = JSON.parse(value);
        else plainFields[key] = value;
      } else {
        files.push({
          key,
          name: value.name,
          contentType: value.type || "application/octet-stream",
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    // Some routes (e.g. stickers) send plain fields instead of payload_json.
    if (json === undefined && Object.keys(plainFields).length > 0) json = plainFields;
    return { json, files };
  }
  const text = raw.toString("utf8");
  if (type.startsWith("application/json") || /^\s*[[{]/.test(text)) {
    try {
      return { json: JSON.parse(text), files: [] };
    } catch {
      throw new ApiError(400, 50109, "The request body contains invalid JSON.");
    }
  }
  return { json: text, files: [] };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
