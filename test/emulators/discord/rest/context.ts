/**
 * What every REST route module shares: the request context, the route table, and the lookups and
 * gateway echoes that several resources need (a channel, a message, MESSAGE_CREATE…).
 */
import { compilePattern, errors, throwIfInvalid, type CompiledPattern } from "../http-util.js";
import type { InteractionHandle } from "../interaction-handle.js";
import type { EmulatorStore, StoredMessage } from "../store.js";
import type { CapturedFile, EmuMessage, Snowflake } from "../types.js";
import { MessageFlags, validateMessagePayload } from "../validate.js";

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const asObj = (v: unknown): Json => (isObj(v) ? v : {});

export interface RestDeps {
  store: EmulatorStore;
  token: string;
  gatewayUrl(): string;
  applicationFlags(): number;
  privilegedIntents: number;
  dispatch(t: string, d: Json): void;
  interactionById(id: Snowflake): InteractionHandle | undefined;
  interactionByToken(token: string): InteractionHandle | undefined;
  interactionDeadlineMs: number;
  onCommandsPut(scope: "guild" | "global"): void;
  log(line: string): void;
}

export interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: CapturedFile[];
  arrivedAt: number;
}

export interface Result {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  pattern: CompiledPattern;
  /** "bot": needs `Authorization: Bot <token>`; "none": token-in-URL routes. */
  auth: "bot" | "none";
  handler(ctx: Ctx): Result | Promise<Result>;
}

export const ok = (body: unknown): Result => ({ status: 200, body });
export const noContent = (): Result => ({ status: 204 });

/** Allowed flags per context (everything else is silently dropped, as Discord does). */
export const SENDABLE_FLAGS = MessageFlags.Ephemeral | 4 | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

/** The route table plus the helpers the route modules share. */
export class RestContext {
  readonly routes: Route[] = [];

  constructor(readonly deps: RestDeps) {}

  get store(): EmulatorStore {
    return this.deps.store;
  }

  on(method: string, pattern: string, auth: Route["auth"], handler: Route["handler"]): void {
    this.routes.push({ method, pattern: compilePattern(pattern), auth, handler });
  }

  /** The first route whose path matches wins; "method" when only another method's route matches. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | "method" | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = route.pattern.test(path);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathMatched = true;
    }
    return pathMatched ? "method" : undefined;
  }

  guild(id: string | undefined): void {
    if (id !== this.store.guildId) throw errors.unknownGuild();
  }

  app(id: string | undefined): void {
    if (id !== this.store.applicationId) throw errors.missingAccess();
  }

  channel(id: string | undefined) {
    const channel = id ? this.store.channels.get(id) : undefined;
    if (!channel) throw errors.unknownChannel();
    return channel;
  }

  storedMessage(channelId: string, messageId: string | undefined): StoredMessage {
    const stored = messageId ? this.store.messages.get(messageId) : undefined;
    if (!stored || stored.deleted || stored.message.channel_id !== channelId) throw errors.unknownMessage();
    return stored;
  }

  /** `prefix` locates the message inside the body: callbacks nest it under `data`, so do their errors. */
  validateMessage(body: unknown, files: CapturedFile[], creating: boolean, prefix: string[] = []): Json {
    const { errors: list, empty } = validateMessagePayload(body, { creating, fileCount: files.length });
    throwIfInvalid(list.map((e) => ({ ...e, path: [...prefix, ...e.path] })));
    if (empty) throw errors.emptyMessage();
    return asObj(body);
  }

  isEphemeral(message: EmuMessage): boolean {
    return (message.flags & MessageFlags.Ephemeral) !== 0;
  }

  emitMessage(t: "MESSAGE_CREATE" | "MESSAGE_UPDATE", message: EmuMessage): void {
    if (this.isEphemeral(message)) return;
    const member = message.guild_id && !message.webhook_id ? this.store.member(message.author.id) : undefined;
    const { user: _user, ...memberWithoutUser } = member ?? { user: undefined };
    this.deps.dispatch(t, { ...message, ...(member ? { member: memberWithoutUser } : {}) });
  }

  emitDelete(message: EmuMessage): void {
    if (this.isEphemeral(message)) return;
    this.deps.dispatch("MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, ...(message.guild_id ? { guild_id: message.guild_id } : {}) });
  }
}
