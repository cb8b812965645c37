// What several bot instances on one PostgreSQL database share besides the tables: named locks
// (only one instance holds the Discord gateway) and the news that a table was written (so each
// instance's read caches reload within a second, not after their TTL).
//
// Both ride on dedicated connections, outside Prisma's pool: LISTEN needs a connection that stays
// open, and an advisory lock belongs to the session that took it. The locks have a session of
// their own, because a standby waits for a lock inside the server (pg_advisory_lock), and a
// blocked session could neither hear notifications nor answer who holds what. When the process
// dies, even by kill -9, the server ends its sessions and hands a lock to its waiter at once.
import os from "node:os";

import type { StoreChanges } from "./changes.js";

/** The NOTIFY channel of written models. */
const CHANGES_CHANNEL = "promeneurs_changes";
/** First key of every advisory lock of the bot ("PROM"), so other applications' locks never collide. */
const LOCK_SPACE = 0x50524f4d;
/** Second key, one per named lock. */
const LOCK_KEYS = { "discord.gateway": 1 } as const;
type LockName = keyof typeof LOCK_KEYS;

/** application_name of a bot instance's connection (scripts use another prefix: they run no jobs). */
const BOT_PREFIX = "promeneurs-bot:";
const TOOL_PREFIX = "promeneurs-outil:";

/** This process's name among the instances: host and pid, unique on a machine and readable. */
function defaultInstanceName(): string {
  return `${os.hostname()}#${process.pid}`;
}

type PgClient = import("pg").Client;

interface CoordinationOptions {
  /** A running bot (listed among the instances) rather than a script. */
  bot: boolean;
  instanceName?: string;
  /** Told when the dedicated connection is lost: its locks are gone with it. */
  log?: (msg: string) => void;
}

export class Coordination {
  readonly instanceName: string;
  private client?: PgClient;
  /** The session holding (or waiting for) the named locks, opened at the first lock asked. */
  private lockSession?: { client: PgClient; backendPid: number };
  private readonly held = new Set<LockName>();
  private readonly lostListeners: Array<() => void> = [];
  private pendingModels = new Set<string>();
  private flushing?: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly url: string, private readonly changes: StoreChanges, private readonly options: CoordinationOptions) {
    this.instanceName = options.instanceName ?? defaultInstanceName();
  }

  static async open(url: string, changes: StoreChanges, options: CoordinationOptions): Promise<Coordination> {
    const coordination = new Coordination(url, changes, options);
    await coordination.connect();
    return coordination;
  }

  private async connect(): Promise<void> {
    const client = await this.newSession();
    client.on("notification", (message) => this.onNotification(message.payload));
    client.on("error", () => this.onLost(client));
    client.on("end", () => this.onLost(client));
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.client = client;
  }

  /** A connection named after this instance, that notices a silent peer on both sides. */
  private async newSession(): Promise<PgClient> {
    const { default: pg } = await import("pg");
    const prefix = this.options.bot ? BOT_PREFIX : TOOL_PREFIX;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `${prefix}${this.instanceName}`.slice(0, 63),
      // This side notices a server gone silent (then drops the gateway, see onLockSessionEnded)…
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5_000,
    });
    client.on("error", () => {}); // told through "end" (each session's own handler)
    await client.connect();
    // …and the server notices a holder whose machine vanished (no FIN, no RST: the OS default would
    // wait two hours) within about 25 s, ending its session and so freeing its locks for a standby.
    await client.query("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
    return client;
  }

  private onLost(client: PgClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.options.log?.("Connexion de coordination PostgreSQL perdue : nouvelle tentative dans 5 s.");
    const retry = (): void => {
      if (this.closed) return;
      this.connect().then(
        // Writes made elsewhere meanwhile were not heard: every cache reloads once.
        () => this.changes.bumpAll(),
        () => void setTimeout(retry, 5_000).unref(),
      );
    };
    setTimeout(retry, 5_000).unref();
  }

  /** A write of `model` by this process: the other instances hear of it within a few ms. */
  announce(model: string): void {
    this.pendingModels.add(model);
    // Batched per burst: a command writing ten rows sends one notification.
    this.flushing ??= setTimeout(() => void this.flush(), 20);
  }

  private async flush(): Promise<void> {
    this.flushing = undefined;
    const models = [...this.pendingModels];
    this.pendingModels.clear();
    if (models.length === 0 || !this.client) return;
    const payload = JSON.stringify({ from: this.instanceName, pid: process.pid, models });
    await this.client.query("SELECT pg_notify($1, $2)", [CHANGES_CHANNEL, payload]).catch(() => this.changes.bumpAll());
  }

  private onNotification(payload: string | undefined): void {
    try {
      const { from, pid, models } = JSON.parse(payload ?? "") as { from: string; pid: number; models: string[] };
      if (from === this.instanceName && pid === process.pid) return; // our own write, already counted
      for (const model of models) this.changes.bump(model);
    } catch {
      this.changes.bumpAll(); // not ours to parse: reload rather than serve stale data
    }
  }

  /** Takes the lock if no other session holds it; held until release() or the lock session ends. */
  async tryLock(name: LockName): Promise<boolean> {
    const session = await this.openLockSession();
    const { rows } = await session.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [LOCK_SPACE, LOCK_KEYS[name]]);
    if (rows[0]?.ok === true) this.held.add(name);
    return this.held.has(name);
  }

  /**
   * Waits, inside the server, until this process holds the lock: true then; false when the wait
   * was cut (close(), or the lock session lost: try again later). The server grants it the moment
   * its holder's session ends, so a standby takes over at once, not at its next try.
   */
  async waitForLock(name: LockName): Promise<boolean> {
    if (this.closed) return false;
    try {
      const session = await this.openLockSession();
      await session.client.query("SELECT pg_advisory_lock($1, $2)", [LOCK_SPACE, LOCK_KEYS[name]]);
      this.held.add(name);
      return !this.closed;
    } catch {
      return false;
    }
  }

  async release(name: LockName): Promise<void> {
    this.held.delete(name);
    await this.lockSession?.client.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_SPACE, LOCK_KEYS[name]]).catch(() => {});
  }

  /** Whether this process holds the lock now (false once its session ended, even before onLockLost's listeners ran). */
  holds(name: LockName): boolean {
    return this.held.has(name);
  }

  /** Called when the lock session ends while it held a lock: another instance may hold it already. */
  onLockLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  private async openLockSession(): Promise<{ client: PgClient; backendPid: number }> {
    if (this.lockSession) return this.lockSession;
    if (this.closed) throw new Error("coordination fermée");
    const client = await this.newSession();
    // A waiting session whose process died leaves the queue (PostgreSQL 14+) instead of being
    // handed the lock first and only then found dead; older servers just lack the setting.
    await client.query("SET client_connection_check_interval = '2s'").catch(() => {});
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const session = { client, backendPid: rows[0]!.pid };
    client.on("end", () => this.onLockSessionEnded(session));
    // Opened by two callers at once: keep one, end the other.
    if (this.lockSession) {
      await client.end().catch(() => {});
      return this.lockSession;
    }
    this.lockSession = session;
    return session;
  }

  private onLockSessionEnded(session: { client: PgClient }): void {
    if (this.lockSession !== session) return;
    this.lockSession = undefined;
    const hadLocks = this.held.size > 0;
    this.held.clear();
    if (this.closed || !hadLocks) return;
    this.options.log?.("Connexion PostgreSQL des verrous perdue : verrous rendus.");
    for (const listener of this.lostListeners) listener();
  }

  /** The instance holding the lock, or null. */
  async holderOf(name: LockName): Promise<string | null> {
    if (!this.client) return null;
    const { rows } = await this.client.query<{ app: string }>(
      "SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
        "WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
        "AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 2",
      [LOCK_SPACE, LOCK_KEYS[name]],
    );
    return rows[0] ? instanceOf(rows[0].app) : null;
  }

  /** The bot instances connected to this database right now (each runs its share of the jobs). */
  async botInstances(): Promise<string[]> {
    if (!this.client) return [];
    const { rows } = await this.client.query<{ app: string }>(
      // Each instance has two sessions (changes and locks), both under its name.
      "SELECT application_name AS app FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1) " +
        "GROUP BY application_name ORDER BY min(backend_start)",
      [BOT_PREFIX],
    );
    return rows.map((row) => instanceOf(row.app));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.flushing) {
      clearTimeout(this.flushing);
      await this.flush();
    }
    const client = this.client;
    this.client = undefined;
    await this.endLockSession(client);
    await client?.end().catch(() => {});
  }

  /**
   * Ends the lock session, its locks with it. A wait in progress is cancelled on the server first
   * (from the other connection): a blocked session would not read the goodbye before the lock.
   */
  private async endLockSession(other: PgClient | undefined): Promise<void> {
    const session = this.lockSession;
    this.lockSession = undefined;
    this.held.clear();
    if (!session) return;
    await other?.query("SELECT pg_cancel_backend($1)", [session.backendPid]).catch(() => {});
    await session.client.end().catch(() => {});
  }
}

function instanceOf(applicationName: string): string {
  for (const prefix of [BOT_PREFIX, TOOL_PREFIX]) if (applicationName.startsWith(prefix)) return applicationName.slice(prefix.length);
  return applicationName;
}
