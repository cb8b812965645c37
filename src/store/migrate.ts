// Applies the migrations committed under prisma/migrations to a SQLite database at start-up.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { MIGRATIONS_DIR, STARTUP_BUSY_TIMEOUT_MS, isPostgresUrl, sqliteFileFromUrl } from "./paths.js";
import { readPostgresMigrationRecords } from "./postgres.js";
import { PROVIDER_FILES } from "./providers.js";
// Cheap to import: the wasm engine and the driver adapter are only loaded by withSchemaEngine.
import {
  NO_FILTER,
  listMigrationNames,
  readMigrationsList,
  withPostgresSchemaEngine,
  withSchemaEngine,
} from "./schema-engine.js";

interface ApplyMigrationsOptions {
  /** Migrations folder; defaults to the repo's prisma/migrations. Tests point it elsewhere. */
  migrationsDir?: string;
  /** Called before migrating a database that already holds data (the bot backs it up there). */
  beforeMigrating?: (dbFile: string) => Promise<void>;
}

/** Raised when a migration cannot be applied; `migrationName` is null if none could be blamed. */
export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(
    message: string,
    readonly migrationName: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Applies the pending migrations to the SQLite database named by `databaseUrl` (the file and
 * its folder are created if missing) and returns the names applied, in order. An up-to-date database returns `[]`
 * without loading the migration engine.
 *
 * Throws a {@link MigrationError} naming the migration that failed; Prisma then records it as
 * failed in `_prisma_migrations`, and later starts refuse to go on until it is resolved.
 */
export async function applyMigrations(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  if (isPostgresUrl(databaseUrl)) return applyPostgresMigrations(databaseUrl, log, options);
  const dbFile = sqliteFileFromUrl(databaseUrl);
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;

  // Fast path. Reading Prisma's bookkeeping table directly takes a millisecond, while starting
  // the wasm engine takes ~100 ms; most starts have nothing to apply.
  const onDisk = listMigrationNames(migrationsDir);
  // An install without its migrations would otherwise start on an empty schema and fail later.
  if (onDisk.length === 0) throw new MigrationError(`Aucune migration trouvée dans ${migrationsDir} : installation incomplète.`, null);
  const done = readMigrationRecords(dbFile).finished;
  const pending = onDisk.filter((name) => !done.has(name));
  if (pending.length === 0) return [];

  log(`Migrations en attente (${pending.length}) : ${pending.join(", ")}`);
  // A new, empty database has nothing worth keeping.
  if (done.size > 0) await options.beforeMigrating?.(dbFile);
  const migrationsList = await readMigrationsList(migrationsDir);
  mkdirSync(path.dirname(dbFile), { recursive: true });
  let applied: string[];
  try {
    const output = await withSchemaEngine(dbFile, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
    );
    applied = output.appliedMigrationNames;
  } catch (error) {
    // The engine's message does not always name the migration (a failing statement comes back
    // as the bare driver error); Prisma's table says for sure which one is left unfinished.
    const failed = readMigrationRecords(dbFile).unfinished[0] ?? null;
    const reason = error instanceof Error ? error.message : String(error);
    const what = failed ? `Échec de la migration « ${failed} »` : `Échec des migrations (${pending.join(", ")})`;
    throw new MigrationError(`${what} sur ${dbFile} :\n${reason}`, failed, { cause: error });
  }
  for (const name of applied) log(`Migration appliquée : ${name}`);
  return applied;
}

/**
 * The PostgreSQL counterpart of {@link applyMigrations}: the migrations of
 * prisma/postgresql/migrations (generated from the same schema), applied by the same wasm
 * engine through @prisma/adapter-pg. The database itself must exist.
 */
async function applyPostgresMigrations(
  databaseUrl: string,
  log: (msg: string) => void,
  options: ApplyMigrationsOptions,
): Promise<string[]> {
  const migrationsDir = options.migrationsDir ?? PROVIDER_FILES.postgresql.migrationsDir;
  const where = redactedUrl(databaseUrl);
  const onDisk = listMigrationNames(migrationsDir);
  if (onDisk.length === 0) throw new MigrationError(`Aucune migration trouvée dans ${migrationsDir} : installation incomplète.`, null);
  const done = (await readPostgresMigrationRecords(databaseUrl)).finished;
  const pending = onDisk.filter((name) => !done.has(name));
  if (pending.length === 0) return [];

  log(`Migrations en attente (${pending.length}) : ${pending.join(", ")}`);
  const migrationsList = await readMigrationsList(migrationsDir);
  try {
    const output = await withPostgresSchemaEngine(databaseUrl, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
    );
    for (const name of output.appliedMigrationNames) log(`Migration appliquée : ${name}`);
    return output.appliedMigrationNames;
  } catch (error) {
    const failed = (await readPostgresMigrationRecords(databaseUrl).catch(() => null))?.unfinished[0] ?? null;
    const reason = error instanceof Error ? error.message : String(error);
    const what = failed ? `Échec de la migration « ${failed} »` : `Échec des migrations (${pending.join(", ")})`;
    throw new MigrationError(`${what} sur ${where} :\n${reason}`, failed, { cause: error });
  }
}

/** The URL without its password, for messages. */
function redactedUrl(databaseUrl: string): string {
  const parsed = new URL(databaseUrl);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

interface MigrationRecords {
  /** Applied successfully and not rolled back. */
  finished: Set<string>;
  /** Started but neither finished nor rolled back, i.e. failed (oldest first). */
  unfinished: string[];
}

function readMigrationRecords(dbFile: string): MigrationRecords {
  const records: MigrationRecords = { finished: new Set(), unfinished: [] };
  // Not opened read-only: a read-only connection cannot create the -shm file a WAL database
  // needs after a clean shutdown removed it.
  if (!existsSync(dbFile)) return records;
  const db = new Database(dbFile, { fileMustExist: true, timeout: STARTUP_BUSY_TIMEOUT_MS });
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (table === undefined) return records;
    const rows = db
      .prepare(
        "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
      )
      .all() as { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[];
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at !== null) records.finished.add(row.migration_name);
      else records.unfinished.push(row.migration_name);
    }
    // A failed attempt that was later retried successfully is not a failure any more.
    records.unfinished = records.unfinished.filter((name) => !records.finished.has(name));
    return records;
  } finally {
    db.close();
  }
}

/** Migrations on disk not yet applied to this PostgreSQL database (read-only check for the diagnostic). */
export async function pendingPostgresMigrations(databaseUrl: string, migrationsDir = PROVIDER_FILES.postgresql.migrationsDir): Promise<string[]> {
  const done = (await readPostgresMigrationRecords(databaseUrl)).finished;
  return listMigrationNames(migrationsDir).filter((name) => !done.has(name));
}

/** Migrations on disk not yet applied to this SQLite file (read-only check for the diagnostic). */
export function pendingMigrations(dbFile: string, migrationsDir = MIGRATIONS_DIR): string[] {
  const done = readMigrationRecords(dbFile).finished;
  return listMigrationNames(migrationsDir).filter((name) => !done.has(name));
}
