// One bot per SQLite file: an OS-level lock that the kernel drops with the process.
//
// The lock is an exclusive SQLite transaction held open on a small side file
// (`<base>.verrou`). SQLite takes it with fcntl() byte-range locks, which the kernel releases when
// the process ends, kill -9 included, so a crash never leaves a stale lock behind; inside one
// process SQLite tracks the locks itself, so a second holder is refused there too. The holder's
// pid is written beside it (`<base>.verrou.pid`) only to name it in the refusal: the lock decides,
// the pid file only informs.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { isPostgresUrl, sqliteFileFromUrl } from "./paths.js";

export interface DatabaseLock {
  readonly lockFile: string;
  /** Releases the lock (idempotent). Also released by the kernel if the process dies. */
  release(): void;
}

/** Raised when another process holds the database's lock. Exit code 3 at start-up. */
export class DatabaseInUse extends Error {
  override name = "DatabaseInUse";
  readonly exitCode = 3;
  constructor(
    readonly dbFile: string,
    readonly pid: number | null,
  ) {
    super(`Un autre bot utilise déjà cette base (pid ${pid ?? "inconnu"}) : ${dbFile}.`);
  }
}

function lockFileOf(dbFile: string): string {
  return `${dbFile}.verrou`;
}

function pidFileOf(dbFile: string): string {
  return `${lockFileOf(dbFile)}.pid`;
}

/** The pid recorded by the last holder, or null when unknown. */
function recordedHolder(dbFile: string): number | null {
  const file = pidFileOf(dbFile);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Takes the lock of `dbFile` without waiting, or throws {@link DatabaseInUse} naming the holder.
 * The database file itself is not touched: CLIs keep reading and writing it meanwhile.
 */
export function lockDatabase(dbFile: string): DatabaseLock {
  const lockFile = lockFileOf(dbFile);
  mkdirSync(path.dirname(lockFile), { recursive: true });
  // timeout 0: never wait, the answer must be immediate.
  const connection = new Database(lockFile, { timeout: 0 });
  try {
    connection.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    connection.close();
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new DatabaseInUse(dbFile, recordedHolder(dbFile));
    throw error;
  }
  restrictToOwner(lockFile);
  writeFileSync(pidFileOf(dbFile), `${process.pid}\n`, { mode: 0o600 });
  let held = true;
  return {
    lockFile,
    release() {
      if (!held) return;
      held = false;
      // Closing the connection ends the transaction and drops the OS locks.
      connection.close();
    },
  };
}

/** Whether a process holds the lock right now (checked by taking and dropping it). */
export function databaseInUse(dbFile: string): DatabaseInUse | null {
  try {
    lockDatabase(dbFile).release();
    return null;
  } catch (error) {
    if (error instanceof DatabaseInUse) return error;
    throw error;
  }
}

/** For a CLI about to write: true when a bot runs on this database (PostgreSQL: no file lock, false). */
export function botRunsOn(databaseUrl: string): boolean {
  return !isPostgresUrl(databaseUrl) && databaseInUse(sqliteFileFromUrl(databaseUrl)) !== null;
}

function restrictToOwner(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch {
    // A file owned by another user cannot be re-moded; the lock still works.
  }
}
