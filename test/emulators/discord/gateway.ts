/**
 * Discord gateway v10 over the `ws` package: HELLO / IDENTIFY / READY / GUILD_CREATE,
 * heartbeats, RESUME with replay, intents filtering, sharding and the close codes
 * discord.js reacts to. JSON encoding only; transport compression (zlib-stream) and
 * identify compression are supported because discord.js turns them on by itself as
 * soon as `zlib-sync` happens to be installed.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import zlib from "node:zlib";
import { WebSocketServer, type WebSocket, type RawData } from "ws";

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildModeration: 1 << 2,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  GuildMessageTyping: 1 << 11,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  DirectMessageTyping: 1 << 14,
  MessageContent: 1 << 15,
  GuildScheduledEvents: 1 << 16,
} as const;
export const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

type Json = Record<string, unknown>;

/** Which intent an event needs (null = always delivered, e.g. INTERACTION_CREATE, READY). */
function requiredIntent(t: string, d: Json): number | null {
  const inGuild = typeof d.guild_id === "string";
  if (/^(GUILD_(CREATE|UPDATE|DELETE)|GUILD_ROLE_.*|CHANNEL_.*|THREAD_(CREATE|UPDATE|DELETE|LIST_SYNC|MEMBER_UPDATE))$/.test(t)) {
    if (t === "CHANNEL_PINS_UPDATE") return inGuild ? Intent.Guilds : Intent.DirectMessages;
    return Intent.Guilds;
  }
  if (/^(GUILD_MEMBER_(ADD|UPDATE|REMOVE)|THREAD_MEMBERS_UPDATE)$/.test(t)) return Intent.GuildMembers;
  if (t.startsWith("GUILD_SCHEDULED_EVENT_")) return Intent.GuildScheduledEvents;
  if (t.startsWith("MESSAGE_REACTION_")) return inGuild ? Intent.GuildMessageReactions : Intent.DirectMessageReactions;
  if (t.startsWith("MESSAGE_")) return inGuild ? Intent.GuildMessages : Intent.DirectMessages;
  if (t === "TYPING_START") return inGuild ? Intent.GuildMessageTyping : Intent.DirectMessageTyping;
  if (t === "PRESENCE_UPDATE") return Intent.GuildPresences;
  if (t === "GUILD_BAN_ADD" || t === "GUILD_BAN_REMOVE") return Intent.GuildModeration;
  return null;
}

interface GatewaySession {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  /** Sent dispatches, replayed on RESUME for those after the client's last seq. */
  history: Array<{ s: number; t: string; d: unknown }>;
  conn: Connection | null;
  token: string;
}

interface Connection {
  ws: WebSocket;
  session: GatewaySession | null;
  /** Shared deflate context for `compress=zlib-stream`. */
  stream: zlib.Deflate | null;
  streamChunks: Buffer[];
  identifyCompress: boolean;
}

interface GatewayHooks {
  token: string;
  heartbeatIntervalMs: number;
  privilegedIntents: number;
  guildId: string;
  botUserId: string;
  readyPayload(session: GatewaySession, resumeUrl: string, ownsGuild: boolean): Json;
  guildCreatePayload(session: GatewaySession): Json;
  membersChunk(request: Json): Json[];
  log(line: string): void;
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  heartbeats: number;
  /** Close codes sent by the emulator (e.g. 4004 for a bad token). */
  closeCodesSent: number[];
  /** Close codes received from clients (1000 on `client.destroy()`). */
  closeCodesReceived: number[];
}

type OnSent = (at: number) => void;

export class GatewayServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  readonly sessions = new Map<string, GatewaySession>();
  private readonly connections = new Set<Connection>();
  private readonly pendingInteractions: Array<{ t: string; d: Json; onSent?: OnSent }> = [];
  private readonly liveWaiters: Array<() => void> = [];
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0, closeCodesSent: [], closeCodesReceived: [] };
  url = "ws://127.0.0.1/gateway";

  constructor(private readonly hooks: GatewayHooks) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  liveSessions(): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => s.conn !== null);
  }

  /** Resolves once at least one client has finished IDENTIFY/RESUME. */
  waitForLiveSession(): Promise<void> {
    if (this.liveSessions().length > 0) return Promise.resolve();
    return new Promise((resolve) => this.liveWaiters.push(resolve));
  }

  private ownsGuild(session: GatewaySession): boolean {
    const [id, count] = session.shard;
    return Number((BigInt(this.hooks.guildId) >> 22n) % BigInt(count)) === id;
  }

  private accepts(session: GatewaySession, t: string, d: Json): boolean {
    const intent = requiredIntent(t, d);
    if (intent !== null && (session.intents & intent) === 0) return false;
    // Guild events go to the shard owning the guild; DMs to shard 0, as on Discord.
    return typeof d.guild_id === "string" || t === "GUILD_CREATE" ? this.ownsGuild(session) : session.shard[0] === 0;
  }

  /** Without MESSAGE_CONTENT, Discord blanks content of messages not sent by / mentioning the bot. */
  private redact(session: GatewaySession, t: string, d: Json): Json {
    if ((t !== "MESSAGE_CREATE" && t !== "MESSAGE_UPDATE") || (session.intents & Intent.MessageContent) !== 0) return d;
    if (typeof d.guild_id !== "string") return d;
    const author = d.author as Json | undefined;
    const mentions = (d.mentions as Json[] | undefined) ?? [];
    if (author?.id === this.hooks.botUserId || mentions.some((m) => m.id === this.hooks.botUserId)) return d;
    return { ...d, content: "", embeds: [], attachments: [], components: [] };
  }

  /**
   * Sends an event to every live session that would receive it on Discord. Interactions
   * dispatched while no bot is connected are queued for the next READY/RESUMED, so a
   * test may fire a command right after `client.login()` without racing the handshake.
   */
  dispatch(t: string, d: Json, onSent?: OnSent): number {
    const targets = this.liveSessions().filter((s) => this.accepts(s, t, d));
    if (targets.length === 0 && t === "INTERACTION_CREATE" && this.liveSessions().length === 0) {
      this.pendingInteractions.push({ t, d, ...(onSent ? { onSent } : {}) });
      return 0;
    }
    let first = true;
    for (const session of targets) {
      this.sendDispatch(session, t, this.redact(session, t, d), first ? onSent : undefined);
      first = false;
    }
    return targets.length;
  }

  /** Asks every client to reconnect and resume (op 7), like Discord does during rolling restarts. */
  requestReconnect(): void {
    for (const conn of this.connections) this.sendRaw(conn, { op: Op.Reconnect, d: null, s: null, t: null });
  }

  /** Closes every client socket with a resumable code, simulating a network drop. */
  dropConnections(code = 4000): void {
    for (const conn of this.connections) this.closeConn(conn, code, "Emulator dropped the connection");
  }

  async close(): Promise<void> {
    for (const conn of this.connections) conn.ws.terminate();
    this.connections.clear();
    for (const w of this.liveWaiters.splice(0)) w();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const conn: Connection = { ws, session: null, stream: null, streamChunks: [], identifyCompress: false };
    this.connections.add(conn);
    this.stats.connections++;
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    this.hooks.log(`[gateway] connection ${req.url ?? ""}`);
    ws.on("close", (code) => this.onClose(conn, code));
    ws.on("error", () => undefined);
    ws.on("message", (data, isBinary) => this.onMessage(conn, data, isBinary));
    if (query.get("v") !== "10") {
      this.closeConn(conn, 4012, "Invalid API version");
      return;
    }
    if ((query.get("encoding") ?? "json") !== "json") {
      this.closeConn(conn, 4002, "The emulator only speaks encoding=json");
      return;
    }
    const compress = query.get("compress");
    if (compress === "zlib-stream") {
      conn.stream = zlib.createDeflate({ chunkSize: 65535 });
      conn.stream.on("data", (chunk: Buffer) => conn.streamChunks.push(chunk));
    } else if (compress) {
      this.closeConn(conn, 4002, `Unsupported compression ${compress}`);
      return;
    }
    this.sendRaw(conn, { op: Op.Hello, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs }, s: null, t: null });
  }

  private onClose(conn: Connection, code: number): void {
    this.connections.delete(conn);
    this.stats.closeCodesReceived.push(code);
    conn.stream?.close();
    const session = conn.session;
    this.hooks.log(`[gateway] closed ${code}${session ? ` session ${session.id}` : ""}`);
    if (!session || session.conn !== conn) return;
    session.conn = null;
    // Closing with 1000/1001 invalidates the session on Discord; other codes keep it resumable.
    if (code === 1000 || code === 1001) this.sessions.delete(session.id);
  }

  private closeConn(conn: Connection, code: number, reason: string): void {
    this.stats.closeCodesSent.push(code);
    this.hooks.log(`[gateway] closing with ${code}: ${reason}`);
    conn.ws.close(code, reason);
  }

  private sendRaw(conn: Connection, payload: unknown, onSent?: OnSent): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    const json = JSON.stringify(payload);
    if (conn.stream) {
      const stream = conn.stream;
      stream.write(json);
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        const frame = Buffer.concat(conn.streamChunks.splice(0));
        if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(frame);
        onSent?.(performance.now());
      });
      return;
    }
    if (conn.identifyCompress) conn.ws.send(zlib.deflateSync(json));
    else conn.ws.send(json);
    onSent?.(performance.now());
  }

  private sendDispatch(session: GatewaySession, t: string, d: unknown, onSent?: OnSent): void {
    const s = ++session.seq;
    session.history.push({ s, t, d });
    if (session.history.length > 1000) session.history.shift();
    if (session.conn) {
      this.hooks.log(`[gateway] -> ${t} s=${s}`);
      this.sendRaw(session.conn, { op: Op.Dispatch, t, s, d }, onSent);
    }
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: Json;
    try {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      payload = JSON.parse(buf.toString(isBinary ? "utf8" : "utf8")) as Json;
    } catch {
      this.closeConn(conn, 4002, "Decode error");
      return;
    }
    const op = payload.op;
    const d = (payload.d ?? null) as Json | null;
    if (op === Op.Heartbeat) {
      this.stats.heartbeats++;
      this.sendRaw(conn, { op: Op.HeartbeatAck, d: null, s: null, t: null });
      return;
    }
    if (op === Op.Identify) return this.onIdentify(conn, d ?? {});
    if (op === Op.Resume) return this.onResume(conn, d ?? {});
    if (!conn.session) {
      this.closeConn(conn, 4003, "Not authenticated");
      return;
    }
    switch (op) {
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
        return;
      case Op.RequestGuildMembers: {
        const request = d ?? {};
        const members = this.hooks.membersChunk(request);
        this.sendDispatch(conn.session, "GUILD_MEMBERS_CHUNK", {
          guild_id: this.hooks.guildId,
          members,
          chunk_index: 0,
          chunk_count: 1,
          ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
        });
        return;
      }
      default:
        this.closeConn(conn, 4001, "Unknown opcode");
    }
  }

  private onIdentify(conn: Connection, d: Json): void {
    if (conn.session) {
      this.closeConn(conn, 4005, "Already authenticated");
      return;
    }
    if (d.token !== this.hooks.token) {
      this.closeConn(conn, 4004, "Authentication failed");
      return;
    }
    const intents = d.intents;
    if (typeof intents !== "number" || !Number.isInteger(intents) || intents < 0) {
      this.closeConn(conn, 4013, "Invalid intent(s)");
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.hooks.privilegedIntents) !== 0) {
      this.closeConn(conn, 4014, "Disallowed intent(s)");
      return;
    }
    const shard = Array.isArray(d.shard) ? (d.shard as [number, number]) : ([0, 1] as [number, number]);
    if (shard.length !== 2 || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      this.closeConn(conn, 4010, "Invalid shard");
      return;
    }
    conn.identifyCompress = d.compress === true && !conn.stream;
    this.stats.identifies++;
    const session: GatewaySession = { id: randomBytes(16).toString("hex"), intents, shard, seq: 0, history: [], conn, token: this.hooks.token };
    this.sessions.set(session.id, session);
    conn.session = session;
    const owns = this.ownsGuild(session);
    this.sendDispatch(session, "READY", this.hooks.readyPayload(session, this.url, owns));
    if (owns && (intents & Intent.Guilds) !== 0) this.sendDispatch(session, "GUILD_CREATE", this.hooks.guildCreatePayload(session));
    this.becameLive();
  }

  private onResume(conn: Connection, d: Json): void {
    if (conn.session) {
      this.closeConn(conn, 4005, "Already authenticated");
      return;
    }
    const session = typeof d.session_id === "string" ? this.sessions.get(d.session_id) : undefined;
    if (!session || d.token !== session.token) {
      // d:false = not resumable; discord.js then re-identifies from scratch.
      this.sendRaw(conn, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.conn && session.conn !== conn) {
      // A session has a single socket: the previous one is dropped, as on Discord.
      const previous = session.conn;
      previous.session = null;
      previous.ws.terminate();
    }
    this.stats.resumes++;
    session.conn = conn;
    conn.session = session;
    const lastSeq = typeof d.seq === "number" ? d.seq : 0;
    for (const event of session.history.filter((e) => e.s > lastSeq)) {
      this.sendRaw(conn, { op: Op.Dispatch, t: event.t, s: event.s, d: event.d });
    }
    this.sendDispatch(session, "RESUMED", {});
    this.becameLive();
  }

  private becameLive(): void {
    for (const w of this.liveWaiters.splice(0)) w();
    for (const pending of this.pendingInteractions.splice(0)) this.dispatch(pending.t, pending.d, pending.onSent);
  }
}
