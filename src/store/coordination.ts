// What several bot instances on one PostgreSQL database share besides the tables: named locks
// (only one instance holds the Discord gateway) and the news that a table was written (so each
// instance's read caches reload within a second, not after their TTL).
//
// Both ride on one dedicated connection per process, outside Prisma's pool: an advisory lock
// belongs to the session that took it, and LISTEN needs a connection that stays open. When the
// process dies, even by kill -9, the server ends that session and frees its locks at once.
import os from "node:os";

import type { StoreChanges } from "./changes.js";

/** The NOTIFY channel of written models. */
const CHANGES_CHANNEL = "promeneurs_changes";
/** First key of every advisory lock of the bot ("PROM"), so other applications' locks never collide. */
const LOCK_SPACE = 0x50524f4d;
/** Second key, one per named lock. */
const LOCK_KEYS = { "discord.gateway": 1 } as const;
export type LockName = keyof typeof LOCK_KEYS;

/** application_name of a bot instance's connection (scripts use another prefix: they run no jobs). */
const BOT_PREFIX = "promeneurs-bot:";
const TOOL_PREFIX = "promeneurs-outil:";

/** This process's name among the instances: host and pid, unique on a machine and readable. */
export function defaultInstanceName(): string {
  return `${os.hostname()}#${process.pid}`;
}

type PgClient = import("pg").Client;

export interface CoordinationOptions {
  /** A running bot (listed among the instances) rather than a script. */
  bot: boolean;
  instanceName?: string;
  /** Told when the dedicated connection is lost: its locks are gone with it. */
  log?: (msg: string) => void;
}

export class Coordination {
  readonly instanceName: string;
  private client?: PgClient;
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
    const { default: pg } = await import("pg");
    const prefix = this.options.bot ? BOT_PREFIX : TOOL_PREFIX;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `${prefix}${this.instanceName}`.slice(0, 63),
      // This side notices a server gone silent (then drops the gateway, see onLost)…
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5_000,
    });
    client.on("notification", (message) => this.onNotification(message.payload));
    client.on("error", () => this.onLost(client));
    client.on("end", () => this.onLost(client));
    await client.connect();
    // …and the server notices a holder whose machine vanished (no FIN, no RST: the OS default would
    // wait two hours) within about 25 s, ending its session and so freeing its locks for a standby.
    await client.query("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.client = client;
  }

  private onLost(client: PgClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.options.log?.("Connexion de coordination PostgreSQL perdue : verrous rendus, nouvelle tentative dans 5 s.");
    for (const listener of this.lostListeners) listener();
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

  /** Called when the connection (and so every lock taken on it) is lost. */
  onLockLost(listener: () => void): void {
    this.lostListeners.push(listener);
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

  /** Takes the lock if no other session holds it; held until release() or the connection ends. */
  async tryLock(name: LockName): Promise<boolean> {
    if (!this.client) return false;
    const { rows } = await this.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [LOCK_SPACE, LOCK_KEYS[name]]);
    return rows[0]?.ok === true;
  }

  async release(name: LockName): Promise<void> {
    await this.client?.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_SPACE, LOCK_KEYS[name]]).catch(() => {});
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
      "SELECT application_name AS app FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1) ORDER BY backend_start",
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
    await client?.end().catch(() => {});
  }
}

function instanceOf(applicationName: string): string {
  for (const prefix of [BOT_PREFIX, TOOL_PREFIX]) if (applicationName.startsWith(prefix)) return applicationName.slice(prefix.length);
  return applicationName;
}
