// Opens the bot's database: applies pending migrations, then hands out a PrismaClient.
import { mkdirSync } from "node:fs";
import path from "node:path";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";

import { PrismaClient } from "./generated/client.js";
import { applyMigrations } from "./migrate.js";
import { StoreChanges, WRITE_OPERATIONS } from "./changes.js";
import { SQLITE_BUSY_TIMEOUT_MS, isPostgresUrl, sqliteFileFromUrl } from "./paths.js";

export interface Store {
  prisma: PrismaClient;
  /** Bumped on every write through `prisma`, so read caches know when to reload. */
  changes: StoreChanges;
  /** Disconnects Prisma, which closes the SQLite file (and checkpoints its WAL). */
  close(): Promise<void>;
}

/**
 * Opens the store named by `databaseUrl`.
 * - `file:` URLs (SQLite): the path is relative to the cwd, its folder is created if missing,
 *   pending migrations are applied, and the database runs in WAL mode with a busy timeout so
 *   readers (e.g. a backup or `sqlite3` shell) do not block the bot and short lock waits do not
 *   fail.
 * - `postgres://` / `postgresql://`: not supported yet.
 */
export async function openStore(databaseUrl: string, log?: (msg: string) => void): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) {
    throw new Error(
      "PostgreSQL n'est pas encore pris en charge : utilisez une base SQLite " +
        "(DATABASE_URL=file:./data/promeneurs.db) en attendant.",
    );
  }
  const dbFile = sqliteFileFromUrl(databaseUrl);
  mkdirSync(path.dirname(dbFile), { recursive: true });

  // WAL is a property of the database file (it persists), so it is set once here with a plain
  // connection, before the migration engine and Prisma open their own connections.
  enableWal(dbFile);
  await applyMigrations(databaseUrl, log);

  // `timeout` is better-sqlite3's busy timeout; it is per connection, hence set on Prisma's too.
  const adapter = new PrismaBetterSqlite3({ url: dbFile, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const base = new PrismaClient({ adapter });
  const changes = new StoreChanges();
  // Writes inside interactive transactions go through the extension too.
  const prisma = base.$extends({
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const result = await query(args);
          if (WRITE_OPERATIONS.has(operation)) changes.bump(model);
          return result;
        },
      },
    },
  }) as unknown as PrismaClient;
  try {
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

function enableWal(dbFile: string): void {
  const db = new Database(dbFile, { timeout: SQLITE_BUSY_TIMEOUT_MS });
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
