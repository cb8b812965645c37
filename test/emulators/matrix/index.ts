/**
 * Matrix Client-Server API emulator for tests: a homeserver on 127.0.0.1 that the real
 * matrix-js-sdk (the bot's, and the test people's in ./person.ts) talks to over HTTP. It implements
 * what the SDK uses — login, /sync long-polling, rooms, events, relations, account data, device keys
 * and to-device messages — and can answer M_LIMIT_EXCEEDED or fail /sync on demand. It relays
 * ciphertext untouched: end-to-end encryption is done by the clients' Rust crypto.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { accountRoutes } from "./account.js";
import { keyRoutes } from "./keys.js";
import { MediaRepository } from "./media.js";
import { createRoom, joinRoom, roomRoutes, sendEvent } from "./rooms.js";
import { findRoute, matrixError, MatrixHttpError, type Route } from "./routing.js";
import { Homeserver, type Account, type Json, type MatrixEvent, type Room } from "./state.js";
import { longPollSync, parseSince } from "./sync.js";


const ROUTES: Route[] = [...accountRoutes, ...roomRoutes, ...keyRoutes];

interface RateLimit {
  method?: string;
  path: RegExp;
  /** How many matching requests are refused before they pass again. */
  times: number;
  retryAfterMs: number;
}

interface ApiCall {
  method: string;
  path: string;
  userId?: string;
  status: number;
  /** When the answer was sent (performance.now()). */
  at: number;
}

export class MatrixEmulator {
  readonly hs: Homeserver;
  readonly media: MediaRepository;
  readonly calls: ApiCall[] = [];
  /** Endpoints the SDK called that the emulator does not implement (a test can assert none matter). */
  readonly unhandled: string[] = [];
  private readonly limits: RateLimit[] = [];
  private syncFailures = 0;
  private server?: Server;
  private readonly polls = new Set<AbortController>();

  constructor(serverName = "emu.test") {
    this.hs = new Homeserver(serverName);
    this.media = new MediaRepository(this.hs);
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const poll of this.polls) poll.abort();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** An account; log in with its password or take a token with `token()`. */
  addUser(localpart: string, options: { password?: string; displayName?: string } = {}): Account {
    return this.hs.addAccount(localpart, options.password ?? `pw-${localpart}`, options.displayName ?? localpart);
  }

  /** An access token for a (new or given) device of the user, as an admin would issue it. */
  token(userId: string, deviceId?: string): { accessToken: string; deviceId: string } {
    const account = this.account(userId);
    const device = this.hs.addDevice(account, deviceId);
    return { accessToken: device.accessToken, deviceId: device.deviceId };
  }

  account(userId: string): Account {
    const account = this.hs.accounts.get(userId);
    if (!account) throw new Error(`no account ${userId}`);
    return account;
  }

  /** A room made by `creator`, optionally encrypted, with people invited (they join through their client or `join`). */
  createRoom(creator: string, options: { name?: string; alias?: string; encrypted?: boolean; invite?: string[]; isPublic?: boolean } = {}): Room {
    const initial = options.encrypted ? [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }] : [];
    return createRoom(this.hs, creator, { name: options.name, room_alias_name: options.alias, invite: options.invite, initial_state: initial, preset: options.isPublic ? "public_chat" : "private_chat" });
  }

  join(roomId: string, userId: string): void {
    joinRoom(this.hs, this.room(roomId), userId);
  }

  leave(roomId: string, userId: string): void {
    this.hs.addEvent(this.room(roomId), { type: "m.room.member", sender: userId, state_key: userId, content: { membership: "leave" } });
  }

  /** A plain (unencrypted) event sent on someone's behalf without a client. */
  send(roomId: string, sender: string, type: string, content: Json): MatrixEvent {
    return sendEvent(this.hs, this.room(roomId), sender, type, content);
  }

  room(roomIdOrAlias: string): Room {
    const room = this.hs.resolveRoom(roomIdOrAlias);
    if (!room) throw new Error(`no room ${roomIdOrAlias}`);
    return room;
  }

  /** The next `times` matching requests get 429 M_LIMIT_EXCEEDED with `retry_after_ms`. */
  rateLimit(limit: RateLimit): void {
    this.limits.push({ ...limit });
  }

  /** The next `times` /sync requests fail with 502 (a proxy in front of a homeserver that went away). */
  failSyncs(times: number): void {
    this.syncFailures += times;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    let userId: string | undefined;
    let status = 200;
    let body: unknown;
    try {
      const raw = await readBody(req);
      if (this.media.handles(url.pathname)) {
        const served = this.media.serve(req, res, url, raw);
        this.calls.push({ method, path: url.pathname, userId: served.userId, status: served.status, at: performance.now() });
        return;
      }
      const json = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Json) : {};
      const gone = new AbortController();
      res.once("close", () => gone.abort());
      const result = await this.dispatch(method, url, req, json, gone, (u) => (userId = u));
      body = result;
    } catch (err) {
      const e = err instanceof MatrixHttpError ? err : matrixError(500, "M_UNKNOWN", String(err));
      status = e.status;
      body = e.body;
    }
    this.calls.push({ method, path: url.pathname, userId, status, at: performance.now() });
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
    res.end(JSON.stringify(body));
  }

  private async dispatch(method: string, url: URL, req: IncomingMessage, body: Json, aborted: AbortController, who: (userId: string) => void): Promise<unknown> {
    const path = url.pathname;
    if (path === "/_matrix/client/versions") return { versions: ["v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11"], unstable_features: {} };
    const match = /^\/_matrix\/client\/(?:v3|r0|v1|unstable)(\/.*)$/.exec(path);
    if (!match) throw this.unknown(method, path);
    const route = match[1]!;
    this.checkRateLimit(method, route);
    if (route === "/login") return method === "GET" ? { flows: [{ type: "m.login.password" }] } : this.login(body);
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || url.searchParams.get("access_token") || "";
    const auth = this.hs.byToken(token);
    if (!auth || !token) throw matrixError(401, "M_UNKNOWN_TOKEN", "Invalid access token passed.", { soft_logout: false });
    who(auth.account.userId);
    if (method === "GET" && route === "/sync") return this.sync(auth, url, aborted);
    const found = findRoute(ROUTES, method, route);
    if (!found) throw this.unknown(method, path);
    return found.handler({ hs: this.hs, account: auth.account, device: auth.device, body, query: url.searchParams, signal: aborted.signal }, found.params);
  }

  private async sync(auth: NonNullable<ReturnType<Homeserver["byToken"]>>, url: URL, aborted: AbortController): Promise<unknown> {
    if (this.syncFailures > 0) {
      this.syncFailures--;
      throw matrixError(502, "M_UNKNOWN", "Bad Gateway");
    }
    this.polls.add(aborted);
    try {
      const timeout = Math.min(Number(url.searchParams.get("timeout") ?? 0), 30_000);
      return await longPollSync(this.hs, auth.account, auth.device, parseSince(url.searchParams.get("since")), timeout, aborted.signal);
    } finally {
      this.polls.delete(aborted);
    }
  }

  private login(body: Json): Json {
    const identifier = body.identifier as { user?: string } | undefined;
    const user = String(identifier?.user ?? body.user ?? "");
    const userId = user.startsWith("@") ? user : `@${user}:${this.hs.serverName}`;
    const account = this.hs.accounts.get(userId);
    if (!account || account.password !== body.password) throw matrixError(403, "M_FORBIDDEN", "Invalid username or password");
    const device = this.hs.addDevice(account, typeof body.device_id === "string" ? body.device_id : undefined, body.initial_device_display_name as string | undefined);
    return { user_id: userId, access_token: device.accessToken, device_id: device.deviceId, home_server: this.hs.serverName };
  }

  private checkRateLimit(method: string, route: string): void {
    const limit = this.limits.find((l) => l.times > 0 && l.path.test(route) && (!l.method || l.method === method));
    if (!limit) return;
    limit.times--;
    throw matrixError(429, "M_LIMIT_EXCEEDED", "Too Many Requests", { retry_after_ms: limit.retryAfterMs });
  }

  private unknown(method: string, path: string): MatrixHttpError {
    this.unhandled.push(`${method} ${path}`);
    return matrixError(404, "M_UNRECOGNIZED", "Unrecognized request");
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
