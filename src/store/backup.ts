// Online backups of the SQLite file with SQLite's backup API (better-sqlite3's backup()), which
// copies a consistent snapshot page by page while the bot keeps reading and writing.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { SQLITE_BUSY_TIMEOUT_MS } from "./busy.js";

export interface BackupFile {
  file: string;
  bytes: number;
  /** When it was taken (from its name). */
  at: Date;
}

/** Daily backups are named `<base>-<UTC stamp>.db`; other files in the folder are left alone. */
const STAMP = /^(?<base>.+)-(?<stamp>\d{8}T\d{6}Z)\.db$/;

function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function dateOfStamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp)!;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

function baseName(dbFile: string): string {
  return path.basename(dbFile).replace(/\.db$/i, "");
}

/** Raised when a copy fails its integrity check: it is deleted, never kept as a backup. */
export class BackupError extends Error {
  override name = "BackupError";
}

/**
 * Copies `dbFile` into `backupDir` as `<base>-<stamp>.db` (or `name` when given): written to a
 * temporary file, checked with `PRAGMA integrity_check`, made private (0600), flushed, then
 * renamed, so the folder never holds a half-written or corrupt backup under a backup's name.
 */
export async function backupDatabase(dbFile: string, backupDir: string, now: Date, name?: string): Promise<BackupFile> {
  mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const file = path.join(backupDir, name ?? `${baseName(dbFile)}-${stampOf(now)}.db`);
  const temporary = path.join(backupDir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const source = new Database(dbFile, { fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      // Copied in one step after the first: SQLite restarts a stepped backup whenever another
      // connection writes, so small steps would never finish while the bot keeps writing. A
      // step reads pages only (writers are not blocked in WAL mode) and takes milliseconds.
      await source.backup(temporary, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
    } finally {
      source.close();
    }
    chmodSync(temporary, 0o600);
    checkCopy(temporary);
    flush(temporary);
    renameSync(temporary, file);
    flush(backupDir);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { file, bytes: statSync(file).size, at: now };
}

/**
 * Checks a database file (a fresh copy, or a file given to restore) and leaves it self-contained:
 * rollback-journal mode, so it is one file that can be copied or moved as is.
 */
export function checkCopy(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    const result = db.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new BackupError(`Copie corrompue (${file}) : ${String(result)}`);
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}

function flush(target: string): void {
  const fd = openSync(target, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The daily backups of `dbFile` in `backupDir`, newest first. */
export function listBackups(dbFile: string, backupDir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(backupDir);
  } catch {
    return [];
  }
  const base = baseName(dbFile);
  return names
    .map((name) => ({ name, match: STAMP.exec(name) }))
    .filter(({ match }) => match?.groups?.base === base)
    .map(({ name, match }) => {
      const file = path.join(backupDir, name);
      return { file, bytes: statSync(file).size, at: dateOfStamp(match!.groups!.stamp!) };
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}
