/** What every Web API method shares: its arguments, its errors, and the lookups that answer Slack's error codes. */
import { performance } from "node:perf_hooks";
import { validateBlocks, validateView } from "../blocks.js";
import type { Workspace } from "../state.js";
import type { EmulatorChannel, EmulatorUser, JsonObject } from "../types.js";

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
  }
}

export interface ApiContext {
  ws: Workspace;
  /** `http://127.0.0.1:PORT/` */
  baseUrl: string;
  /** Issues a one-shot Socket Mode URL. */
  newSocketUrl(): string;
  triggerTtlMs: number;
}

/** One Web API method: the JSON Slack would answer (ok: true), or an ApiError. */
export type Handler = (a: Args, ctx: ApiContext) => JsonObject;

/** Typed accessors over loosely typed (form strings or JSON) arguments. */
export class Args {
  constructor(readonly raw: JsonObject) {}
  str(k: string): string | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
  }
  req(k: string, code = "invalid_arguments"): string {
    const v = this.str(k);
    if (v === undefined || v === "") throw new ApiError(code);
    return v;
  }
  bool(k: string): boolean {
    const v = this.raw[k];
    return v === true || v === "true" || v === "1" || v === 1;
  }
  num(k: string): number | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null || v === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  json(k: string): unknown {
    const v = this.raw[k];
    if (typeof v === "string") {
      try {
        return JSON.parse(v);
      } catch {
        throw new ApiError("invalid_arguments", { response_metadata: { messages: [`[ERROR] ${k} must be valid JSON`] } });
      }
    }
    return v;
  }
  objList(k: string): JsonObject[] | undefined {
    const v = this.json(k);
    if (v === undefined || v === null || v === "") return undefined;
    if (!Array.isArray(v)) throw new ApiError(k === "blocks" ? "invalid_blocks_format" : "invalid_arguments");
    return v as JsonObject[];
  }
}

export function channelOrThrow(ws: Workspace, ref: string | undefined): EmulatorChannel {
  if (!ref) throw new ApiError("channel_not_found");
  const { channel, error } = ws.resolveChannel(ref);
  if (!channel) throw new ApiError(error ?? "channel_not_found");
  return channel;
}

export function checkMessageContent(a: Args, max = 40_000): { text?: string; blocks?: JsonObject[]; attachments?: JsonObject[] } {
  const text = a.str("text");
  const blocks = a.objList("blocks");
  const attachments = a.objList("attachments");
  if ((text === undefined || text === "") && !blocks?.length && !attachments?.length) throw new ApiError("no_text");
  if (text !== undefined && text.length > max) throw new ApiError("msg_too_long");
  const errors = validateBlocks(blocks, "message");
  if (errors.length > 0) throw new ApiError("invalid_blocks", { errors, response_metadata: { messages: errors } });
  return { text, blocks, attachments };
}

export function userOrThrow(ws: Workspace, id: string | undefined): EmulatorUser {
  const u = id ? ws.users.get(id) : undefined;
  if (!u) throw new ApiError("user_not_found");
  return u;
}

export function triggerOrThrow(ctx: ApiContext, triggerId: string | undefined): { userId: string; interactionId: string } {
  if (!triggerId) throw new ApiError("invalid_arguments");
  const t = ctx.ws.triggers.get(triggerId);
  if (!t) throw new ApiError("invalid_trigger_id");
  // Slack only honours trigger_ids for 3 seconds.
  if (performance.now() - t.createdAt > ctx.triggerTtlMs) throw new ApiError("expired_trigger_id");
  return t;
}

export function viewArg(a: Args): JsonObject {
  const view = a.json("view");
  if (typeof view !== "object" || view === null) throw new ApiError("invalid_arguments");
  const errors = validateView(view);
  if (errors.length > 0) throw new ApiError("invalid_arguments", { response_metadata: { messages: errors } });
  return view as JsonObject;
}
