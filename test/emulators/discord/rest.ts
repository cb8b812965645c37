/**
 * REST API v10 as discord.js/@discordjs/rest calls it: `${api}/v10${route}` with
 * `Authorization: Bot <token>` except on interaction/webhook-token routes (auth: false).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ApiError,
  compilePattern,
  errors,
  matchesRoute,
  parseBody,
  readRawBody,
  snowflake,
  throwIfInvalid,
  type CompiledPattern,
  type FieldError,
} from "./http-util.js";
import { CallbackType, type InteractionHandle, type ModalData } from "./interaction-handle.js";
import { ChannelType, findInTree, type EmulatorStore, type StoredMessage } from "./store.js";
import type {
  CapturedFile,
  EmuCommand,
  EmuMessage,
  EmuScheduledEvent,
  InjectedFailure,
  RequestLogEntry,
  RouteMatcher,
  Snowflake,
} from "./types.js";
import { MessageFlags, validateCommand, validateMessagePayload, validateModal } from "./validate.js";
import { reportBotOutput } from "../../helpers/bot-output.js";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

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

interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: CapturedFile[];
  arrivedAt: number;
}

interface Result {
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

interface PendingFailure {
  matcher: RouteMatcher;
  failure: InjectedFailure;
  remaining: number;
}

const ok = (body: unknown): Result => ({ status: 200, body });
const noContent = (): Result => ({ status: 204 });
const asObj = (v: unknown): Json => (isObj(v) ? v : {});

/** Allowed flags per context (everything else is silently dropped, as Discord does). */
const SENDABLE_FLAGS = MessageFlags.Ephemeral | 4 | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

export class RestApi {
  readonly requests: RequestLogEntry[] = [];
  private readonly failures: PendingFailure[] = [];
  private readonly routes: Route[] = [];

  constructor(private readonly deps: RestDeps) {
    this.registerRoutes();
  }

  get pendingFailures(): number {
    return this.failures.reduce((n, f) => n + f.remaining, 0);
  }

  failNext(matcher: RouteMatcher, failure: InjectedFailure): void {
    this.failures.push({ matcher, failure, remaining: failure.times ?? 1 });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = (req.method ?? "GET").toUpperCase();

    if (method === "GET" && url.pathname.startsWith("/attachments/")) return this.serveAttachment(url.pathname, res);

    const versioned = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
    const path = versioned?.[2] ?? url.pathname;
    const entry: RequestLogEntry = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status: 0,
      injected: false,
      unknownRoute: false,
      at: Date.now(),
    };
    this.requests.push(entry);

    let result: Result;
    let headers: Record<string, string> = {};
    try {
      const raw = await readRawBody(req);
      const parsed = await parseBody(req.headers["content-type"], raw);
      entry.body = parsed.json;
      entry.files = parsed.files;
      if (!versioned) throw errors.notFound();
      if (versioned[1] !== "10") this.deps.log(`[rest] warning: API version v${versioned[1] ?? "none"} used for ${path}`);

      const failure = this.takeFailure(method, path);
      if (failure) {
        entry.injected = true;
        ({ result, headers } = this.failureResponse(failure, method, path));
      } else {
        const match = this.match(method, path);
        if (match === "method") {
          entry.unknownRoute = true;
          throw errors.methodNotAllowed();
        }
        if (!match) {
          entry.unknownRoute = true;
          throw errors.notFound();
        }
        const { route, params } = match;
        if (route.auth === "bot" && req.headers.authorization !== `Bot ${this.deps.token}`) throw errors.unauthorized();
        result = await route.handler({ method, path, params, query: url.searchParams, body: parsed.json, files: parsed.files, arrivedAt });
      }
    } catch (err) {
      if (err instanceof ApiError) result = { status: err.status, body: err.toBody() };
      else {
        this.deps.log(`[rest] internal error on ${method} ${path}: ${String(err)}`);
        result = { status: 500, body: { message: "500: Internal Server Error", code: 0 } };
      }
    }
    entry.status = result.status;
    this.deps.log(`[rest] ${method} ${path} -> ${result.status}`);
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
    } else {
      res.writeHead(result.status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(result.body));
    }
  }

  private serveAttachment(pathname: string, res: ServerResponse): void {
    const id = pathname.split("/")[3] ?? "";
    const file = this.deps.store.attachmentFiles.get(id);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return;
    }
    res.writeHead(200, { "content-type": file.contentType, "content-length": String(file.data.length) });
    res.end(file.data);
  }

  private takeFailure(method: string, path: string): InjectedFailure | undefined {
    const index = this.failures.findIndex((f) => matchesRoute(f.matcher, method, path));
    if (index < 0) return undefined;
    const pending = this.failures[index]!;
    pending.remaining--;
    if (pending.remaining <= 0) this.failures.splice(index, 1);
    return pending.failure;
  }

  /** Answers like Discord: 429 with retry-after + x-ratelimit-* headers and JSON body. */
  private failureResponse(failure: InjectedFailure, method: string, path: string): { result: Result; headers: Record<string, string> } {
    if (failure.status === 429) {
      const f = failure as Extract<InjectedFailure, { status: 429 }>;
      const retryAfter = f.retryAfter ?? 1;
      const global = f.global === true;
      // Discord rounds the header up to whole seconds; it is sent verbatim so tests can use sub-second waits.
      const headers: Record<string, string> = { "retry-after": String(retryAfter), "x-ratelimit-scope": global ? "global" : (f.scope ?? "user") };
      if (global) headers["x-ratelimit-global"] = "true";
      else {
        Object.assign(headers, {
          "x-ratelimit-limit": "5",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
          "x-ratelimit-reset-after": retryAfter.toFixed(3),
          "x-ratelimit-bucket": Buffer.from(`${method} ${path.replace(/\d{5,}/g, ":id")}`).toString("hex").slice(0, 32),
        });
      }
      return { result: { status: 429, body: { message: "You are being rate limited.", retry_after: retryAfter, global, code: global ? 0 : 20028 } }, headers };
    }
    const custom = failure as { status: number; code?: number; message?: string };
    const message = custom.message ?? (failure.status >= 500 ? `${failure.status}: Internal Server Error` : `${failure.status}: Injected failure`);
    return { result: { status: failure.status, body: { message, code: custom.code ?? 0 } }, headers: {} };
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | "method" | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = route.pattern.test(path);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathMatched = true;
    }
    return pathMatched ? "method" : undefined;
  }

  private on(method: string, pattern: string, auth: Route["auth"], handler: Route["handler"]): void {
    this.routes.push({ method, pattern: compilePattern(pattern), auth, handler });
  }

  // ---------------------------------------------------------------- helpers

  private get store(): EmulatorStore {
    return this.deps.store;
  }

  private guild(id: string | undefined): void {
    if (id !== this.store.guildId) throw errors.unknownGuild();
  }

  private app(id: string | undefined): void {
    if (id !== this.store.applicationId) throw errors.missingAccess();
  }

  private channel(id: string | undefined) {
    const channel = id ? this.store.channels.get(id) : undefined;
    if (!channel) throw errors.unknownChannel();
    return channel;
  }

  private storedMessage(channelId: string, messageId: string | undefined): StoredMessage {
    const stored = messageId ? this.store.messages.get(messageId) : undefined;
    if (!stored || stored.deleted || stored.message.channel_id !== channelId) throw errors.unknownMessage();
    return stored;
  }

  /** `prefix` locates the message inside the body: callbacks nest it under `data`, so do their errors. */
  private validateMessage(body: unknown, files: CapturedFile[], creating: boolean, prefix: string[] = []): Json {
    const { errors: list, empty } = validateMessagePayload(body, { creating, fileCount: files.length });
    throwIfInvalid(list.map((e) => ({ ...e, path: [...prefix, ...e.path] })));
    if (empty) throw errors.emptyMessage();
    return asObj(body);
  }

  private isEphemeral(message: EmuMessage): boolean {
    return (message.flags & MessageFlags.Ephemeral) !== 0;
  }

  private emitMessage(t: "MESSAGE_CREATE" | "MESSAGE_UPDATE", message: EmuMessage): void {
    if (this.isEphemeral(message)) return;
    const member = message.guild_id && !message.webhook_id ? this.store.member(message.author.id) : undefined;
    const { user: _user, ...memberWithoutUser } = member ?? { user: undefined };
    this.deps.dispatch(t, { ...message, ...(member ? { member: memberWithoutUser } : {}) });
  }

  private emitDelete(message: EmuMessage): void {
    if (this.isEphemeral(message)) return;
    this.deps.dispatch("MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, ...(message.guild_id ? { guild_id: message.guild_id } : {}) });
  }

  private interactionMetadata(h: InteractionHandle): Json {
    const user = asObj(h.payload.user ?? asObj(h.payload.member).user);
    const data = asObj(h.payload.data);
    return {
      id: h.id,
      type: h.payload.type,
      user,
      authorizing_integration_owners: h.payload.authorizing_integration_owners ?? {},
      ...(h.kind === "command" ? { name: data.name, command_type: 1 } : {}),
      ...(h.sourceMessageId ? { interacted_message_id: h.sourceMessageId } : {}),
    };
  }

  private createInteractionMessage(h: InteractionHandle, body: Json, files: CapturedFile[], flags: number): StoredMessage {
    return this.store.createMessage(h.channelId, body, files, {
      author: this.store.botUser,
      type: h.kind === "command" ? 20 : 0,
      webhookId: this.store.applicationId,
      interactionId: h.id,
      interactionMetadata: this.interactionMetadata(h),
      flags,
    });
  }

  private webhookInteraction(app: string | undefined, token: string | undefined): InteractionHandle {
    const h = token ? this.deps.interactionByToken(token) : undefined;
    if (!h || app !== this.store.applicationId) throw errors.unknownWebhook();
    return h;
  }

  /** Messages a webhook token may touch: @original and its follow-ups. */
  private webhookMessage(h: InteractionHandle, messageId: string | undefined): StoredMessage {
    const id = messageId === "@original" ? h.originalId : messageId;
    const allowed = id !== undefined && (id === h.originalId || h.followUpIds.includes(id));
    const stored = allowed ? this.store.messages.get(id) : undefined;
    if (!stored || stored.deleted) throw errors.unknownMessage();
    return stored;
  }

  private toCommand(body: Json, guildId: string | undefined, existing: EmuCommand | undefined): EmuCommand {
    const type = typeof body.type === "number" ? body.type : 1;
    return {
      id: existing?.id ?? snowflake(),
      application_id: this.store.applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      name: String(body.name),
      name_localizations: body.name_localizations ?? null,
      description: typeof body.description === "string" ? body.description : "",
      description_localizations: body.description_localizations ?? null,
      type,
      ...(Array.isArray(body.options) && body.options.length > 0 ? { options: body.options as EmuCommand["options"] } : {}),
      default_member_permissions: typeof body.default_member_permissions === "string" ? body.default_member_permissions : null,
      dm_permission: guildId ? undefined : body.dm_permission ?? true,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      nsfw: body.nsfw === true,
      version: snowflake(),
    };
  }

  private bulkOverwrite(body: unknown, guildId: string | undefined, current: EmuCommand[]): EmuCommand[] {
    if (!Array.isArray(body)) throw errors.invalidFormBody({ _errors: [{ code: "BASE_TYPE_ARRAY", message: "Must be an array." }] });
    const problems: FieldError[] = body.flatMap((cmd, i) => validateCommand(cmd, [i]));
    const seen = new Set<string>();
    body.forEach((cmd, i) => {
      const key = `${asObj(cmd).type ?? 1}:${String(asObj(cmd).name)}`;
      if (seen.has(key)) problems.push({ path: [i, "name"], code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: "Application command names must be unique" });
      seen.add(key);
    });
    if (body.length > 100) problems.push({ path: [], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." });
    throwIfInvalid(problems);
    return body.map((cmd) => {
      const c = asObj(cmd);
      const existing = current.find((e) => e.name === c.name && e.type === (c.type ?? 1));
      return this.toCommand(c, guildId, existing);
    });
  }

  private upsertCommand(body: unknown, guildId: string | undefined, list: EmuCommand[]): { list: EmuCommand[]; command: EmuCommand; created: boolean } {
    throwIfInvalid(validateCommand(body));
    const c = asObj(body);
    const existing = list.find((e) => e.name === c.name && e.type === (c.type ?? 1));
    const command = this.toCommand(c, guildId, existing);
    return { list: existing ? list.map((e) => (e === existing ? command : e)) : [...list, command], command, created: !existing };
  }

  private scheduledEventFrom(body: Json, existing: EmuScheduledEvent | undefined): EmuScheduledEvent {
    const merged: Json = { ...(existing ?? {}), ...body };
    const problems: FieldError[] = [];
    const entityType = merged.entity_type;
    if (typeof merged.name !== "string" || merged.name.length === 0) problems.push({ path: ["name"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    else if (merged.name.length > 100) problems.push({ path: ["name"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." });
    if (typeof merged.description === "string" && merged.description.length > 1000) problems.push({ path: ["description"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 1000 or fewer in length." });
    if (merged.privacy_level !== 2) problems.push({ path: ["privacy_level"], code: "BASE_TYPE_CHOICES", message: "Value must be one of {2}." });
    if (entityType !== 1 && entityType !== 2 && entityType !== 3) problems.push({ path: ["entity_type"], code: "BASE_TYPE_CHOICES", message: "Value must be one of {1, 2, 3}." });
    const start = typeof merged.scheduled_start_time === "string" ? Date.parse(merged.scheduled_start_time) : NaN;
    if (Number.isNaN(start)) problems.push({ path: ["scheduled_start_time"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    else if (!existing && start < Date.now()) problems.push({ path: ["scheduled_start_time"], code: "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", message: "Cannot schedule event in the past." });
    const end = typeof merged.scheduled_end_time === "string" ? Date.parse(merged.scheduled_end_time) : NaN;
    if (entityType === 3) {
      if (!isObj(merged.entity_metadata) || typeof merged.entity_metadata.location !== "string" || merged.entity_metadata.location.length === 0) {
        problems.push({ path: ["entity_metadata", "location"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      } else if (merged.entity_metadata.location.length > 100) {
        problems.push({ path: ["entity_metadata", "location"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." });
      }
      if (Number.isNaN(end)) problems.push({ path: ["scheduled_end_time"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    } else if ((entityType === 1 || entityType === 2) && typeof merged.channel_id !== "string") {
      problems.push({ path: ["channel_id"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    }
    if (!Number.isNaN(end) && !Number.isNaN(start) && end <= start) problems.push({ path: ["scheduled_end_time"], code: "GUILD_SCHEDULED_EVENT_END_BEFORE_START", message: "Scheduled end time must be after scheduled start time." });
    throwIfInvalid(problems);
    return {
      id: existing?.id ?? snowflake(),
      guild_id: this.store.guildId,
      channel_id: entityType === 3 ? null : ((merged.channel_id as string | undefined) ?? null),
      creator_id: existing?.creator_id ?? this.store.botUserId,
      creator: existing?.creator ?? this.store.botUser,
      name: merged.name as string,
      description: typeof merged.description === "string" ? merged.description : null,
      scheduled_start_time: new Date(start).toISOString(),
      scheduled_end_time: Number.isNaN(end) ? null : new Date(end).toISOString(),
      privacy_level: 2,
      status: typeof merged.status === "number" ? merged.status : 1,
      entity_type: entityType as number,
      entity_id: null,
      entity_metadata: entityType === 3 ? { location: (merged.entity_metadata as Json).location as string } : null,
      user_count: existing?.user_count ?? 0,
      image: null,
      recurrence_rule: merged.recurrence_rule ?? null,
    };
  }

  // ---------------------------------------------------------------- routes

  private registerRoutes(): void {
    const s = (): EmulatorStore => this.store;

    // Gateway discovery: the only request discord.js makes before opening the socket.
    this.on("GET", "/gateway", "none", () => ok({ url: this.deps.gatewayUrl() }));
    this.on("GET", "/gateway/bot", "bot", () =>
      ok({ url: this.deps.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }),
    );

    // Users & application
    this.on("GET", "/users/@me", "bot", () => ok({ ...s().botUser, verified: true, mfa_enabled: false, flags: 0, email: null, locale: "fr" }));
    this.on("GET", "/users/:user", "bot", ({ params }) => {
      if (!s().users.has(params.user!)) throw errors.unknownUser();
      return ok(s().user(params.user!));
    });
    this.on("POST", "/users/@me/channels", "bot", ({ body }) => {
      const recipient = asObj(body).recipient_id;
      if (typeof recipient !== "string" || !s().users.has(recipient)) throw errors.unknownUser();
      return ok(s().dmChannel(recipient));
    });
    const application = (): Json => ({
      id: s().applicationId,
      name: s().botUser.username,
      icon: null,
      description: "",
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: "0".repeat(64),
      flags: this.deps.applicationFlags(),
      owner: s().users.get(s().ownerId())?.user ?? s().botUser,
      team: null,
      bot: s().botUser,
      approximate_guild_count: 1,
      install_params: { scopes: ["bot", "applications.commands"], permissions: "0" },
      integration_types_config: { "0": {} },
    });
    this.on("GET", "/applications/@me", "bot", () => ok(application()));
    this.on("PATCH", "/applications/@me", "bot", () => ok(application()));

    // Application commands (global and guild)
    this.on("GET", "/applications/:app/commands", "bot", ({ params }) => {
      this.app(params.app);
      return ok(s().globalCommands);
    });
    this.on("PUT", "/applications/:app/commands", "bot", ({ params, body }) => {
      this.app(params.app);
      s().globalCommands = this.bulkOverwrite(body, undefined, s().globalCommands);
      this.deps.onCommandsPut("global");
      return ok(s().globalCommands);
    });
    this.on("POST", "/applications/:app/commands", "bot", ({ params, body }) => {
      this.app(params.app);
      const { list, command, created } = this.upsertCommand(body, undefined, s().globalCommands);
      s().globalCommands = list;
      return { status: created ? 201 : 200, body: command };
    });
    const globalCommand = (params: Record<string, string>): EmuCommand => {
      this.app(params.app);
      const cmd = s().globalCommands.find((c) => c.id === params.cmd);
      if (!cmd) throw errors.unknownCommand();
      return cmd;
    };
    this.on("GET", "/applications/:app/commands/:cmd", "bot", ({ params }) => ok(globalCommand(params)));
    this.on("PATCH", "/applications/:app/commands/:cmd", "bot", ({ params, body }) => {
      const cmd = globalCommand(params);
      const updated = this.toCommand({ ...cmd, ...asObj(body) }, undefined, cmd);
      throwIfInvalid(validateCommand(updated));
      s().globalCommands = s().globalCommands.map((c) => (c === cmd ? updated : c));
      return ok(updated);
    });
    this.on("DELETE", "/applications/:app/commands/:cmd", "bot", ({ params }) => {
      const cmd = globalCommand(params);
      s().globalCommands = s().globalCommands.filter((c) => c !== cmd);
      return noContent();
    });
    this.on("GET", "/applications/:app/guilds/:guild/commands", "bot", ({ params }) => {
      this.app(params.app);
      this.guild(params.guild);
      return ok(s().guildCommands);
    });
    this.on("PUT", "/applications/:app/guilds/:guild/commands", "bot", ({ params, body }) => {
      this.app(params.app);
      this.guild(params.guild);
      s().guildCommands = this.bulkOverwrite(body, params.guild, s().guildCommands);
      this.deps.onCommandsPut("guild");
      return ok(s().guildCommands);
    });
    this.on("POST", "/applications/:app/guilds/:guild/commands", "bot", ({ params, body }) => {
      this.app(params.app);
      this.guild(params.guild);
      const { list, command, created } = this.upsertCommand(body, params.guild, s().guildCommands);
      s().guildCommands = list;
      return { status: created ? 201 : 200, body: command };
    });
    const guildCommand = (params: Record<string, string>): EmuCommand => {
      this.app(params.app);
      this.guild(params.guild);
      const cmd = s().guildCommands.find((c) => c.id === params.cmd);
      if (!cmd) throw errors.unknownCommand();
      return cmd;
    };
    this.on("GET", "/applications/:app/guilds/:guild/commands/:cmd", "bot", ({ params }) => ok(guildCommand(params)));
    this.on("PATCH", "/applications/:app/guilds/:guild/commands/:cmd", "bot", ({ params, body }) => {
      const cmd = guildCommand(params);
      const updated = this.toCommand({ ...cmd, ...asObj(body) }, params.guild, cmd);
      throwIfInvalid(validateCommand(updated));
      s().guildCommands = s().guildCommands.map((c) => (c === cmd ? updated : c));
      return ok(updated);
    });
    this.on("DELETE", "/applications/:app/guilds/:guild/commands/:cmd", "bot", ({ params }) => {
      const cmd = guildCommand(params);
      s().guildCommands = s().guildCommands.filter((c) => c !== cmd);
      return noContent();
    });

    this.registerInteractionRoutes();
    this.registerChannelRoutes();
    this.registerGuildRoutes();
  }

  private registerInteractionRoutes(): void {
    this.on("POST", "/interactions/:id/:token/callback", "none", ({ params, body, files, query, arrivedAt }) => {
      const h = this.deps.interactionById(params.id!);
      if (!h || h.token !== params.token) throw errors.unknownInteraction();
      const payload = asObj(body);
      const type = typeof payload.type === "number" ? payload.type : -1;
      const data = isObj(payload.data) ? payload.data : undefined;
      const fromMessage = h.sourceMessageId !== undefined;
      const invalidType = (): never => {
        throw errors.invalidFormBody({ type: { _errors: [{ code: "INTERACTION_RESPONSE_TYPE_INVALID", message: `Interaction response type ${type} is not valid for this interaction` }] } });
      };
      let resourceMessage: EmuMessage | undefined;
      try {
        if (h.acknowledged) throw errors.alreadyAcknowledged();
        // Discord forgets interactions not acknowledged within 3 seconds.
        if (h.sentAt === undefined || arrivedAt - h.sentAt > this.deps.interactionDeadlineMs) throw errors.unknownInteraction();
        switch (type) {
          case CallbackType.ChannelMessageWithSource: {
            const msgBody = this.validateMessage(data, files, true, ["data"]);
            const flags = (typeof msgBody.flags === "number" ? msgBody.flags : 0) & SENDABLE_FLAGS;
            const stored = this.createInteractionMessage(h, msgBody, files, flags);
            h.originalId = stored.message.id;
            resourceMessage = stored.message;
            this.emitMessage("MESSAGE_CREATE", stored.message);
            break;
          }
          case CallbackType.DeferredChannelMessageWithSource: {
            const flags = ((typeof data?.flags === "number" ? data.flags : 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
            const stored = this.createInteractionMessage(h, {}, [], flags);
            h.originalId = stored.message.id;
            resourceMessage = stored.message;
            this.emitMessage("MESSAGE_CREATE", stored.message);
            break;
          }
          case CallbackType.DeferredMessageUpdate: {
            if (!fromMessage) invalidType();
            h.originalId = h.sourceMessageId;
            break;
          }
          case CallbackType.UpdateMessage: {
            if (!fromMessage) invalidType();
            const msgBody = this.validateMessage(data ?? {}, files, false, ["data"]);
            const stored = this.store.messages.get(h.sourceMessageId!);
            if (!stored || stored.deleted) throw errors.unknownMessage();
            h.originalId = h.sourceMessageId;
            this.store.editMessage(stored, msgBody, files);
            resourceMessage = stored.message;
            this.emitMessage("MESSAGE_UPDATE", stored.message);
            break;
          }
          case CallbackType.ApplicationCommandAutocompleteResult: {
            if (h.payload.type !== 4) invalidType();
            h.autocompleteChoices = Array.isArray(data?.choices) ? data.choices : [];
            break;
          }
          case CallbackType.Modal: {
            // A modal cannot answer a modal submission.
            if (h.kind === "modal") invalidType();
            throwIfInvalid(validateModal(data));
            // Discord numbers modal components too; the submission echoes those ids.
            h.modal = { ...(data as unknown as ModalData), components: this.store.numberComponents(data?.components) };
            reportBotOutput("Discord, formulaire", modalText(h.modal));
            break;
          }
          default:
            invalidType();
        }
      } catch (err) {
        if (err instanceof ApiError) {
          h.rejectedCallbacks.push({ type, data, files, status: err.status, errorCode: err.code, at: arrivedAt });
          h.touch();
        }
        throw err;
      }
      h.callbacks.push({ type, data, files, status: query.get("with_response") === "true" ? 200 : 204, at: arrivedAt });
      h.touch(files);
      if (query.get("with_response") !== "true") return noContent();
      const msg = h.message;
      return ok({
        interaction: {
          id: h.id,
          type: h.payload.type,
          response_message_id: msg?.id,
          response_message_loading: msg ? (msg.flags & MessageFlags.Loading) !== 0 : undefined,
          response_message_ephemeral: msg ? (msg.flags & MessageFlags.Ephemeral) !== 0 : undefined,
        },
        resource: { type, ...(resourceMessage ? { message: resourceMessage } : {}) },
      });
    });

    this.on("POST", "/webhooks/:app/:token", "none", ({ params, body, files, query }) => {
      const h = this.webhookInteraction(params.app, params.token);
      // Follow-ups only exist once the interaction has been acknowledged.
      if (!h.acknowledged) throw errors.unknownWebhook();
      const msgBody = this.validateMessage(body, files, true);
      h.touch(files);
      const original = h.originalId ? this.store.messages.get(h.originalId) : undefined;
      let message: EmuMessage;
      if (original && !original.deleted && (original.message.flags & MessageFlags.Loading) !== 0) {
        // After a deferred reply, Discord turns the first follow-up into the reply itself.
        message = this.store.editMessage(original, msgBody, files, { clearLoading: true });
        this.emitMessage("MESSAGE_UPDATE", message);
      } else {
        const flags = (typeof msgBody.flags === "number" ? msgBody.flags : 0) & SENDABLE_FLAGS;
        const stored = this.createInteractionMessage(h, msgBody, files, flags);
        h.followUpIds.push(stored.message.id);
        message = stored.message;
        this.emitMessage("MESSAGE_CREATE", message);
      }
      h.touch();
      return query.get("wait") === "true" ? ok(message) : noContent();
    });
    this.on("GET", "/webhooks/:app/:token/messages/:message", "none", ({ params }) => {
      const h = this.webhookInteraction(params.app, params.token);
      return ok(this.webhookMessage(h, params.message).message);
    });
    this.on("PATCH", "/webhooks/:app/:token/messages/:message", "none", ({ params, body, files }) => {
      const h = this.webhookInteraction(params.app, params.token);
      h.touch(files);
      const stored = this.webhookMessage(h, params.message);
      const msgBody = this.validateMessage(body ?? {}, files, false);
      const message = this.store.editMessage(stored, msgBody, files, { clearLoading: true });
      this.emitMessage("MESSAGE_UPDATE", message);
      h.touch();
      return ok(message);
    });
    this.on("DELETE", "/webhooks/:app/:token/messages/:message", "none", ({ params }) => {
      const h = this.webhookInteraction(params.app, params.token);
      const stored = this.webhookMessage(h, params.message);
      stored.deleted = true;
      this.emitDelete(stored.message);
      h.touch();
      return noContent();
    });
  }

  private registerChannelRoutes(): void {
    const s = (): EmulatorStore => this.store;

    this.on("GET", "/channels/:channel", "bot", ({ params }) => ok(this.channel(params.channel)));
    this.on("POST", "/channels/:channel/messages", "bot", ({ params, body, files }) => {
      const channel = this.channel(params.channel);
      if (channel.type === ChannelType.DM) {
        const recipient = s().dmRecipient(channel);
        if (!recipient || recipient.dmsClosed || recipient.user.bot) throw errors.cannotDmUser();
      }
      const msgBody = this.validateMessage(body, files, true);
      // enforce_nonce: the same nonce from the same author within a few minutes returns the
      // message it created, and creates nothing (what makes a retried send idempotent).
      const nonce = typeof msgBody.nonce === "string" || typeof msgBody.nonce === "number" ? String(msgBody.nonce) : undefined;
      const enforced = nonce !== undefined && msgBody.enforce_nonce === true;
      const earlier = enforced ? s().messageByNonce(s().botUser.id, nonce) : undefined;
      if (earlier && !earlier.deleted) return ok({ ...earlier.message, nonce });
      const flags = (typeof msgBody.flags === "number" ? msgBody.flags : 0) & (4 | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2);
      const stored = s().createMessage(channel.id, msgBody, files, { author: s().botUser, flags });
      if (enforced) s().rememberNonce(s().botUser.id, nonce, stored.message.id);
      this.emitMessage("MESSAGE_CREATE", stored.message);
      return ok(nonce === undefined ? stored.message : { ...stored.message, nonce });
    });
    this.on("GET", "/channels/:channel/messages", "bot", ({ params, query }) => {
      const channel = this.channel(params.channel);
      const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 50)));
      let list = s().messagesIn(channel.id).map((m) => m.message).filter((m) => !this.isEphemeral(m));
      const before = query.get("before");
      const after = query.get("after");
      if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
      if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
      return ok(list.reverse().slice(0, limit));
    });
    this.on("GET", "/channels/:channel/messages/:message", "bot", ({ params }) => {
      const channel = this.channel(params.channel);
      return ok(this.storedMessage(channel.id, params.message).message);
    });
    this.on("PATCH", "/channels/:channel/messages/:message", "bot", ({ params, body, files }) => {
      const channel = this.channel(params.channel);
      const stored = this.storedMessage(channel.id, params.message);
      if (stored.message.author.id !== s().botUserId) throw errors.cannotEditOthers();
      const msgBody = this.validateMessage(body ?? {}, files, false);
      const message = s().editMessage(stored, msgBody, files);
      this.emitMessage("MESSAGE_UPDATE", message);
      return ok(message);
    });
    this.on("DELETE", "/channels/:channel/messages/:message", "bot", ({ params }) => {
      const channel = this.channel(params.channel);
      const stored = this.storedMessage(channel.id, params.message);
      stored.deleted = true;
      this.emitDelete(stored.message);
      return noContent();
    });
    this.on("POST", "/channels/:channel/typing", "bot", ({ params }) => {
      this.channel(params.channel);
      return noContent();
    });

    // Pins: discord.js 14.28 uses /messages/pins/:id; the legacy /pins/:id still exists on Discord.
    const pin = (pinned: boolean) => ({ params }: Ctx): Result => {
      const channel = this.channel(params.channel);
      const stored = this.storedMessage(channel.id, params.message);
      stored.message.pinned = pinned;
      this.deps.dispatch("CHANNEL_PINS_UPDATE", { channel_id: channel.id, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}), last_pin_timestamp: new Date().toISOString() });
      return noContent();
    };
    this.on("PUT", "/channels/:channel/pins/:message", "bot", pin(true));
    this.on("DELETE", "/channels/:channel/pins/:message", "bot", pin(false));
    this.on("PUT", "/channels/:channel/messages/pins/:message", "bot", pin(true));
    this.on("DELETE", "/channels/:channel/messages/pins/:message", "bot", pin(false));
    const pinned = (channelId: string): EmuMessage[] =>
      s().messagesIn(channelId).map((m) => m.message).filter((m) => m.pinned).reverse();
    this.on("GET", "/channels/:channel/pins", "bot", ({ params }) => ok(pinned(this.channel(params.channel).id)));
    this.on("GET", "/channels/:channel/messages/pins", "bot", ({ params }) =>
      ok({ items: pinned(this.channel(params.channel).id).map((message) => ({ pinned_at: message.timestamp, message })), has_more: false }),
    );

    const react = (add: boolean) => ({ params }: Ctx): Result => {
      const channel = this.channel(params.channel);
      const stored = this.storedMessage(channel.id, params.message);
      const name = decodeURIComponent(params.emoji ?? "");
      const reactions = (stored.message.reactions ??= []);
      const existing = reactions.find((r) => r.emoji.name === name || `${r.emoji.name}:${r.emoji.id}` === name);
      if (add && !existing) reactions.push({ emoji: { id: null, name }, count: 1, me: true });
      else if (add && existing && !existing.me) Object.assign(existing, { count: existing.count + 1, me: true });
      else if (!add && existing?.me) {
        existing.count--;
        existing.me = false;
        if (existing.count === 0) reactions.splice(reactions.indexOf(existing), 1);
      }
      return noContent();
    };
    this.on("PUT", "/channels/:channel/messages/:message/reactions/:emoji/@me", "bot", react(true));
    this.on("DELETE", "/channels/:channel/messages/:message/reactions/:emoji/@me", "bot", react(false));
  }

  private registerGuildRoutes(): void {
    const s = (): EmulatorStore => this.store;

    this.on("GET", "/guilds/:guild", "bot", ({ params, query }) => {
      this.guild(params.guild);
      const counts = query.get("with_counts") === "true" ? { approximate_member_count: s().members.size, approximate_presence_count: 0 } : {};
      return ok({ ...s().guildObject(), ...counts });
    });
    this.on("GET", "/guilds/:guild/channels", "bot", ({ params }) => {
      this.guild(params.guild);
      return ok(s().guildChannels());
    });
    this.on("POST", "/guilds/:guild/channels", "bot", ({ params, body }) => {
      this.guild(params.guild);
      const b = asObj(body);
      if (typeof b.name !== "string" || b.name.length === 0) throwIfInvalid([{ path: ["name"], code: "BASE_TYPE_REQUIRED", message: "This field is required" }]);
      const channel = s().addChannel({ name: b.name as string, ...(typeof b.type === "number" ? { type: b.type } : {}), parentId: (b.parent_id as string | undefined) ?? null, topic: (b.topic as string | undefined) ?? null });
      this.deps.dispatch("CHANNEL_CREATE", channel);
      return { status: 201, body: channel };
    });
    this.on("GET", "/guilds/:guild/roles", "bot", ({ params }) => {
      this.guild(params.guild);
      return ok([...s().roles.values()]);
    });
    // Listing members needs the privileged GUILD_MEMBERS intent enabled in the developer portal.
    this.on("GET", "/guilds/:guild/members", "bot", ({ params, query }) => {
      this.guild(params.guild);
      if ((this.deps.privilegedIntents & (1 << 1)) === 0) throw errors.missingAccess();
      const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 1)));
      const after = BigInt(query.get("after") ?? "0");
      const ids = [...s().members.keys()].filter((id) => BigInt(id) > after).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      return ok(ids.slice(0, limit).map((id) => s().member(id)));
    });
    this.on("GET", "/guilds/:guild/members/search", "bot", ({ params, query }) => {
      this.guild(params.guild);
      const q = (query.get("query") ?? "").toLowerCase();
      const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 1)));
      const found = [...s().members.keys()]
        .map((id) => s().member(id)!)
        .filter((m) => [m.user.username, m.user.global_name ?? "", m.nick ?? ""].some((n) => n.toLowerCase().startsWith(q)));
      return ok(found.slice(0, limit));
    });
    this.on("GET", "/guilds/:guild/members/:user", "bot", ({ params }) => {
      this.guild(params.guild);
      const id = params.user === "@me" ? s().botUserId : params.user!;
      // Discord distinguishes a user that does not exist from one that is not in the guild.
      if (!s().users.has(id)) throw errors.unknownUser();
      const member = s().member(id);
      if (!member) throw errors.unknownMember();
      return ok(member);
    });
    this.on("PATCH", "/guilds/:guild/members/:user", "bot", ({ params, body }) => {
      this.guild(params.guild);
      const id = params.user === "@me" ? s().botUserId : params.user!;
      const rec = s().members.get(id);
      if (!rec) throw errors.unknownMember();
      const b = asObj(body);
      if ("nick" in b) rec.nick = typeof b.nick === "string" && b.nick.length > 0 ? b.nick : null;
      if (Array.isArray(b.roles)) rec.roles = b.roles.map(String);
      const member = s().member(id)!;
      this.deps.dispatch("GUILD_MEMBER_UPDATE", { guild_id: s().guildId, ...member });
      return ok(member);
    });
    const memberRole = (add: boolean) => ({ params }: Ctx): Result => {
      this.guild(params.guild);
      const rec = s().members.get(params.user!);
      if (!rec) throw errors.unknownMember();
      if (!s().roles.has(params.role!)) throw errors.unknownRole();
      rec.roles = add ? [...new Set([...rec.roles, params.role!])] : rec.roles.filter((r) => r !== params.role);
      this.deps.dispatch("GUILD_MEMBER_UPDATE", { guild_id: s().guildId, ...s().member(params.user!)! });
      return noContent();
    };
    this.on("PUT", "/guilds/:guild/members/:user/roles/:role", "bot", memberRole(true));
    this.on("DELETE", "/guilds/:guild/members/:user/roles/:role", "bot", memberRole(false));

    // Scheduled events
    const event = (params: Record<string, string>): EmuScheduledEvent => {
      this.guild(params.guild);
      const found = s().scheduledEvents.get(params.event!);
      if (!found) throw errors.unknownScheduledEvent();
      return found;
    };
    const withCount = (e: EmuScheduledEvent, query: URLSearchParams): Json => {
      if (query.get("with_user_count") === "true") return e;
      const { user_count: _count, ...rest } = e;
      return rest;
    };
    this.on("GET", "/guilds/:guild/scheduled-events", "bot", ({ params, query }) => {
      this.guild(params.guild);
      return ok([...s().scheduledEvents.values()].map((e) => withCount(e, query)));
    });
    this.on("POST", "/guilds/:guild/scheduled-events", "bot", ({ params, body }) => {
      this.guild(params.guild);
      const created = this.scheduledEventFrom(asObj(body), undefined);
      s().scheduledEvents.set(created.id, created);
      this.deps.dispatch("GUILD_SCHEDULED_EVENT_CREATE", created);
      return ok(created);
    });
    this.on("GET", "/guilds/:guild/scheduled-events/:event", "bot", ({ params, query }) => ok(withCount(event(params), query)));
    this.on("PATCH", "/guilds/:guild/scheduled-events/:event", "bot", ({ params, body }) => {
      const existing = event(params);
      const updated = this.scheduledEventFrom(asObj(body), existing);
      s().scheduledEvents.set(updated.id, updated);
      this.deps.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", updated);
      return ok(updated);
    });
    this.on("DELETE", "/guilds/:guild/scheduled-events/:event", "bot", ({ params }) => {
      const existing = event(params);
      s().scheduledEvents.delete(existing.id);
      this.deps.dispatch("GUILD_SCHEDULED_EVENT_DELETE", existing);
      return noContent();
    });
    this.on("GET", "/guilds/:guild/scheduled-events/:event/users", "bot", ({ params }) => {
      event(params);
      return ok([]);
    });
  }
}

/** What a form shows: its title, labels, placeholders and prefilled values (for the style check). */
function modalText(modal: ModalData): string {
  const texts = [modal.title];
  findInTree(modal.components, (c) => {
    for (const key of ["label", "placeholder", "value"] as const) {
      const v = (c as Record<string, unknown>)[key];
      if (typeof v === "string") texts.push(v);
    }
    return false;
  });
  return texts.join("\n");
}
