// Who holds a lease, and whether that process is gone.
//
// A killed bot leaves its jobs `running` with a lease of a couple of minutes. Waiting that lease out
// after a restart delays every reminder it held by as much, so at start-up the scheduler takes back
// at once the leases of holders it can prove dead, and only those:
// - on SQLite, the bot holds the database's OS-level lock (src/store/lock.ts), which the kernel
//   drops with its holder: while we hold it no other bot runs jobs on this file, so every lease
//   not ours belongs to a dead process;
// - elsewhere (PostgreSQL, several instances), a lease names its holder's host, boot and pid: on
//   this host and this boot, a pid that no longer exists is a dead holder; a different boot of this
//   host means the machine restarted since. Any other holder (another host, an unreadable id) is
//   presumed alive and keeps its lease until it expires.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";

/** The machine's boot id (Linux), shortened; "" where the system does not expose one. */
export function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim().replace(/-/g, "").slice(0, 8);
  } catch {
    return "";
  }
}

/** host:pid:boot:random, the default worker id (also the prefix of every claim token). */
export function localWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${bootId() || "0"}:${randomBytes(3).toString("hex")}`;
}

const HOLDER = /^([^:#]+):(\d+):([0-9a-f]{8}):[0-9a-f]+(?:#|$)/;

/** Whether the process that wrote this lock (`Job.lockedBy`) is provably gone. */
export function holderIsGone(lockedBy: string, here = { host: os.hostname(), boot: bootId(), pid: process.pid }): boolean {
  const match = HOLDER.exec(lockedBy);
  if (!match || here.boot === "") return false;
  const [, host, pidText, boot] = match;
  if (host !== here.host) return false;
  if (boot !== here.boot) return true;
  const pid = Number(pidText);
  if (pid === here.pid) return false;
  return !processExists(pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
