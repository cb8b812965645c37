// Opens the bot's database: applies pending migrations, then hands out a PrismaClient.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";

import { PrismaClient } from "./generated/client.js";
import { applyMigrations } from "./migrate.js";
import { StoreChanges, WRITE_OPERATIONS } from "./changes.js";
import { STARTUP_BUSY_TIMEOUT_MS, isPostgresUrl, sqliteFileFromUrl } from "./paths.js";
import { backupDatabase } from "./backup.js";
import { postgresAdapterFactory } from "./postgres.js";
import { writeFirstTransactions } from "./write-first.js";
import { Coordination } from "./coordination.js";
import { SQLITE_BUSY_TIMEOUT_MS, insideTransaction, retryWhileBusy, retryingTransaction } from "./busy.js";

export interface Store {
  prisma: PrismaClient;
  /** PostgreSQL only: locks and change announcements shared with the other instances. */
  coordination?: Coordination;
  /** Bumped on every write through `prisma`, so read caches know when to reload. */
  changes: StoreChanges;
  /** Disconnects Prisma, which closes the SQLite file (and checkpoints its WAL). */
  close(): Promise<void>;
}

/**
 * Opens the store named by `databaseUrl`.
 * - `file:` URLs (SQLite): the path is relative to the cwd, its folder is created if missing,
 *   pending migrations are applied, and the database runs in WAL mode so readers (e.g. a backup
 *   or `sqlite3` shell) do not block the bot; a write that finds the file locked by another
 *   process is retried asynchronously (busy.ts) instead of freezing the event loop.
 * - `postgres://` / `postgresql://`: the database must exist; pending migrations (of
 *   prisma/postgresql/migrations) are applied, and the client generated for PostgreSQL is used
 *   through @prisma/adapter-pg. Its models are the same (one schema source), so it is typed as
 *   the SQLite client the rest of the bot knows.
 */
interface OpenStoreOptions {
  /** Where to back the database up before applying migrations to it (the bot's BACKUP_DIR). SQLite only: a PostgreSQL database is backed up with pg_dump (README). */
  backupDir?: string;
  /** Pause between write transactions so the running bot gets the file in between (write-first.ts): for a CLI beside the bot. */
  courteous?: boolean;
  /**
   * false: no migration check (the wasm schema engine costs ~0.3 s and its memory). Only for a
   * short-lived process beside the running bot, which migrated the database when it started.
   */
  migrate?: boolean;
  /** PostgreSQL: this process is a running bot (listed among the instances), under this name. */
  instance?: { bot: boolean; name?: string };
}

export async function openStore(databaseUrl: string, log?: (msg: string) => void, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl, log, options.migrate !== false, options.instance ?? { bot: false });
  const dbFile = sqliteFileFromUrl(databaseUrl);
  createPrivately(dbFile);

  // WAL is a property of the database file (it persists), so it is set once here with a plain
  // connection, before the migration engine and Prisma open their own connections.
  enableWal(dbFile);
  const { backupDir } = options;
  if (options.migrate !== false) await applyMigrations(databaseUrl, log, {
    beforeMigrating: backupDir
      ? async (file) => {
          const backup = await backupDatabase(file, backupDir, new Date(), `${path.basename(file).replace(/\.db$/i, "")}-avant-migration-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.db`);
          log?.(`Sauvegarde avant migration : ${backup.file} (${backup.bytes} octets)`);
        }
      : undefined,
  });

  // `timeout` is better-sqlite3's busy timeout: a synchronous wait, so a few ms only.
  const adapter = writeFirstTransactions(new PrismaBetterSqlite3({ url: dbFile, timeout: SQLITE_BUSY_TIMEOUT_MS }), { courteous: options.courteous });
  const base = new PrismaClient({ adapter });
  const changes = new StoreChanges();
  const prisma = withBusyRetry(
    // Writes inside interactive transactions go through the extension too.
    base.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          // A statement of a transaction is retried with its whole transaction, not alone.
          const result = insideTransaction() ? await query(args) : await retryWhileBusy(() => query(args));
          if (model && WRITE_OPERATIONS.has(operation)) changes.bump(model);
          return result;
        },
      },
    }) as unknown as PrismaClient,
  );
  try {
    // Deleted rows are overwritten with zeros (an erased person's data must leave the file too).
    // A per-connection setting, hence set on the connection the bot writes through.
    await prisma.$queryRawUnsafe("PRAGMA secure_delete = ON");
    // Checked through Prisma's own connection: that is the one the bot will use.
    const [row] = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    if (row?.journal_mode.toLowerCase() !== "wal") {
      throw new Error(`Le mode WAL n'a pas pu être activé sur ${dbFile} (journal_mode = ${row?.journal_mode}).`);
    }
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  return {
    prisma,
    changes,
    close: () => prisma.$disconnect(),
  };
}

async function openPostgresStore(databaseUrl: string, log: ((msg: string) => void) | undefined, migrate: boolean, instance: { bot: boolean; name?: string }): Promise<Store> {
  if (migrate) await applyMigrations(databaseUrl, log);
  const { PrismaClient: PostgresPrismaClient } = await import("./generated-pg/client.js");
  const base = new PostgresPrismaClient({ adapter: await postgresAdapterFactory(databaseUrl) });
  const changes = new StoreChanges();
  let coordination: Coordination | undefined;
  const prisma = base.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const result = await query(args);
        if (model && WRITE_OPERATIONS.has(operation)) {
          changes.bump(model);
          coordination?.announce(model);
        }
        return result;
      },
    },
  }) as unknown as PrismaClient;
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
    coordination = await Coordination.open(databaseUrl, changes, { bot: instance.bot, instanceName: instance.name, log });
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  const close = async () => {
    await coordination?.close();
    await prisma.$disconnect();
  };
  return { prisma, changes, coordination, close };
}

/**
 * The database holds personal data: its folder (when the bot creates it) is 0700 and the file
 * 0600, readable by the bot's user only. SQLite gives its -wal and -shm files the file's mode.
 */
function createPrivately(dbFile: string): void {
  const dir = path.dirname(dbFile);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // mkdir's mode is narrowed by the umask, never widened: set it exactly
  }
  if (!existsSync(dbFile)) closeSync(openSync(dbFile, "a", 0o600));
  chmodSync(dbFile, 0o600);
}

function enableWal(dbFile: string): void {
  const db = new Database(dbFile, { timeout: STARTUP_BUSY_TIMEOUT_MS });
  try {
    const mode = String(db.pragma("journal_mode = WAL", { simple: true })).toLowerCase();
    // SQLite silently keeps another mode when WAL is impossible (e.g. some network filesystems).
    if (mode !== "wal") {
      throw new Error(`Le mode WAL n'a pas pu être activé sur ${dbFile} (journal_mode = ${mode}).`);
    }
  } finally {
    db.close();
  }
}

/** The client with `$transaction` retried from its start while the file is locked (busy.ts). */
function withBusyRetry(client: PrismaClient): PrismaClient {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "$transaction") return (...args: unknown[]) => retryingTransaction(() => transaction(...args));
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
