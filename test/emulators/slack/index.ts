/**
 * Slack emulator for tests: a Web API + Socket Mode + response_url + file upload server on
 * 127.0.0.1 that an unmodified @slack/bolt App talks to. See README.md for how to wire Bolt.
 */
import { WAIT_CEILING_MS } from "../wait.js";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildStateValues, findElement, stateValueFor, textOf, type InputValue } from "./blocks.js";
import { applyAck, applyResponseUrlPost } from "./effects.js";
import { InteractionHandle } from "./handles.js";
import { ackPayloadFromHttpBody, parseBody, readBody, signedSlackRequest, type SignedSlackBody } from "./http.js";
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
import { runApiMethod, wireMessage, wireUser, wireView, type ApiContext } from "./web-api.js";

export { InteractionHandle, type FinalOptions } from "./handles.js";
export { signedSlackRequest, slackSignature, type SignedRequestOptions, type SignedResponse, type SignedSlackBody } from "./http.js";
export type * from "./types.js";
export type { InputValue } from "./blocks.js";

export interface SlackEmulatorOptions {
  teamDomain?: string;
  botName?: string;
  /** Time the app has to ack before `handle.ack()` rejects (Slack: 3000 ms). */
  ackTimeoutMs?: number;
  /** Lifetime of trigger_ids for views.open/push (Slack: 3000 ms). */
  triggerTtlMs?: number;
  /** Quiet period after which `handle.final()` considers the app done (default 60 ms). */
  settleMs?: number;
  /** Make the server ping Socket Mode clients at this interval (off by default). */
  serverPingIntervalMs?: number;
  /** Scopes granted to the bot token (`x-oauth-scopes`); default: those of the project's manifest, as installed from it. */
  botScopes?: readonly string[];
  /** Default human user and channel (created at start). */
  defaultUser?: AddUserOptions;
  defaultChannel?: AddChannelOptions;
}

/** Common to everything a test makes Slack send. */
interface SendVia {
  /** Send to an HTTP-mode app (signed POST to this URL) instead of over Socket Mode. */
  httpUrl?: string;
}

export interface SlashCommandArgs extends SendVia {
  userId?: string;
  command: string;
  text?: string;
  channelId?: string;
}

export interface ClickButtonArgs extends SendVia {
  userId?: string;
  actionId: string;
  /** Defaults to the element's value in the message. */
  value?: string;
  blockId?: string;
  /** The message holding the button (a SlackMessage from the emulator, or its ts). Default: the latest visible one that has `actionId`. */
  message?: SlackMessage | { ts: string; channel?: string };
  channelId?: string;
  /** Click inside a modal/home view instead of a message. */
  view?: ViewRecord | string;
}

export interface SelectOptionArgs extends Omit<ClickButtonArgs, "value"> {
  /** Selected option value(s); for multi selects / checkboxes give an array. */
  value?: string | string[];
  /** Slack-style alternative: [{ value }] (text is looked up in the element's options). */
  selected_options?: Array<string | { value: string }>;
}

export interface SubmitViewArgs extends SendVia {
  userId?: string;
  /** The view (record, id, or a definition not opened through the emulator). Default: the user's top modal. */
  view?: ViewRecord | string | JsonObject;
  /** { block_id: { action_id: value } }; value = string, string[] (multi), null, or Slack's exact state object. */
  values?: Record<string, Record<string, InputValue>>;
}

export interface WaitForCallOptions {
  where?: (call: ApiCall) => boolean;
  /** Only calls recorded after this emulator sequence number (see `emu.seq`). */
  since?: number;
  timeoutMs?: number;
}

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
    server.on("request", (req, res) => void this.onRequest(req, res));
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

  private userOrThrow(id: string | undefined): EmulatorUser {
    const u = this.ws.users.get(id ?? this.defaultUserId);
    if (!u) throw new Error(`Slack emulator: unknown user ${id}; add it with emu.addUser() first`);
    return u;
  }

  private channelOrThrow(id: string | undefined): EmulatorChannel {
    const ch = this.channel(id ?? this.defaultChannelId);
    if (!ch) throw new Error(`Slack emulator: unknown channel ${id}; add it with emu.addChannel() first`);
    return ch;
  }

  private wireUserRef(u: EmulatorUser): JsonObject {
    return { id: u.id, username: u.name, name: u.name, team_id: u.teamId ?? this.teamId };
  }

  private buildCommand(a: SlashCommandArgs): { it: Interaction; payload: Record<string, string> } {
    const user = this.userOrThrow(a.userId);
    const ch = this.channelOrThrow(a.channelId);
    const it = this.ws.newInteraction("command", { userId: user.id, channelId: ch.id, responseUrlBase: `${this.baseUrl}response/` });
    const payload: Record<string, string> = {
      token: this.verificationToken,
      team_id: this.teamId,
      team_domain: this.teamDomain,
      channel_id: ch.id,
      channel_name: ch.isIm ? "directmessage" : ch.isPrivate ? "privategroup" : ch.name,
      user_id: user.id,
      user_name: user.name,
      command: a.command.startsWith("/") ? a.command : `/${a.command}`,
      text: a.text ?? "",
      api_app_id: this.appId,
      is_enterprise_install: "false",
      response_url: it.responseUrl ?? "",
      trigger_id: it.triggerId ?? "",
    };
    return { it, payload };
  }

  /** Slash command fields exactly as Slack posts them (also registers the response_url and trigger_id). */
  commandPayload(a: SlashCommandArgs): Record<string, string> {
    return this.buildCommand(a).payload;
  }

  private findSourceMessage(a: ClickButtonArgs, user: EmulatorUser): SlackMessage | undefined {
    if (a.message) {
      const ts = a.message.ts;
      const channel = a.message.channel ?? a.channelId;
      const m = this.ws.messages.find((x) => x.ts === ts && (channel === undefined || x.channel === this.channel(channel)?.id));
      if (!m) throw new Error(`Slack emulator: message ${ts} not found`);
      return m;
    }
    const channelId = a.channelId ? this.channelOrThrow(a.channelId).id : undefined;
    const candidates = this.ws.messages
      .filter((m) => !m.deleted && (!m.ephemeral || m.visibleTo === user.id) && (!channelId || m.channel === channelId))
      .sort((x, y) => y.seq - x.seq);
    return candidates.find((m) => findElement(m.blocks, a.actionId, a.blockId));
  }

  private resolveView(v: ViewRecord | string | JsonObject | undefined, userId: string): ViewRecord {
    if (v === undefined) {
      const top = this.ws.topView(userId);
      if (!top) throw new Error(`Slack emulator: user ${userId} has no open modal to submit`);
      return top;
    }
    if (typeof v === "string") {
      const rec = this.ws.findView(v, v);
      if (!rec) throw new Error(`Slack emulator: view ${v} not found`);
      return rec;
    }
    if (isViewRecord(v)) {
      const rec = this.ws.findView(v.id);
      if (rec) return rec;
      throw new Error(`Slack emulator: view ${v.id} does not belong to this emulator`);
    }
    // A bare view definition never opened through the emulator (e.g. a unit-built modal).
    const rec: ViewRecord = {
      id: this.ws.newId("V"),
      userId,
      type: v.type === "home" ? "home" : "modal",
      view: v,
      hash: this.ws.newHash(),
      rootViewId: "",
      previousViewId: null,
      open: true,
      openedBy: "views.open",
      history: [],
      submissions: 0,
    };
    rec.rootViewId = rec.id;
    this.ws.views.push(rec);
    this.ws.modalStacks.set(userId, [...(this.ws.modalStacks.get(userId) ?? []), rec.id]);
    return rec;
  }

  private buildBlockActions(
    a: ClickButtonArgs & { selection?: InputValue },
  ): { it: Interaction; payload: JsonObject } {
    const user = this.userOrThrow(a.userId);
    const actionTs = this.ws.nextTs();
    if (a.view !== undefined) {
      const rec = this.resolveView(a.view, user.id);
      const found = findElement(rec.view.blocks, a.actionId, a.blockId);
      const it = this.ws.newInteraction("block_actions", { userId: user.id, viewId: rec.id });
      const payload: JsonObject = {
        type: "block_actions",
        user: this.wireUserRef(user),
        api_app_id: this.appId,
        token: this.verificationToken,
        container: { type: "view", view_id: rec.id },
        trigger_id: it.triggerId,
        team: { id: this.teamId, domain: this.teamDomain },
        enterprise: null,
        is_enterprise_install: false,
        view: wireView(this.ws, rec, buildStateValues(rec.view.blocks)),
        actions: [this.action(a, found, actionTs)],
      };
      return { it, payload };
    }
    const msg = this.findSourceMessage(a, user);
    const ch = msg ? this.ws.channels.get(msg.channel) : this.channelOrThrow(a.channelId);
    if (!ch) throw new Error(`Slack emulator: channel of message ${msg?.ts} vanished`);
    const found = msg ? findElement(msg.blocks, a.actionId, a.blockId) : undefined;
    const it = this.ws.newInteraction("block_actions", {
      userId: user.id,
      channelId: ch.id,
      originalTs: msg?.ts,
      originalEphemeral: msg?.ephemeral,
      responseUrlBase: `${this.baseUrl}response/`,
    });
    const payload: JsonObject = {
      type: "block_actions",
      user: this.wireUserRef(user),
      api_app_id: this.appId,
      token: this.verificationToken,
      container: { type: "message", message_ts: msg?.ts ?? actionTs, channel_id: ch.id, is_ephemeral: msg?.ephemeral ?? false },
      trigger_id: it.triggerId,
      team: { id: this.teamId, domain: this.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: ch.id, name: ch.isIm ? "directmessage" : ch.name },
      // Slack does not include the message for ephemeral ones (the app never had it).
      ...(msg && !msg.ephemeral ? { message: wireMessage(this.ws, msg) } : {}),
      state: { values: msg ? buildStateValues(msg.blocks) : {} },
      response_url: it.responseUrl,
      actions: [this.action(a, found, actionTs)],
    };
    return { it, payload };
  }

  private action(
    a: ClickButtonArgs & { selection?: InputValue },
    found: ReturnType<typeof findElement>,
    actionTs: string,
  ): JsonObject {
    const el = found?.element;
    const type = typeof el?.type === "string" ? el.type : a.selection !== undefined ? "static_select" : "button";
    const base: JsonObject = { action_id: a.actionId, block_id: a.blockId ?? found?.blockId ?? "emu" };
    if (type === "button") {
      return {
        ...base,
        text: { type: "plain_text", text: textOf(el?.text) || a.actionId, emoji: true },
        ...((a.value ?? el?.value) !== undefined ? { value: a.value ?? el?.value } : {}),
        ...(el?.style ? { style: el.style } : {}),
        type: "button",
        action_ts: actionTs,
      };
    }
    const selection = stateValueFor(el ?? { type }, a.selection ?? a.value ?? null);
    return { ...selection, ...base, ...(el?.placeholder ? { placeholder: el.placeholder } : {}), action_ts: actionTs };
  }

  /** block_actions payload for a button click (same shape in both modes; registers response_url/trigger_id). */
  blockActionsPayload(a: ClickButtonArgs): JsonObject {
    return this.buildBlockActions(a).payload;
  }

  private buildViewSubmission(a: SubmitViewArgs): { it: Interaction; payload: JsonObject } {
    const user = this.userOrThrow(a.userId);
    const rec = this.resolveView(a.view, user.id);
    // A typo in a test's block_id/action_id would otherwise submit a value the app never reads.
    for (const [blockId, byAction] of Object.entries(a.values ?? {})) {
      for (const actionId of Object.keys(byAction)) {
        if (!findElement(rec.view.blocks, actionId, blockId))
          throw new Error(`Slack emulator: view ${rec.id} (${String(rec.view.callback_id)}) has no element ${blockId}/${actionId}`);
      }
    }
    rec.submissions += 1;
    const it = this.ws.newInteraction("view_submission", { userId: user.id, viewId: rec.id });
    const payload: JsonObject = {
      type: "view_submission",
      team: { id: this.teamId, domain: this.teamDomain },
      user: this.wireUserRef(user),
      api_app_id: this.appId,
      token: this.verificationToken,
      trigger_id: it.triggerId,
      view: wireView(this.ws, rec, buildStateValues(rec.view.blocks, a.values)),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return { it, payload };
  }

  viewSubmissionPayload(a: SubmitViewArgs): JsonObject {
    return this.buildViewSubmission(a).payload;
  }

  private buildEvent(type: string, event: JsonObject): { it: Interaction; payload: JsonObject } {
    const full: JsonObject = { ...event, type, event_ts: typeof event.event_ts === "string" ? event.event_ts : this.ws.nextTs() };
    // team_join carries the full user object; accept a user id for convenience.
    if (type === "team_join" && typeof full.user === "string") {
      const u = this.ws.users.get(full.user);
      if (u) full.user = wireUser(this.ws, u);
    }
    const userId = typeof full.user === "string" ? full.user : ((full.user as JsonObject | undefined)?.id as string | undefined);
    const channelId = typeof full.channel === "string" ? full.channel : undefined;
    const it = this.ws.newInteraction("event", { userId, channelId });
    const payload: JsonObject = {
      token: this.verificationToken,
      team_id: this.teamId,
      context_team_id: this.teamId,
      context_enterprise_id: null,
      api_app_id: this.appId,
      event: full,
      type: "event_callback",
      event_id: `Ev${this.ws.newId("")}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: this.teamId, user_id: this.botUserId, is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(`${type}-${this.teamId}`).toString("base64url")}`,
    };
    return { it, payload };
  }

  eventPayload(type: string, event: JsonObject): JsonObject {
    return this.buildEvent(type, event).payload;
  }

  // ------------------------------------------------------------------------------------------------
  // Sending things to the app
  // ------------------------------------------------------------------------------------------------

  /** A user runs a slash command. */
  slashCommand(a: SlashCommandArgs): InteractionHandle {
    const { it, payload } = this.buildCommand(a);
    return this.send(it, payload, "slash_commands", true, a.httpUrl ? { kind: "command", fields: payload } : undefined, a.httpUrl);
  }

  /** A user clicks a button (in a message by default, in a view with `view`). */
  clickButton(a: ClickButtonArgs): InteractionHandle {
    const { it, payload } = this.buildBlockActions(a);
    return this.send(it, payload, "interactive", false, a.httpUrl ? { kind: "interactive", payload } : undefined, a.httpUrl);
  }

  /** A user picks option(s) in a select menu / checkboxes / overflow. */
  selectOption(a: SelectOptionArgs): InteractionHandle {
    const selection: InputValue =
      a.selected_options !== undefined ? a.selected_options.map((o) => (typeof o === "string" ? o : o.value)) : a.value;
    const { it, payload } = this.buildBlockActions({ ...a, value: undefined, selection });
    return this.send(it, payload, "interactive", false, a.httpUrl ? { kind: "interactive", payload } : undefined, a.httpUrl);
  }

  /** A user submits a modal. The handle's ack payload carries the response_action (errors, update, ...). */
  submitView(a: SubmitViewArgs): InteractionHandle {
    const { it, payload } = this.buildViewSubmission(a);
    return this.send(it, payload, "interactive", true, a.httpUrl ? { kind: "interactive", payload } : undefined, a.httpUrl);
  }

  /** An Events API event (member_joined_channel, team_join, app_home_opened, ...). */
  event(type: string, event: JsonObject = {}, via: SendVia = {}): InteractionHandle {
    const { it, payload } = this.buildEvent(type, event);
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

  // ------------------------------------------------------------------------------------------------
  // HTTP server
  // ------------------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.ws.inFlight += 1;
    try {
      const url = new URL(req.url ?? "/", this.baseUrl);
      const raw = await readBody(req);
      const [, root, rest = ""] = url.pathname.match(/^\/([^/]+)\/?(.*)$/) ?? [];
      if (root === "api") await this.onApi(rest, req, raw, url, res);
      else if (root === "response") await this.onResponseUrl(rest, req, raw, url, res);
      else if (root === "upload") await this.onUpload(rest, req, raw, url, res);
      else sendJson(res, 404, { ok: false, error: "not_found" });
    } catch (e) {
      this.ws.problem(`emulator error on ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
      sendJson(res, 500, { ok: false, error: "emulator_error" });
    } finally {
      this.ws.inFlight -= 1;
      this.ws.touch();
    }
  }

  private async onApi(method: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): Promise<void> {
    const { fields } = await parseBody(raw, req.headers["content-type"], url.searchParams);
    const auth = req.headers.authorization;
    const headerToken = auth?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = headerToken ?? (typeof fields.token === "string" ? fields.token : undefined);
    const args = { ...fields };
    delete args.token;
    const answer = runApiMethod(this.apiCtx, method, args, token);
    const body = answer.body;
    const call: ApiCall = {
      seq: this.ws.touch(),
      method,
      args,
      token,
      at: Date.now(),
      status: answer.status,
      ok: typeof body === "object" && body.ok === true,
      error: typeof body === "object" && typeof body.error === "string" ? body.error : answer.status !== 200 ? `http_${answer.status}` : undefined,
      response: body,
      ...(answer.injected ? { injected: true } : {}),
      ...(answer.unknown ? { unknown: true } : {}),
    };
    this.ws.calls.push(call);
    this.ws.emit("call", call);
    res.writeHead(answer.status, answer.headers);
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  private async onResponseUrl(id: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): Promise<void> {
    const it = this.ws.interactions.get(id);
    if (!it || req.method !== "POST") return sendJson(res, 404, { ok: false, error: "expired_url" });
    const { fields } = await parseBody(raw, req.headers["content-type"], url.searchParams);
    // Some clients post `payload=<json>` form bodies to response_url.
    const body = typeof fields.payload === "string" ? (JSON.parse(fields.payload) as JsonObject) : fields;
    const out = applyResponseUrlPost(this.ws, it, body);
    sendJson(res, out.status, out.body);
  }

  private async onUpload(fileId: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): Promise<void> {
    const file = this.ws.files.get(fileId);
    if (!file || req.method !== "POST") return sendJson(res, 404, { ok: false, error: "file_not_found" });
    const ct = req.headers["content-type"] ?? "";
    if (ct.toLowerCase().startsWith("multipart/form-data")) {
      const { fileParts, fields } = await parseBody(raw, ct, url.searchParams);
      const part = fileParts.values().next().value;
      file.bytes = part ? part.bytes : Buffer.from(String(fields.file ?? fields.body ?? ""));
    } else {
      file.bytes = raw;
    }
    file.uploaded = true;
    if (file.bytes.length !== file.declaredLength)
      this.ws.problem(`upload of ${file.id}: ${file.bytes.length} bytes received, files.getUploadURLExternal declared ${file.declaredLength}`);
    this.ws.touch();
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`OK - ${file.bytes.length}`);
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

function isViewRecord(v: ViewRecord | JsonObject): v is ViewRecord {
  return typeof v.id === "string" && typeof v.hash === "string" && typeof v.view === "object" && typeof v.openedBy === "string";
}

function sendJson(res: ServerResponse, status: number, body: JsonObject): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
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
