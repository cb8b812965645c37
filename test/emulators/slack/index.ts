/**
 * Slack emulator for tests: a Web API + Socket Mode + response_url + file upload server on
 * 127.0.0.1 that an unmodified @slack/bolt App talks to. See README.md for how to wire Bolt.
 */
import { WAIT_CEILING_MS } from "../wait.js";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { InputValue } from "./blocks.js";
import { applyAck } from "./effects.js";
import type { ClickButtonArgs, SelectOptionArgs, SendVia, SlackEmulatorOptions, SlashCommandArgs, SubmitViewArgs, WaitForCallOptions } from "./emulator-options.js";
import { InteractionHandle } from "./handles.js";
import { ackPayloadFromHttpBody, signedSlackRequest, type SignedSlackBody } from "./http.js";
import { HttpRoutes } from "./http-routes.js";
import { PayloadBuilder } from "./payloads.js";
import { SocketHub, type Envelope } from "./socket.js";
import { Workspace, type Identity, type Interaction } from "./state.js";
import type {
  AckPayload,
  AddChannelOptions,
  AddUserOptions,
  ApiCall,
  EmulatorChannel,
  EmulatorUser,
  FailureSpec,
  JsonObject,
  SlackMessage,
  UploadedFile,
  ViewRecord,
} from "./types.js";
import { SLACK_BOT_SCOPES } from "../../../src/platforms/slack/manifest.js";
import type { ApiContext } from "./web-api/args.js";

export { signedSlackRequest } from "./http.js";
export type * from "./types.js";

export class SlackEmulator {
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  /** Legacy verification token Slack still puts in payloads. */
  readonly verificationToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly defaultUserId: string;
  readonly defaultChannelId: string;

  private readonly ws: Workspace;
  private readonly hub: SocketHub;
  private readonly apiCtx: ApiContext;
  private readonly payloads: PayloadBuilder;
  private closed = false;

  /** @internal use startSlackEmulator() */
  constructor(
    private readonly server: Server,
    private readonly port: number,
    private readonly opts: SlackEmulatorOptions,
  ) {
    const id: Identity = {
      teamId: "T0EMULATOR",
      teamNumber: "738474920",
      teamDomain: opts.teamDomain ?? "promeneurs-emulator",
      teamName: "Promeneurs (emulator)",
      appId: "A0EMULATOR",
      botUserId: "U0BOTUSER1",
      botId: "B0BOTUSER1",
      botName: opts.botName ?? "promeneurs-bot",
      botToken: `xoxb-7384749200-1-${randomBytes(12).toString("hex")}`,
      appToken: `xapp-1-A0EMULATOR-1-${randomBytes(16).toString("hex")}`,
      signingSecret: randomBytes(16).toString("hex"),
      botScopes: [...(opts.botScopes ?? SLACK_BOT_SCOPES)],
    };
    this.ws = new Workspace(id);
    this.botToken = id.botToken;
    this.appToken = id.appToken;
    this.signingSecret = id.signingSecret;
    this.verificationToken = randomBytes(12).toString("base64url");
    this.teamId = id.teamId;
    this.teamDomain = id.teamDomain;
    this.appId = id.appId;
    this.botUserId = id.botUserId;
    this.botId = id.botId;
    this.hub = new SocketHub(this.ws, { appId: id.appId, serverPingIntervalMs: opts.serverPingIntervalMs });
    this.apiCtx = {
      ws: this.ws,
      baseUrl: this.baseUrl,
      newSocketUrl: () => `ws://127.0.0.1:${this.port}/link/?ticket=${this.hub.newTicket()}&app_id=${id.appId}`,
      triggerTtlMs: opts.triggerTtlMs ?? 3000,
    };
    this.ws.addUser({ id: id.botUserId, name: id.botName, realName: id.botName, isBot: true });
    this.defaultUserId = this.ws.addUser({ name: "camille", realName: "Camille Martin", ...opts.defaultUser }).id;
    const general = this.ws.addChannel({ id: "C0GENERAL1", name: "general", ...opts.defaultChannel });
    general.isGeneral = true;
    this.defaultChannelId = general.id;
    this.payloads = new PayloadBuilder(this.ws, this, (ref) => this.channel(ref));
    const routes = new HttpRoutes(this.ws, this.apiCtx, this.baseUrl);
    server.on("request", (req, res) => void routes.onRequest(req, res));
    server.on("upgrade", (req, socket, head) => this.hub.handleUpgrade(req, socket, head));
  }

  /** `http://127.0.0.1:PORT/` */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Give this to Bolt as `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }

  // ------------------------------------------------------------------------------------------------
  // Workspace setup & inspection
  // ------------------------------------------------------------------------------------------------

  addUser(o: AddUserOptions): EmulatorUser {
    return this.ws.addUser(o);
  }

  addChannel(o: AddChannelOptions): EmulatorChannel {
    return this.ws.addChannel(o);
  }

  user(id: string): EmulatorUser | undefined {
    return this.ws.users.get(id);
  }

  /** Channel by id, name (`general` / `#general`) or user id (their DM with the bot, if opened). No side effect. */
  channel(ref: string): EmulatorChannel | undefined {
    const name = ref.replace(/^#/, "");
    const all = [...this.ws.channels.values()];
    return this.ws.channels.get(ref) ?? all.find((c) => c.isIm && c.user === ref) ?? all.find((c) => !c.isIm && c.name === name);
  }

  /** Non-deleted messages of a channel (id or name), oldest first; ephemerals included unless `visibleTo` is set. */
  messagesIn(channel: string, opts: { visibleTo?: string; includeDeleted?: boolean } = {}): SlackMessage[] {
    const ch = this.channel(channel);
    if (!ch) return [];
    return this.ws.messages.filter(
      (m) =>
        m.channel === ch.id &&
        (opts.includeDeleted || !m.deleted) &&
        (!m.ephemeral || opts.visibleTo === undefined || m.visibleTo === opts.visibleTo),
    );
  }

  /** Every message of the workspace (DMs, ephemerals, responses included), oldest first. */
  get allMessages(): readonly SlackMessage[] {
    return this.ws.messages;
  }

  /** Messages the bot sent to a user's DM (non-deleted, oldest first). */
  dmsTo(userId: string): SlackMessage[] {
    const im = [...this.ws.channels.values()].find((c) => c.isIm && c.user === userId);
    return im ? this.ws.messages.filter((m) => m.channel === im.id && !m.deleted) : [];
  }

  /** Every Web API call received (including failed, injected and unknown ones), in order. */
  get calls(): readonly ApiCall[] {
    return this.ws.calls;
  }

  callsTo(method: string): ApiCall[] {
    return this.ws.calls.filter((c) => c.method === method);
  }

  get views(): readonly ViewRecord[] {
    return this.ws.views;
  }

  /** The modal on top of the user's stack, if one is open. */
  currentView(userId: string = this.defaultUserId): ViewRecord | undefined {
    return this.ws.topView(userId);
  }

  get uploadedFiles(): UploadedFile[] {
    return [...this.ws.files.values()];
  }

  /** Things real Slack would have refused or shown as errors (invalid blocks in an ack, missing ack, ...). */
  get problems(): readonly string[] {
    return this.ws.problems;
  }

  /** Monotonic counter of everything that happened; use with waitForCall({ since }). */
  get seq(): number {
    return this.ws.seq;
  }

  /** Socket Mode: currently open connections / connections ever made. */
  get socketConnections(): number {
    return this.hub.openConnections;
  }

  get totalSocketConnections(): number {
    return this.hub.totalConnections;
  }

  /** Raw messages received over Socket Mode (acks), for protocol-level assertions. */
  get socketMessages(): readonly JsonObject[] {
    return this.hub.received;
  }

  // ------------------------------------------------------------------------------------------------
  // Fault injection & synchronisation
  // ------------------------------------------------------------------------------------------------

  /**
   * Makes the next call(s) to `method` fail: `{status: 429, retryAfter}` (HTTP 429 + Retry-After, seconds),
   * `{error: "ratelimited"}` (HTTP 200, ok:false), `{status: 500}`. `times` repeats it (default 1).
   */
  failNext(method: string, spec: FailureSpec): void {
    const q = this.ws.failures.get(method) ?? [];
    q.push(spec);
    this.ws.failures.set(method, q);
  }

  /** Sends `{type: "disconnect"}` to connected Socket Mode clients (they reconnect). */
  disconnectSockets(reason: "refresh_requested" | "warning" | "link_disabled" | string = "refresh_requested"): void {
    this.hub.disconnectAll(reason);
  }

  /** Cuts Socket Mode connections without a goodbye (network failure). */
  dropSockets(): void {
    this.hub.dropAll();
  }

  /** Resolves when the Socket Mode connection number `n` (1-based, counting reconnections) has said hello. */
  waitForSocketConnection(n = 1, timeoutMs = WAIT_CEILING_MS): Promise<void> {
    return this.hub.waitForConnection(n, timeoutMs);
  }

  /** Resolves when no request is in progress and nothing happened for `quietMs`. */
  idle(quietMs = this.opts.settleMs ?? 60, timeoutMs = WAIT_CEILING_MS): Promise<void> {
    return this.ws.idle(quietMs, timeoutMs);
  }

  /** Resolves with the first matching Web API call (already made or upcoming). */
  waitForCall(method: string, o: WaitForCallOptions = {}): Promise<ApiCall> {
    const match = (c: ApiCall) => c.method === method && c.seq > (o.since ?? 0) && (!o.where || o.where(c));
    const found = this.ws.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (c: ApiCall) => {
        if (!match(c)) return;
        cleanup();
        resolve(c);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Slack emulator: no ${method} call within ${o.timeoutMs ?? 2000} ms`));
      }, o.timeoutMs ?? 2000);
      const cleanup = () => {
        clearTimeout(timer);
        this.ws.off("call", onCall);
      };
      this.ws.on("call", onCall);
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Payload builders (shared by Socket Mode and HTTP mode)
  // ------------------------------------------------------------------------------------------------

  /** Slash command fields exactly as Slack posts them (also registers the response_url and trigger_id). */
  commandPayload(a: SlashCommandArgs): Record<string, string> {
    return this.payloads.buildCommand(a).payload;
  }

  /** block_actions payload for a button click (same shape in both modes; registers response_url/trigger_id). */
  blockActionsPayload(a: ClickButtonArgs): JsonObject {
    return this.payloads.buildBlockActions(a).payload;
  }

  viewSubmissionPayload(a: SubmitViewArgs): JsonObject {
    return this.payloads.buildViewSubmission(a).payload;
  }

  eventPayload(type: string, event: JsonObject): JsonObject {
    return this.payloads.buildEvent(type, event).payload;
  }

  // ------------------------------------------------------------------------------------------------
  // Sending things to the app
  // ------------------------------------------------------------------------------------------------

  /** A user runs a slash command. */
  slashCommand(a: SlashCommandArgs): InteractionHandle {
    const { it, payload } = this.payloads.buildCommand(a);
    return this.send(it, payload, "slash_commands", true, a.httpUrl ? { kind: "command", fields: payload } : undefined, a.httpUrl);
  }

  /** A user clicks a button (in a message by default, in a view with `view`). */
  clickButton(a: ClickButtonArgs): InteractionHandle {
    const { it, payload } = this.payloads.buildBlockActions(a);
    return this.send(it, payload, "interactive", false, a.httpUrl ? { kind: "interactive", payload } : undefined, a.httpUrl);
  }

  /** A user picks option(s) in a select menu / checkboxes / overflow. */
  selectOption(a: SelectOptionArgs): InteractionHandle {
    const selection: InputValue =
      a.selected_options !== undefined ? a.selected_options.map((o) => (typeof o === "string" ? o : o.value)) : a.value;
    const { it, payload } = this.payloads.buildBlockActions({ ...a, value: undefined, selection });
    return this.send(it, payload, "interactive", false, a.httpUrl ? { kind: "interactive", payload } : undefined, a.httpUrl);
  }

  /** A user submits a modal. The handle's ack payload carries the response_action (errors, update, ...). */
  submitView(a: SubmitViewArgs): InteractionHandle {
    const { it, payload } = this.payloads.buildViewSubmission(a);
    return this.send(it, payload, "interactive", true, a.httpUrl ? { kind: "interactive", payload } : undefined, a.httpUrl);
  }

  /** An Events API event (member_joined_channel, team_join, app_home_opened, ...). */
  event(type: string, event: JsonObject = {}, via: SendVia = {}): InteractionHandle {
    const { it, payload } = this.payloads.buildEvent(type, event);
    return this.send(it, payload, "events_api", false, via.httpUrl ? { kind: "event", body: payload } : undefined, via.httpUrl);
  }

  private send(
    it: Interaction,
    payload: JsonObject,
    type: Envelope["type"],
    acceptsResponsePayload: boolean,
    httpBody: SignedSlackBody | undefined,
    httpUrl: string | undefined,
  ): InteractionHandle {
    if (this.closed) throw new Error("Slack emulator: closed");
    const ctx = { ws: this.ws, ackTimeoutMs: this.opts.ackTimeoutMs ?? 3000, settleMs: this.opts.settleMs ?? 60 };
    const onAck = (handle: InteractionHandle) => (ackPayload: AckPayload, latencyMs: number) => {
      applyAck(this.ws, it, ackPayload);
      handle.resolveAck(ackPayload, latencyMs);
    };
    if (httpUrl && httpBody) {
      const handle = new InteractionHandle(ctx, it, payload);
      this.ws.inFlight += 1;
      signedSlackRequest(httpUrl, this.signingSecret, httpBody).then(
        (res) => {
          this.ws.inFlight -= 1;
          this.ws.touch();
          if (res.status === 200) onAck(handle)(ackPayloadFromHttpBody(res.body), res.latencyMs);
          else handle.rejectAck(new Error(`Slack emulator: the app answered HTTP ${res.status}: ${res.body.slice(0, 200)}`));
        },
        (err: unknown) => {
          this.ws.inFlight -= 1;
          handle.rejectAck(err instanceof Error ? err : new Error(String(err)));
        },
      );
      return handle;
    }
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: acceptsResponsePayload,
      ...(type === "events_api" ? { retry_attempt: 0, retry_reason: "" } : {}),
    };
    const handle = new InteractionHandle(ctx, it, payload, envelope.envelope_id);
    this.hub.deliver(envelope, onAck(handle));
    return handle;
  }

  /** Stops everything now: Socket Mode links are cut, HTTP connections closed. Stop the bots first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** Starts an emulator on 127.0.0.1 with an ephemeral port. */
export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const server = createServer();
  // Keep-alive is fine for the WebClient, but idle sockets must not hold close() for 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return new SlackEmulator(server, port, opts);
}
