// Puts a backup back in place of the bot's database, with the bot stopped (its lock is held for
// the whole operation, so no bot can start half-way), keeping the current database aside.
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { BackupError, checkCopy } from "./backup.js";
import { lockDatabase } from "./lock.js";

interface RestoreResult {
  restored: string;
  /** Where the database that was in place now is (null when there was none). */
  keptAside: string | null;
}

function stamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/:/g, "-");
}

/**
 * Restores `backupFile` as `dbFile`. Refuses (DatabaseInUse) while a bot holds the database, and
 * (BackupError) a file that is not a sound promeneurs-bot database; in both cases nothing changes.
 */
export function restoreDatabase(dbFile: string, backupFile: string, now: Date): RestoreResult {
  if (!existsSync(backupFile)) throw new BackupError(`Fichier introuvable : ${backupFile}`);
  const lock = lockDatabase(dbFile);
  const incoming = path.join(path.dirname(dbFile), `.${path.basename(dbFile)}.restauration.tmp`);
  try {
    // Checked on a copy: the operator's file is never modified.
    copyFileSync(backupFile, incoming);
    try {
      checkCopy(incoming);
      checkIsBotDatabase(incoming);
    } catch (error) {
      throw new BackupError(`${backupFile} n'est pas une sauvegarde utilisable : ${describe(error)}`);
    }
    chmodSync(incoming, 0o600);
    const keptAside = existsSync(dbFile) ? setAside(dbFile, now) : null;
    renameSync(incoming, dbFile);
    return { restored: dbFile, keptAside };
  } finally {
    rmSync(incoming, { force: true });
    lock.release();
  }
}

function checkIsBotDatabase(file: string): void {
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (table === undefined) throw new Error("ce n'est pas une base du bot (table _prisma_migrations absente)");
  } finally {
    db.close();
  }
}

/** Folds the WAL into the file, then renames it `<base>-avant-restauration-<date>.db`. */
function setAside(dbFile: string, now: Date): string {
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
  const aside = path.join(path.dirname(dbFile), `${path.basename(dbFile).replace(/\.db$/i, "")}-avant-restauration-${stamp(now)}.db`);
  renameSync(dbFile, aside);
  for (const suffix of ["-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
  return aside;
}

function describe(error: unknown): string {
  if (error instanceof Error && /file is not a database|malformed/i.test(error.message)) return "fichier illisible ou corrompu";
  return error instanceof Error ? error.message : String(error);
}
