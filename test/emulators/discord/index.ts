/**
 * A Discord emulator an unmodified discord.js 14 client runs against over 127.0.0.1.
 *
 *   const emu = await startDiscordEmulator();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });
 *   await client.login(emu.token);
 *   const h = emu.sendCommand({ userId: alice.id, name: "ping" });
 *   expect((await h.final()).content).toBe("pong");
 *
 * One HTTP server serves REST under /api/v10 and upgrades /gateway to the gateway; the
 * client discovers the latter through GET /gateway/bot, exactly as against Discord.
 */
import { WAIT_CEILING_MS } from "../wait.js";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { GatewayServer, Intent, PRIVILEGED_INTENTS, type GatewayStats } from "./gateway.js";
import { snowflake } from "./http-util.js";
import { InteractionHandle, type InteractionKind, type ModalData } from "./interaction-handle.js";
import { RestApi } from "./rest.js";
import {
  ChannelType,
  DEFAULT_BOT_PERMISSIONS,
  EmulatorStore,
  Perm,
  ALL_PERMISSIONS,
  wireOverwrite,
  type PermissionOverwrite,
  type StoredMessage,
} from "./store.js";
import type {
  CommandOptionInput,
  DiscordEmulatorOptions,
  EmuChannel,
  EmuCommand,
  EmuCommandOption,
  EmuComponent,
  EmuMember,
  EmuMessage,
  EmuRole,
  EmuScheduledEvent,
  EmuUser,
  InjectedFailure,
  RequestLogEntry,
  RouteMatcher,
  Snowflake,
} from "./types.js";

export * from "./types.js";
export { InteractionHandle, CallbackType, messageText, customIdsOf } from "./interaction-handle.js";
export type { CallbackRecord, FinalView, FinalOptions, ModalData, WaitOptions } from "./interaction-handle.js";
export { Intent, PRIVILEGED_INTENTS } from "./gateway.js";
export type { GatewayStats } from "./gateway.js";
export { MessageFlags } from "./validate.js";
export { ChannelType, DEFAULT_BOT_PERMISSIONS, Perm, type PermissionOverwrite } from "./store.js";

type Json = Record<string, unknown>;

export interface AddUserOptions {
  id?: Snowflake;
  username: string;
  globalName?: string | null;
  /** Refuses DMs from the bot: posting in their DM channel answers 403 / 50007. */
  dmsClosed?: boolean;
  /** Also a member of the guild (default true). */
  member?: boolean;
  roles?: Snowflake[];
  nick?: string | null;
  locale?: string;
  bot?: boolean;
}

export interface SendCommandOptions {
  userId: Snowflake;
  /** Defaults to the `général` channel (or the user's DM channel with `dm: true`). */
  channelId?: Snowflake;
  dm?: boolean;
  name: string;
  /** `"sub"` or `"group sub"`. */
  subcommand?: string;
  options?: Record<string, CommandOptionInput>;
  locale?: string;
  /** Sent from another guild where the application is also installed (the user is a member there). */
  guildId?: Snowflake;
}

export interface ComponentInteractionOptions {
  userId: Snowflake;
  customId: string;
  /** Message carrying the component; defaults to the newest message that has it. */
  message?: EmuMessage | Snowflake;
  /** Sent from another guild where the application is also installed. */
  guildId?: Snowflake;
}

export interface SelectMenuOptions extends ComponentInteractionOptions {
  values: string[];
}

export interface SubmitModalOptions {
  userId: Snowflake;
  customId: string;
  fields: Record<string, string | string[]>;
  /** The interaction that showed the modal; defaults to the newest one that showed `customId`. */
  from?: InteractionHandle;
  channelId?: Snowflake;
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const OptionType = { SubCommand: 1, SubCommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Role: 8, Mentionable: 9, Number: 10, Attachment: 11 } as const;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

export class DiscordEmulator {
  readonly token: string;
  readonly applicationId: Snowflake;
  readonly botUserId: Snowflake;
  readonly guildId: Snowflake;
  /** Id of the default `général` text channel. */
  readonly generalChannelId: Snowflake;
  /** Id of the human who owns the guild (created by default, has Administrator). */
  readonly ownerId: Snowflake;
  readonly store: EmulatorStore;
  /** Bulk overwrites of guild commands (PUT /applications/:app/guilds/:guild/commands). */
  commandPuts = 0;
  /** Bulk overwrites of global commands. */
  globalCommandPuts = 0;

  private readonly server: http.Server;
  private readonly rest: RestApi;
  private readonly gateway: GatewayServer;
  private readonly interactions = new Map<Snowflake, InteractionHandle>();
  private readonly interactionsByToken = new Map<string, InteractionHandle>();
  private readonly opts: Required<Pick<DiscordEmulatorOptions, "heartbeatIntervalMs" | "interactionDeadlineMs" | "responseTimeoutMs" | "privilegedIntents">>;
  private readonly log: (line: string) => void;
  private port = 0;
  private closed: Promise<void> | undefined;

  constructor(options: DiscordEmulatorOptions = {}) {
    this.applicationId = options.applicationId ?? snowflake();
    this.botUserId = options.botUserId ?? this.applicationId;
    this.guildId = options.guildId ?? snowflake();
    // Same layout as real tokens: base64(user id).timestamp.hmac
    this.token = options.token ?? `${Buffer.from(this.botUserId).toString("base64url")}.${randomBytes(4).toString("base64url")}.${randomBytes(27).toString("base64url")}`;
    this.opts = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3_000,
      responseTimeoutMs: options.responseTimeoutMs ?? WAIT_CEILING_MS,
      privilegedIntents: options.privilegedIntents ?? PRIVILEGED_INTENTS,
    };
    this.log = options.log ?? (process.env.DISCORD_EMULATOR_DEBUG ? (line) => console.error(line) : () => undefined);
    this.store = new EmulatorStore(
      this.applicationId,
      this.botUserId,
      options.botUsername ?? "Promeneurs",
      this.guildId,
      options.guildName ?? "Promeneurs du Net 88",
      options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    );
    this.store.nonceWindowMs = options.nonceWindowMs ?? 2 * 60_000;
    this.generalChannelId = this.store.addChannel({ name: "général" }).id;
    const adminRole = this.addRole({ name: "Admin", permissions: Perm.Administrator });
    this.ownerId = this.addUser({ username: "proprietaire", globalName: "Propriétaire", roles: [adminRole.id] }).id;

    this.gateway = new GatewayServer({
      token: this.token,
      heartbeatIntervalMs: this.opts.heartbeatIntervalMs,
      privilegedIntents: this.opts.privilegedIntents,
      guildId: this.guildId,
      botUserId: this.botUserId,
      log: this.log,
      readyPayload: (session, resumeUrl, owns) => ({
        v: 10,
        user_settings: {},
        user: { ...this.store.botUser, verified: true, mfa_enabled: false, email: null, flags: 0 },
        guilds: owns ? [{ id: this.guildId, unavailable: true }] : [],
        session_id: session.id,
        session_type: "normal",
        resume_gateway_url: resumeUrl,
        shard: session.shard,
        application: { id: this.applicationId, flags: this.applicationFlags() },
        private_channels: [],
        presences: [],
        relationships: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: ["rotterdam", "madrid"],
        auth: {},
        _trace: ['["discord-emulator",{"micros":0}]'],
      }),
      guildCreatePayload: (session) => this.store.guildCreatePayload((session.intents & Intent.GuildMembers) !== 0),
      membersChunk: (request) => this.membersChunk(request),
    });
    this.rest = new RestApi({
      store: this.store,
      token: this.token,
      gatewayUrl: () => this.gateway.url,
      applicationFlags: () => this.applicationFlags(),
      privilegedIntents: this.opts.privilegedIntents,
      dispatch: (t, d) => this.dispatch(t, d),
      interactionById: (id) => this.interactions.get(id),
      interactionByToken: (token) => this.interactionsByToken.get(token),
      interactionDeadlineMs: this.opts.interactionDeadlineMs,
      onCommandsPut: (scope) => {
        if (scope === "guild") this.commandPuts++;
        else this.globalCommandPuts++;
      },
      log: this.log,
    });
    this.server = http.createServer((req, res) => void this.rest.handle(req, res));
    this.server.on("upgrade", (req, socket, head) => {
      if ((req.url ?? "").startsWith("/gateway")) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  /** @internal use startDiscordEmulator() */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    this.store.baseUrl = `http://127.0.0.1:${this.port}`;
    this.gateway.url = `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Value for discord.js `rest: { api }` (it appends `/v10`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return this.gateway.url;
  }

  /** Every REST request received, in order (method, path below /api/v10, body, status…). */
  get requests(): RequestLogEntry[] {
    return this.rest.requests;
  }

  /** Requests no route matched: a bot calling an endpoint the emulator does not know. */
  unknownRequests(): RequestLogEntry[] {
    return this.rest.requests.filter((r) => r.unknownRoute);
  }

  get gatewayStats(): GatewayStats {
    return this.gateway.stats;
  }

  /** Number of clients currently connected and identified/resumed. */
  get liveSessions(): number {
    return this.gateway.liveSessions().length;
  }

  /** All interactions injected so far, oldest first. */
  get interactionHandles(): InteractionHandle[] {
    return [...this.interactions.values()];
  }

  private applicationFlags(): number {
    const p = this.opts.privilegedIntents;
    return (
      (p & Intent.GuildPresences ? 1 << 13 : 0) |
      (p & Intent.GuildMembers ? 1 << 15 : 0) |
      (p & Intent.MessageContent ? 1 << 19 : 0) |
      (1 << 23) // APPLICATION_COMMAND_BADGE
    );
  }

  // ------------------------------------------------------------------ world setup

  addUser(spec: AddUserOptions): EmuUser {
    const id = spec.id ?? snowflake();
    const user: EmuUser = {
      id,
      username: spec.username,
      global_name: spec.globalName ?? null,
      discriminator: "0",
      avatar: null,
      public_flags: 0,
      ...(spec.bot ? { bot: true } : {}),
    };
    this.store.users.set(id, { user, dmsClosed: spec.dmsClosed ?? false, locale: spec.locale ?? "fr" });
    if (spec.member ?? true) {
      this.store.members.set(id, { userId: id, roles: spec.roles ?? [], nick: spec.nick ?? null, joinedAt: new Date().toISOString() });
    }
    return { ...user };
  }

  addRole(spec: { id?: Snowflake; name: string; permissions?: bigint; color?: number }): EmuRole {
    const id = spec.id ?? snowflake();
    const role = { ...this.store.makeRole(id, spec.name, spec.permissions ?? 0n, this.store.roles.size), color: spec.color ?? 0 };
    this.store.roles.set(id, role);
    return role;
  }

  /** `permissionOverwrites` deny or allow bits per role (type 0; @everyone is `guildId`) or member (type 1). */
  addChannel(spec: { id?: Snowflake; name: string; type?: number; parentId?: Snowflake; topic?: string; permissionOverwrites?: readonly PermissionOverwrite[] }): EmuChannel {
    const channel = this.store.addChannel(spec);
    if (this.gateway.liveSessions().length > 0) this.dispatch("CHANNEL_CREATE", channel);
    return channel;
  }

  /** Replaces a channel's overwrites, as an administrator editing its permissions would (CHANNEL_UPDATE). */
  setPermissionOverwrites(channelId: Snowflake, overwrites: readonly PermissionOverwrite[]): void {
    const channel = this.store.channels.get(channelId);
    if (!channel || channel.guild_id !== this.guildId) throw new Error(`Discord emulator: unknown guild channel ${channelId}`);
    channel.permission_overwrites = overwrites.map(wireOverwrite);
    if (this.gateway.liveSessions().length > 0) this.dispatch("CHANNEL_UPDATE", channel);
  }

  /** The bot's managed role (the one its invitation created): deny overwrites usually target it. */
  get botRoleId(): Snowflake {
    return this.store.botRoleId;
  }

  user(id: Snowflake): EmuUser {
    return this.store.user(id);
  }

  member(userId: Snowflake): EmuMember | undefined {
    return this.store.member(userId);
  }

  channel(idOrName: string): EmuChannel | undefined {
    return this.store.channels.get(idOrName) ?? this.store.guildChannels().find((c) => c.name === idOrName);
  }

  setDmsClosed(userId: Snowflake, closed: boolean): void {
    const rec = this.store.users.get(userId);
    if (!rec) throw new Error(`Discord emulator: unknown user ${userId}`);
    rec.dmsClosed = closed;
  }

  /** A user joins the guild: GUILD_MEMBER_ADD (delivered with the GuildMembers intent only). */
  joinGuild(userOrSpec: Snowflake | AddUserOptions): EmuMember {
    const id = typeof userOrSpec === "string" ? userOrSpec : this.addUser({ ...userOrSpec, member: false }).id;
    if (!this.store.users.has(id)) throw new Error(`Discord emulator: unknown user ${id}`);
    const roles = typeof userOrSpec === "string" ? [] : (userOrSpec.roles ?? []);
    this.store.members.set(id, { userId: id, roles, nick: null, joinedAt: new Date().toISOString() });
    const member = this.store.member(id)!;
    this.dispatch("GUILD_MEMBER_ADD", { guild_id: this.guildId, ...member });
    return member;
  }

  /** A user leaves (or is kicked): GUILD_MEMBER_REMOVE. */
  leaveGuild(userId: Snowflake): void {
    if (!this.store.members.delete(userId)) throw new Error(`Discord emulator: ${userId} is not a member`);
    this.dispatch("GUILD_MEMBER_REMOVE", { guild_id: this.guildId, user: this.store.user(userId) });
  }

  /** A user writes in a channel (MESSAGE_CREATE; content is blanked without MESSAGE_CONTENT). */
  postAsUser(spec: { userId: Snowflake; channelId?: Snowflake; content: string }): EmuMessage {
    const author = this.store.user(spec.userId);
    const channelId = spec.channelId ?? this.generalChannelId;
    if (!this.store.channels.has(channelId)) throw new Error(`Discord emulator: unknown channel ${channelId}`);
    const stored = this.store.createMessage(channelId, { content: spec.content }, [], { author });
    const member = stored.message.guild_id ? this.store.member(spec.userId) : undefined;
    const { user: _u, ...memberData } = member ?? { user: undefined };
    this.dispatch("MESSAGE_CREATE", { ...stored.message, ...(member ? { member: memberData } : {}) });
    return stored.message;
  }

  // ------------------------------------------------------------------ observation

  /** Live (not deleted) messages of a channel, oldest first, ephemeral ones included (see `flags`). */
  messagesIn(channelId: Snowflake): EmuMessage[] {
    return this.store.messagesIn(channelId).map((m) => m.message);
  }

  /** Messages the bot sent to a user in DM, oldest first. */
  dmsTo(userId: Snowflake): EmuMessage[] {
    const channelId = this.store.dmChannelByUser.get(userId);
    return channelId ? this.messagesIn(channelId).filter((m) => m.author.id === this.botUserId) : [];
  }

  /** Files uploaded with a given message. */
  filesOf(messageId: Snowflake): StoredMessage["files"] {
    return this.store.messages.get(messageId)?.files ?? [];
  }

  guildCommands(): EmuCommand[] {
    return this.store.guildCommands;
  }

  globalCommands(): EmuCommand[] {
    return this.store.globalCommands;
  }

  scheduledEvents(): EmuScheduledEvent[] {
    return [...this.store.scheduledEvents.values()];
  }

  /** Resolves once a bot has completed IDENTIFY (or RESUME). */
  waitForBot(timeoutMs = WAIT_CEILING_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Discord emulator: no bot connected within ${timeoutMs} ms`)), timeoutMs);
      void this.gateway.waitForLiveSession().then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  // ------------------------------------------------------------------ injection

  /** Sends a raw gateway event to every connected bot that would receive it (intents, shard). */
  dispatch(eventName: string, data: Json): void {
    this.gateway.dispatch(eventName, data);
  }

  /** Makes the next matching REST request(s) fail like Discord would (429 with headers, 5xx…). */
  failNext(matcher: RouteMatcher, failure: InjectedFailure): void {
    this.rest.failNext(matcher, failure);
  }

  get pendingFailures(): number {
    return this.rest.pendingFailures;
  }

  /** Op 7: asks bots to reconnect and resume. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Closes gateway sockets with a resumable code (network blip). */
  dropConnections(code = 4000): void {
    this.gateway.dropConnections(code);
  }

  sendCommand(spec: SendCommandOptions): InteractionHandle {
    const channel = spec.dm ? this.store.dmChannel(spec.userId) : this.requireChannel(spec.channelId ?? this.generalChannelId);
    const payload = this.baseInteraction(2, spec.userId, channel, spec.locale, spec.guildId);
    const command = this.findCommand(spec.name);
    const resolved: Json = {};
    const options = this.buildCommandOptions(spec, command, resolved);
    payload.data = {
      id: command?.id ?? snowflake(),
      name: spec.name,
      type: 1,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      ...(options.length > 0 ? { options } : {}),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
    const label = `/${[spec.name, spec.subcommand].filter(Boolean).join(" ")}`;
    return this.launch("command", payload, channel.id, undefined, label);
  }

  clickButton(spec: ComponentInteractionOptions): InteractionHandle {
    const { stored, component } = this.requireComponent(spec.customId, spec.message);
    if (component.type !== 2) throw new Error(`Discord emulator: component "${spec.customId}" is not a button (type ${component.type})`);
    if (component.disabled) throw new Error(`Discord emulator: button "${spec.customId}" is disabled; users cannot click it`);
    const channel = this.requireChannel(stored.message.channel_id);
    const payload = this.baseInteraction(3, spec.userId, channel, undefined, spec.guildId);
    payload.data = { custom_id: spec.customId, component_type: 2 };
    payload.message = structuredClone(stored.message);
    return this.launch("button", payload, channel.id, stored.message.id, `button "${spec.customId}"`);
  }

  selectMenu(spec: SelectMenuOptions): InteractionHandle {
    const { stored, component } = this.requireComponent(spec.customId, spec.message);
    if (!SELECT_TYPES.has(component.type)) throw new Error(`Discord emulator: component "${spec.customId}" is not a select menu (type ${component.type})`);
    if (component.disabled) throw new Error(`Discord emulator: select "${spec.customId}" is disabled`);
    const min = component.min_values ?? 1;
    const max = component.max_values ?? 1;
    if (spec.values.length < min || spec.values.length > max) {
      throw new Error(`Discord emulator: select "${spec.customId}" accepts ${min}..${max} values, got ${spec.values.length}`);
    }
    if (component.type === 3) {
      const allowed = (component.options ?? []).map((o) => o.value);
      const unknown = spec.values.filter((v) => !allowed.includes(v));
      if (unknown.length > 0) throw new Error(`Discord emulator: select "${spec.customId}" has no option ${unknown.join(", ")}; options: ${allowed.join(", ")}`);
    }
    const channel = this.requireChannel(stored.message.channel_id);
    const payload = this.baseInteraction(3, spec.userId, channel);
    const resolved = this.resolveSelectValues(component.type, spec.values);
    payload.data = { custom_id: spec.customId, component_type: component.type, values: spec.values, ...(resolved ? { resolved } : {}) };
    payload.message = structuredClone(stored.message);
    return this.launch("select", payload, channel.id, stored.message.id, `select "${spec.customId}"`);
  }

  submitModal(spec: SubmitModalOptions): InteractionHandle {
    const source = spec.from ?? this.findModalSource(spec.customId, spec.userId);
    const modal = source?.modal;
    if (spec.from && modal?.custom_id !== spec.customId) {
      throw new Error(`Discord emulator: the given interaction did not show modal "${spec.customId}"`);
    }
    const channel = this.requireChannel(spec.channelId ?? source?.channelId ?? this.generalChannelId);
    const payload = this.baseInteraction(5, spec.userId, channel);
    const components = modal ? this.modalSubmission(modal, spec.fields) : this.looseModalSubmission(spec.fields);
    payload.data = { custom_id: spec.customId, components };
    const sourceMessage = source?.sourceMessageId ? this.store.messages.get(source.sourceMessageId) : undefined;
    if (sourceMessage && !sourceMessage.deleted) payload.message = structuredClone(sourceMessage.message);
    return this.launch("modal", payload, channel.id, sourceMessage?.message.id, `modal "${spec.customId}"`);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Terminates sockets, fails pending waits and closes the server; safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const live = this.gateway.liveSessions().length;
      if (live > 0) {
        // discord.js would keep reconnecting to a dead server and hold the process open.
        console.warn(`Discord emulator closed while ${live} bot(s) were still connected; call client.destroy() first`);
      }
      for (const h of this.interactions.values()) h.abort("emulator closed");
      await this.gateway.close();
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    })();
    return this.closed;
  }

  // ------------------------------------------------------------------ internals

  private requireChannel(id: Snowflake): EmuChannel {
    const channel = this.store.channels.get(id);
    if (!channel) throw new Error(`Discord emulator: unknown channel ${id}`);
    return channel;
  }

  private requireComponent(customId: string, message: EmuMessage | Snowflake | undefined): { stored: StoredMessage; component: EmuComponent } {
    const messageId = typeof message === "string" ? message : message?.id;
    const found = this.store.findComponent(customId, messageId);
    if (!found) {
      const known = this.store.allCustomIds();
      throw new Error(
        `Discord emulator: no ${messageId ? `message ${messageId} with a` : "live message with a"} component "${customId}"; visible custom ids: ${known.length > 0 ? known.join(", ") : "(none)"}`,
      );
    }
    return found;
  }

  private findCommand(name: string): EmuCommand | undefined {
    return this.store.guildCommands.find((c) => c.name === name && c.type === 1) ?? this.store.globalCommands.find((c) => c.name === name && c.type === 1);
  }

  private findModalSource(customId: string, userId: Snowflake): InteractionHandle | undefined {
    const handles = [...this.interactions.values()].reverse().filter((h) => h.modal?.custom_id === customId);
    const userOf = (h: InteractionHandle): unknown => (isObj(h.payload.member) ? (h.payload.member.user as Json).id : (h.payload.user as Json | undefined)?.id);
    return handles.find((h) => userOf(h) === userId) ?? handles[0];
  }

  private baseInteraction(type: number, userId: Snowflake, channel: EmuChannel, locale?: string, otherGuildId?: Snowflake): Json {
    const record = this.store.users.get(userId);
    if (!record) throw new Error(`Discord emulator: unknown user ${userId} (add it with emu.addUser first)`);
    const id = snowflake();
    // Real tokens are base64 of "interaction:<id>:<secret>"; the exact format does not matter to clients.
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString("base64url")}`).toString("base64url");
    const isDm = channel.type === ChannelType.DM;
    const botPermissions = this.store.permissionsOf(this.botUserId);
    const base: Json = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      channel_id: channel.id,
      app_permissions: (isDm ? botPermissions & ~(Perm.ManageMessages | Perm.ManageRoles | Perm.ManageEvents) : botPermissions).toString(),
      locale: locale ?? record.locale,
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (isDm) {
      return {
        ...base,
        channel: { ...channel, recipients: [this.store.user(userId)] },
        user: this.store.user(userId),
        context: 1,
        authorizing_integration_owners: { "0": "0" },
      };
    }
    if (otherGuildId) {
      // Another guild: the user is a plain member there, with no role of this guild.
      const member = { user: this.store.user(userId), nick: null, avatar: null, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, pending: false };
      return {
        ...base,
        guild_id: otherGuildId,
        guild: { id: otherGuildId, locale: "fr", features: [] },
        guild_locale: "fr",
        channel: { ...channel, guild_id: otherGuildId, permissions: "0" },
        member: { ...member, permissions: "0" },
        context: 0,
        authorizing_integration_owners: { "0": otherGuildId },
      };
    }
    const member = this.store.member(userId);
    if (!member) throw new Error(`Discord emulator: user ${userId} is not a member of the guild`);
    const permissions = this.store.permissionsOf(userId).toString();
    return {
      ...base,
      guild_id: this.guildId,
      guild: { id: this.guildId, locale: "fr", features: [] },
      guild_locale: "fr",
      channel: { ...channel, permissions },
      member: { ...member, permissions },
      context: 0,
      authorizing_integration_owners: { "0": this.guildId },
    };
  }

  private launch(kind: InteractionKind, payload: Json, channelId: Snowflake, sourceMessageId: Snowflake | undefined, label: string): InteractionHandle {
    const handle = new InteractionHandle(
      payload.id as string,
      payload.token as string,
      kind,
      payload,
      channelId,
      sourceMessageId,
      (id) => this.store.messages.get(id),
      this.opts.responseTimeoutMs,
      label,
    );
    this.interactions.set(handle.id, handle);
    this.interactionsByToken.set(handle.token, handle);
    this.gateway.dispatch("INTERACTION_CREATE", payload, (at) => {
      handle.sentAt ??= at;
    });
    return handle;
  }

  /** Builds `data.options` from the registered schema when there is one, so types match what Discord sends. */
  private buildCommandOptions(spec: SendCommandOptions, command: EmuCommand | undefined, resolved: Json): Json[] {
    const path = spec.subcommand?.trim().split(/\s+/) ?? [];
    if (path.length > 2) throw new Error(`Discord emulator: subcommand "${spec.subcommand}" has more than two levels`);
    let schema: EmuCommandOption[] | undefined = command?.options;
    const describe = `/${spec.name}`;
    for (const [level, name] of path.entries()) {
      if (!command) break;
      const wanted = level === 0 && path.length === 2 ? OptionType.SubCommandGroup : OptionType.SubCommand;
      const next = schema?.find((o) => o.name === name && o.type === wanted);
      if (!next) {
        const known = (schema ?? []).filter((o) => o.type <= 2).map((o) => o.name);
        throw new Error(`Discord emulator: ${describe} has no ${wanted === 1 ? "subcommand" : "group"} "${name}"; known: ${known.join(", ") || "(none)"}`);
      }
      schema = next.options ?? [];
    }
    if (command && path.length === 0 && schema?.some((o) => o.type <= 2)) {
      throw new Error(`Discord emulator: ${describe} requires a subcommand; known: ${schema.filter((o) => o.type <= 2).map((o) => o.name).join(", ")}`);
    }
    const leaf: Json[] = [];
    for (const [name, value] of Object.entries(spec.options ?? {})) {
      const def = schema?.find((o) => o.name === name);
      if (command && !def) {
        throw new Error(`Discord emulator: ${describe}${path.length ? ` ${path.join(" ")}` : ""} has no option "${name}"; known: ${(schema ?? []).map((o) => o.name).join(", ") || "(none)"}`);
      }
      const type = def?.type ?? this.inferOptionType(value);
      if (def?.choices && def.choices.length > 0 && !def.choices.some((c) => c.value === value)) {
        throw new Error(`Discord emulator: option "${name}" only accepts ${def.choices.map((c) => JSON.stringify(c.value)).join(", ")}`);
      }
      leaf.push({ name, type, value: this.resolveOptionValue(type, value, resolved, name) });
    }
    for (const def of schema ?? []) {
      if (def.required && !(def.name in (spec.options ?? {}))) {
        throw new Error(`Discord emulator: ${describe} requires option "${def.name}" (Discord would not let the user send it)`);
      }
    }
    if (path.length === 0) return leaf;
    const sub = { type: OptionType.SubCommand, name: path[path.length - 1], options: leaf };
    return path.length === 2 ? [{ type: OptionType.SubCommandGroup, name: path[0], options: [sub] }] : [sub];
  }

  private inferOptionType(value: CommandOptionInput): number {
    if (typeof value === "boolean") return OptionType.Boolean;
    if (typeof value === "number") return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
    if (typeof value === "object") return OptionType.Attachment;
    return OptionType.String;
  }

  private resolveOptionValue(type: number, value: CommandOptionInput, resolved: Json, name: string): unknown {
    const bucket = (key: string): Json => (resolved[key] ??= {}) as Json;
    switch (type) {
      case OptionType.Integer:
      case OptionType.Number: {
        const n = typeof value === "number" ? value : Number(value);
        if (Number.isNaN(n) || (type === OptionType.Integer && !Number.isInteger(n))) throw new Error(`Discord emulator: option "${name}" expects ${type === 4 ? "an integer" : "a number"}`);
        return n;
      }
      case OptionType.Boolean:
        return value === true || value === "true";
      case OptionType.User:
      case OptionType.Mentionable: {
        const id = String(value);
        if (this.store.users.has(id)) {
          bucket("users")[id] = this.store.user(id);
          const member = this.store.member(id);
          if (member) {
            const { user: _u, ...rest } = member;
            bucket("members")[id] = { ...rest, permissions: this.store.permissionsOf(id).toString() };
          }
          return id;
        }
        if (type === OptionType.Mentionable && this.store.roles.has(id)) {
          bucket("roles")[id] = this.store.roles.get(id);
          return id;
        }
        throw new Error(`Discord emulator: option "${name}" refers to unknown user ${id}`);
      }
      case OptionType.Channel: {
        const channel = this.channel(String(value));
        if (!channel) throw new Error(`Discord emulator: option "${name}" refers to unknown channel ${String(value)}`);
        bucket("channels")[channel.id] = { id: channel.id, name: channel.name, type: channel.type, parent_id: channel.parent_id ?? null, permissions: ALL_PERMISSIONS.toString() };
        return channel.id;
      }
      case OptionType.Role: {
        const role = this.store.roles.get(String(value));
        if (!role) throw new Error(`Discord emulator: option "${name}" refers to unknown role ${String(value)}`);
        bucket("roles")[role.id] = role;
        return role.id;
      }
      case OptionType.Attachment: {
        if (typeof value !== "object") throw new Error(`Discord emulator: option "${name}" expects { attachment: { name, data } }`);
        const { name: filename, data, contentType } = value.attachment;
        const buffer = typeof data === "string" ? Buffer.from(data) : data;
        const file = { key: name, name: filename, contentType: contentType ?? "application/octet-stream", data: buffer };
        const [attachment] = this.store.attachmentsFor(this.generalChannelId, {}, [file], []);
        bucket("attachments")[attachment!.id] = attachment;
        return attachment!.id;
      }
      default:
        return typeof value === "object" ? JSON.stringify(value) : String(value);
    }
  }

  private resolveSelectValues(componentType: number, values: string[]): Json | undefined {
    if (componentType === 3) return undefined;
    const resolved: Json = {};
    const bucket = (key: string): Json => (resolved[key] ??= {}) as Json;
    for (const value of values) {
      if ((componentType === 5 || componentType === 7) && this.store.users.has(value)) {
        bucket("users")[value] = this.store.user(value);
        const member = this.store.member(value);
        if (member) {
          const { user: _u, ...rest } = member;
          bucket("members")[value] = { ...rest, permissions: this.store.permissionsOf(value).toString() };
        }
      } else if ((componentType === 6 || componentType === 7) && this.store.roles.has(value)) {
        bucket("roles")[value] = this.store.roles.get(value);
      } else if (componentType === 8 && this.store.channels.has(value)) {
        const c = this.store.channels.get(value)!;
        bucket("channels")[value] = { id: c.id, name: c.name, type: c.type, parent_id: c.parent_id ?? null, permissions: ALL_PERMISSIONS.toString() };
      } else {
        throw new Error(`Discord emulator: select value ${value} does not resolve to a known entity`);
      }
    }
    return resolved;
  }

  /** Mirrors the layout the bot used (legacy action rows or label components), as Discord does. */
  private modalSubmission(modal: ModalData, fields: Record<string, string | string[]>): Json[] {
    const inputs = modal.components.flatMap((top) => (top.type === 1 ? (top.components ?? []) : top.component ? [top.component] : []));
    const known = inputs.map((c) => c.custom_id ?? "");
    const unknown = Object.keys(fields).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw new Error(`Discord emulator: modal "${modal.custom_id}" has no field ${unknown.join(", ")}; fields: ${known.join(", ")}`);
    const submit = (input: EmuComponent): Json => {
      const customId = input.custom_id ?? "";
      const given = fields[customId];
      if (input.type === 4) {
        const value = Array.isArray(given) ? given.join("\n") : (given ?? (typeof input.value === "string" ? input.value : ""));
        const required = input.required ?? true;
        if (required && value.length === 0) throw new Error(`Discord emulator: modal field "${customId}" is required`);
        const minLength = typeof input.min_length === "number" ? input.min_length : 0;
        const maxLength = typeof input.max_length === "number" ? input.max_length : 4000;
        if (value.length > 0 && (value.length < minLength || value.length > maxLength)) {
          throw new Error(`Discord emulator: modal field "${customId}" must be ${minLength}..${maxLength} characters, got ${value.length}`);
        }
        return { type: 4, id: input.id, custom_id: customId, value };
      }
      const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
      const resolved = SELECT_TYPES.has(input.type) && input.type !== 3 && values.length > 0 ? this.resolveSelectValues(input.type, values) : undefined;
      return { type: input.type, id: input.id, custom_id: customId, values, ...(resolved ? { resolved } : {}) };
    };
    const out = modal.components.map((top): Json => {
      if (top.type === 1) return { type: 1, id: top.id, components: (top.components ?? []).map(submit) };
      if (top.type === 18 && top.component) return { type: 18, id: top.id, component: submit(top.component) };
      return { type: top.type, id: top.id };
    });
    return out;
  }

  /** For modals the bot never showed (tests simulating a stale client): plain action rows. */
  private looseModalSubmission(fields: Record<string, string | string[]>): Json[] {
    return Object.entries(fields).map(([customId, value], i) => ({
      type: 1,
      id: i * 2 + 1,
      components: [{ type: 4, id: i * 2 + 2, custom_id: customId, value: Array.isArray(value) ? value.join("\n") : value }],
    }));
  }

  private membersChunk(request: Json): Json[] {
    const ids = Array.isArray(request.user_ids) ? request.user_ids.map(String) : typeof request.user_ids === "string" ? [request.user_ids] : null;
    const query = typeof request.query === "string" ? request.query.toLowerCase() : "";
    const limit = typeof request.limit === "number" && request.limit > 0 ? request.limit : Infinity;
    const members = [...this.store.members.keys()]
      .filter((id) => (ids ? ids.includes(id) : this.store.user(id).username.toLowerCase().startsWith(query)))
      .map((id) => this.store.member(id)!);
    return members.slice(0, limit) as unknown as Json[];
  }
}

/** Starts the emulator on an ephemeral 127.0.0.1 port. Remember `await emu.close()`. */
export async function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const emu = new DiscordEmulator(options);
  await emu.listen();
  return emu;
}
