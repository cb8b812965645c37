// Who holds a lease, and whether that process is gone.
//
// A killed bot leaves its jobs `running` with a lease of a couple of minutes. Waiting that lease out
// delays every reminder it held by as much, and worse, a DM it was sending when it died would then
// be resent after Discord stopped honouring its nonce (« a few minutes »): a second copy. So the
// scheduler takes back at once the leases of holders it can prove dead, and only those:
// - on SQLite, the bot holds the database's OS-level lock (src/store/lock.ts), which the kernel
//   drops with its holder: while we hold it no other bot runs jobs on this file, so at start-up
//   every lease not ours belongs to a dead process;
// - elsewhere (PostgreSQL, several instances), at every tick: a lease names its holder's host, boot
//   and pid: on this host and this boot, a pid that no longer exists is a dead holder; a different
//   boot of this host means the machine restarted since. A holder on another host is dead when
//   none of its database sessions (Coordination names them `host#pid`) has been there for a while
//   (longer than a reconnection), as long as this instance sees its own sessions (otherwise it
//   is this instance that is cut off). Any other holder (an unreadable id) keeps its lease until
//   it expires. A holder cut off from the database cannot do harm meanwhile: every send is
//   recorded in the database before it goes out (deliveries.ts).
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

/** The instance name of a lease's holder (`host#pid`, as Coordination names its sessions), if this bot wrote the lease. */
function holderInstance(lockedBy: string): string | undefined {
  const match = HOLDER.exec(lockedBy);
  return match ? `${match[1]}#${match[2]}` : undefined;
}

/** How long an instance of another host may be missing from the database before its leases are taken. */
const DEFAULT_GONE_AFTER_MS = 15_000;

/** Judges the holders of running jobs, tick after tick, while other instances share the jobs. */
export class GoneHolders {
  /** Instances seen missing, and since when (real time): forgotten when they come back. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    /** The bot instances connected to the database now (Coordination.botInstances); none on SQLite. */
    private readonly liveInstances: (() => Promise<string[]>) | undefined,
    private readonly goneAfterMs = DEFAULT_GONE_AFTER_MS,
    private readonly self = `${os.hostname()}#${process.pid}`,
  ) {}

  /** The check for one look at the running jobs: the database's sessions are read once, when first needed. */
  check(): (lockedBy: string) => Promise<boolean> {
    let live: Promise<Set<string> | undefined> | undefined;
    return async (lockedBy) => {
      if (holderIsGone(lockedBy)) return true;
      const name = holderInstance(lockedBy);
      if (name === undefined || !this.liveInstances) return false;
      live ??= this.liveInstances().then(
        (names) => new Set(names),
        () => undefined,
      );
      const sessions = await live;
      if (!sessions?.has(this.self)) return false;
      if (sessions.has(name)) {
        this.missingSince.delete(name);
        return false;
      }
      const since = this.missingSince.get(name) ?? performance.now();
      this.missingSince.set(name, since);
      return performance.now() - since >= this.goneAfterMs;
    };
  }
}
