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
import { buildCommandOptions, checkSelection, resolveSelectValues } from "./command-options.js";
import { GatewayServer, Intent, PRIVILEGED_INTENTS, type GatewayStats } from "./gateway.js";
import { snowflake } from "./http-util.js";
import { InteractionHandle, type InteractionKind } from "./interaction-handle.js";
import { baseInteraction, looseModalSubmission, modalSubmission } from "./interaction-payloads.js";
import { RestApi } from "./rest.js";
import { DEFAULT_BOT_PERMISSIONS, Perm } from "./permissions.js";
import { EmulatorStore, type StoredMessage } from "./store.js";
import type { DiscordEmulatorOptions, EmuChannel, EmuCommand, EmuComponent, EmuMessage, InjectedFailure, RequestLogEntry, RouteMatcher, Snowflake } from "./types.js";
import { DiscordWorld } from "./world.js";
import type { ComponentInteractionOptions, SelectMenuOptions, SendCommandOptions, SubmitModalOptions } from "./world-options.js";

export * from "./types.js";
export { messageText } from "./message-content.js";
export { DEFAULT_BOT_PERMISSIONS, Perm } from "./permissions.js";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

type EmulatorTimings = Required<Pick<DiscordEmulatorOptions, "heartbeatIntervalMs" | "interactionDeadlineMs" | "responseTimeoutMs" | "privilegedIntents">>;

function createStore(options: DiscordEmulatorOptions): EmulatorStore {
  const applicationId = options.applicationId ?? snowflake();
  const store = new EmulatorStore(
    applicationId,
    options.botUserId ?? applicationId,
    options.botUsername ?? "Promeneurs",
    options.guildId ?? snowflake(),
    options.guildName ?? "Promeneurs du Net 88",
    options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
  );
  store.nonceWindowMs = options.nonceWindowMs ?? 2 * 60_000;
  return store;
}

export class DiscordEmulator extends DiscordWorld {
  readonly token: string;
  /** Id of the default `général` text channel. */
  readonly generalChannelId: Snowflake;
  /** Id of the human who owns the guild (created by default, has Administrator). */
  readonly ownerId: Snowflake;
  /** Bulk overwrites of guild commands (PUT /applications/:app/guilds/:guild/commands). */
  commandPuts = 0;
  /** Bulk overwrites of global commands. */
  globalCommandPuts = 0;

  private readonly server: http.Server;
  private readonly rest: RestApi;
  private readonly gateway: GatewayServer;
  private readonly interactions = new Map<Snowflake, InteractionHandle>();
  private readonly interactionsByToken = new Map<string, InteractionHandle>();
  private readonly opts: EmulatorTimings;
  private readonly log: (line: string) => void;
  private port = 0;
  private closed: Promise<void> | undefined;

  constructor(options: DiscordEmulatorOptions = {}) {
    super(createStore(options));
    // Same layout as real tokens: base64(user id).timestamp.hmac
    this.token = options.token ?? `${Buffer.from(this.botUserId).toString("base64url")}.${randomBytes(4).toString("base64url")}.${randomBytes(27).toString("base64url")}`;
    this.opts = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3_000,
      responseTimeoutMs: options.responseTimeoutMs ?? WAIT_CEILING_MS,
      privilegedIntents: options.privilegedIntents ?? PRIVILEGED_INTENTS,
    };
    this.log = options.log ?? (process.env.DISCORD_EMULATOR_DEBUG ? (line) => console.error(line) : () => undefined);
    this.generalChannelId = this.store.addChannel({ name: "général" }).id;
    const adminRole = this.addRole({ name: "Admin", permissions: Perm.Administrator });
    this.ownerId = this.addUser({ username: "proprietaire", globalName: "Propriétaire", roles: [adminRole.id] }).id;

    this.gateway = this.createGateway();
    this.rest = this.createRest();
    this.server = http.createServer((req, res) => void this.rest.handle(req, res));
    this.server.on("upgrade", (req, socket, head) => {
      if ((req.url ?? "").startsWith("/gateway")) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  private createGateway(): GatewayServer {
    return new GatewayServer({
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
  }

  private createRest(): RestApi {
    return new RestApi({
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

  protected hasLiveBot(): boolean {
    return this.gateway.liveSessions().length > 0;
  }

  protected defaultChannelId(): Snowflake {
    return this.generalChannelId;
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
  override dispatch(eventName: string, data: Json): void {
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
    const payload = baseInteraction(this.store, 2, spec.userId, channel, spec.locale, spec.guildId);
    const command = this.findCommand(spec.name);
    const resolved: Json = {};
    const options = buildCommandOptions(this.store, this.generalChannelId, spec, command, resolved);
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
    const payload = baseInteraction(this.store, 3, spec.userId, channel, undefined, spec.guildId);
    payload.data = { custom_id: spec.customId, component_type: 2 };
    payload.message = structuredClone(stored.message);
    return this.launch("button", payload, channel.id, stored.message.id, `button "${spec.customId}"`);
  }

  selectMenu(spec: SelectMenuOptions): InteractionHandle {
    const { stored, component } = this.requireComponent(spec.customId, spec.message);
    checkSelection(spec.customId, component, spec.values);
    const channel = this.requireChannel(stored.message.channel_id);
    const payload = baseInteraction(this.store, 3, spec.userId, channel);
    const resolved = resolveSelectValues(this.store, component.type, spec.values);
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
    const payload = baseInteraction(this.store, 5, spec.userId, channel);
    const components = modal ? modalSubmission(this.store, modal, spec.fields) : looseModalSubmission(spec.fields);
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
