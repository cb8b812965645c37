/**
 * Socket Mode server side, as @slack/socket-mode 3.x expects it:
 *  - the client calls apps.connections.open (app token) and gets a one-shot `wss` URL with a ticket;
 *  - on connect the server sends `hello` (the client's start() resolves on it, not on `open`);
 *  - the server pushes envelopes, the client answers `{ envelope_id, payload }`;
 *  - the client pings every clientPingTimeout/3 ms and drops the link if pongs stop (`ws` pongs automatically);
 *    the server may ping too (then the client expects a ping every serverPingTimeout ms);
 *  - a `disconnect` message makes the client close and reconnect (new apps.connections.open).
 * Envelopes sent while no connection is open are queued and delivered after the next hello.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import { WebSocket, WebSocketServer } from "ws";
import type { Workspace } from "./state.js";
import type { JsonObject } from "./types.js";

export interface Envelope {
  envelope_id: string;
  type: "slash_commands" | "interactive" | "events_api";
  payload: JsonObject;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

interface Outgoing {
  envelope: Envelope;
  sentAt?: number;
  onAck(payload: JsonObject, latencyMs: number): void;
}

interface SocketHubOptions {
  appId: string;
  /** If set, the server pings each connection at this interval like Slack's edge does. */
  serverPingIntervalMs?: number;
}

export class SocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, clientTracking: false });
  private readonly tickets = new Set<string>();
  private readonly open: WebSocket[] = [];
  /** Connections told to go away: Slack stops routing envelopes to them right after `disconnect`. */
  private readonly draining = new WeakSet<WebSocket>();
  private readonly queue: Outgoing[] = [];
  private readonly pending = new Map<string, Outgoing>();
  private readonly waiters: Array<{ minTotal: number; resolve: () => void }> = [];
  totalConnections = 0;
  /** Every message received from the app, in order (acks and anything unexpected). */
  readonly received: JsonObject[] = [];

  constructor(
    private readonly ws: Workspace,
    private readonly opts: SocketHubOptions,
  ) {}

  get openConnections(): number {
    return this.open.length;
  }

  newTicket(): string {
    const t = randomUUID();
    this.tickets.add(t);
    return t;
  }

  /** HTTP upgrade handler for `/link/?ticket=...`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://emulator");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (!url.pathname.startsWith("/link") || !this.tickets.delete(ticket)) {
      // Slack refuses reused or unknown tickets: the client has to call apps.connections.open again.
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (conn) => this.onConnection(conn));
  }

  private onConnection(conn: WebSocket): void {
    this.open.push(conn);
    this.totalConnections += 1;
    this.ws.touch();
    let pinger: NodeJS.Timeout | undefined;
    if (this.opts.serverPingIntervalMs) {
      pinger = setInterval(() => conn.ping(Buffer.from(`ping-${Date.now()}`)), this.opts.serverPingIntervalMs);
    }
    conn.on("message", (data, isBinary) => {
      if (isBinary) return;
      this.onMessage(data.toString());
    });
    conn.on("close", () => {
      clearInterval(pinger);
      const i = this.open.indexOf(conn);
      if (i >= 0) this.open.splice(i, 1);
      this.ws.touch();
    });
    conn.on("error", () => {
      // A reset from the client side is normal during reconnection tests; `close` follows.
    });
    conn.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.open.length,
        debug_info: { host: "applink-emulator-1", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    for (const w of this.waiters.splice(0)) {
      if (this.totalConnections >= w.minTotal) w.resolve();
      else this.waiters.push(w);
    }
    this.flush();
  }

  private onMessage(text: string): void {
    let msg: JsonObject;
    try {
      msg = JSON.parse(text) as JsonObject;
    } catch {
      this.ws.problem(`Socket Mode: the app sent a non-JSON message: ${text.slice(0, 200)}`);
      return;
    }
    this.received.push(msg);
    const id = typeof msg.envelope_id === "string" ? msg.envelope_id : undefined;
    const out = id ? this.pending.get(id) : undefined;
    if (!id || !out) {
      this.ws.problem(`Socket Mode: ack for an unknown or already acknowledged envelope ${String(id)}`);
      return;
    }
    this.pending.delete(id);
    const latency = performance.now() - (out.sentAt ?? performance.now());
    const payload = typeof msg.payload === "object" && msg.payload !== null ? (msg.payload as JsonObject) : {};
    this.ws.touch();
    out.onAck(payload, latency);
  }

  /** Sends an envelope now, or as soon as a connection is available. */
  deliver(envelope: Envelope, onAck: Outgoing["onAck"]): void {
    this.queue.push({ envelope, onAck });
    this.flush();
  }

  private flush(): void {
    // Slack spreads envelopes over connections; the newest is the one a reconnecting client just opened.
    const conn = [...this.open].reverse().find((c) => c.readyState === WebSocket.OPEN && !this.draining.has(c));
    if (!conn) return;
    for (const out of this.queue.splice(0)) {
      this.pending.set(out.envelope.envelope_id, out);
      out.sentAt = performance.now();
      conn.send(JSON.stringify(out.envelope));
    }
  }

  /** Asks every connected client to reconnect, like Slack does periodically (reason: refresh_requested / warning / link_disabled). */
  disconnectAll(reason = "refresh_requested"): void {
    for (const conn of this.open) {
      this.draining.add(conn);
      conn.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-emulator-1" } }));
    }
  }

  /** Drops every connection abruptly (network failure). */
  dropAll(): void {
    for (const conn of [...this.open]) conn.terminate();
  }

  /** Resolves once at least `minTotal` connections (hello sent) happened since the start. */
  waitForConnection(minTotal: number, timeoutMs: number): Promise<void> {
    if (this.totalConnections >= minTotal) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`Slack emulator: no Socket Mode connection #${minTotal} within ${timeoutMs} ms`));
      }, timeoutMs);
      const w = {
        minTotal,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(w);
    });
  }

  close(): void {
    for (const conn of [...this.open]) conn.terminate();
    this.open.length = 0;
    this.wss.close();
  }
}
