import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Clock } from "../shared/clock.js";
import { DIGEST_KIND } from "../core/watch/schedule.js";
import type { PlatformAdapter } from "../platforms/adapter.js";
import type { PrismaClient } from "../store/index.js";

/** What an operator (or a `/sante` route) wants to know at a glance. JSON-ready: dates as ISO strings. */
export interface HealthSnapshot {
  ok: boolean;
  version: string;
  uptimeSeconds: number;
  database: { reachable: boolean; error?: string };
  platforms: Record<string, { connected: boolean }>;
  scheduler: { running: boolean; lagSeconds: number; oldestDueAt: string | null };
  lastDigestAt: string | null;
  /** Newest backup of this base (SQLite); null when there is none or on PostgreSQL (pg_dump is the operator's). */
  lastBackup: { file: string; at: string; ageHours: number } | null;
  /** Several instances on PostgreSQL: this one, the one holding Discord's gateway, those running jobs. */
  instances?: InstanceFacts;
}

export interface InstanceFacts {
  /** This instance (host#pid). */
  self: string;
  /** The instance serving Discord's commands, null when none does (no Discord, or a takeover under way). */
  discord: string | null;
  /** The bot instances connected to the database: each claims its share of the jobs. */
  jobs: string[];
}

interface HealthSources {
  prisma: PrismaClient;
  adapters: readonly PlatformAdapter[];
  clock: Clock;
  /** Clock time when the bot started. */
  startedAt: Date;
  runsScheduler: boolean;
  /** Newest backup file, if any. */
  newestBackup?: () => { file: string; at: Date } | undefined;
  instances?: () => Promise<InstanceFacts>;
}

/** Past this age the oldest due job means the scheduler is stuck (a tick runs every few seconds). */
const SCHEDULER_LAG_LIMIT_SECONDS = 300;

/** Never throws: a broken database is reported, not raised. */
export async function health(src: HealthSources): Promise<HealthSnapshot> {
  const now = src.clock.now();
  const platforms = Object.fromEntries(src.adapters.map((a) => [a.name, { connected: a.connected ? a.connected() : true }]));
  let database: HealthSnapshot["database"] = { reachable: true };
  let oldestDue: Date | null = null;
  let lastDigest: Date | null = null;
  try {
    const job = await src.prisma.job.findFirst({ where: { state: "pending", dueAt: { lte: now } }, orderBy: { dueAt: "asc" }, select: { dueAt: true } });
    oldestDue = job?.dueAt ?? null;
    const digest = await src.prisma.job.findFirst({ where: { kind: DIGEST_KIND, state: "done" }, orderBy: { finishedAt: "desc" }, select: { finishedAt: true } });
    lastDigest = digest?.finishedAt ?? null;
  } catch (err) {
    database = { reachable: false, error: lastLine(err) };
  }
  const lagSeconds = oldestDue ? Math.max(0, Math.round((now.getTime() - oldestDue.getTime()) / 1000)) : 0;
  const ok = database.reachable && Object.values(platforms).every((p) => p.connected) && lagSeconds < SCHEDULER_LAG_LIMIT_SECONDS;
  return {
    ok,
    version: packageVersion(),
    uptimeSeconds: Math.max(0, Math.round((now.getTime() - src.startedAt.getTime()) / 1000)),
    database,
    platforms,
    scheduler: { running: src.runsScheduler, lagSeconds, oldestDueAt: oldestDue?.toISOString() ?? null },
    lastDigestAt: lastDigest?.toISOString() ?? null,
    lastBackup: backupFacts(src, now),
    ...(src.instances && { instances: await src.instances().catch(() => undefined) }),
  };
}

function backupFacts(src: HealthSources, now: Date): HealthSnapshot["lastBackup"] {
  const newest = src.newestBackup?.();
  if (!newest) return null;
  return { file: newest.file, at: newest.at.toISOString(), ageHours: Math.round((now.getTime() - newest.at.getTime()) / 360_000) / 10 };
}

/** Prisma messages open with a blank line and a call site; the cause is on the last line. */
function lastLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n").map((l) => l.trim()).filter(Boolean).at(-1) ?? "erreur inconnue";
}

let cachedVersion: string | undefined;

/** The version in the project's package.json, found upward from this file (source or .build). */
function packageVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "promeneurs-bot" && pkg.version) return (cachedVersion = pkg.version);
    }
    dir = dirname(dir);
  }
  return (cachedVersion = "inconnue");
}
