// The Job table: schedule, cancel, claim, complete, fail (the shapes are in job-records.ts, the
// upsert by dedupe key in job-scheduling.ts).
//
// Every state change is a conditional UPDATE (`WHERE id IN … AND state = … [AND lockedBy = …]`)
// whose row count says whether it happened. That is the whole concurrency story, and it holds on
// SQLite (one writer at a time) as on PostgreSQL (READ COMMITTED re-checks the WHERE of a row
// another transaction just changed), so several bot instances can share one database without
// any provider-specific locking.
import { randomBytes } from "node:crypto";

import type { Clock } from "../shared/clock.js";
import type { PrismaClient } from "../store/index.js";
import { PermanentError, describeError } from "./errors.js";
import {
  JOB_STATES,
  backoffMs,
  type CancelWhere,
  type ClaimOptions,
  type ClaimedJob,
  type Db,
  type FailOutcome,
  type JobLock,
  type JobRecord,
  type JobState,
  type ListOptions,
  type ScheduleInput,
  type ScheduleResult,
} from "./job-records.js";
import type { PayloadOf } from "./job-kinds.js";
import { checkDate, parsePayload, scheduleOrUpdate } from "./job-scheduling.js";

/** Well under SQLite's 32,766 bound variables and PostgreSQL's 65,535. */
const IN_CHUNK = 500;

export class JobStore {
  // Claim tokens must never repeat, even across restarts with a fixed worker id: the token is
  // what fences a process whose lease was taken over. A random nonce per store makes it so.
  private readonly nonce = randomBytes(4).toString("hex");
  private claims = 0;
  private readonly scheduledListeners: ((dueAt: Date) => void)[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds a job, or, when `dedupeKey` names an existing one, updates it if still pending, makes
   * it pending again if it was cancelled, and leaves it alone otherwise (a job that ran, or is
   * running, is never run again for the same key).
   * Inside a caller's transaction (`tx`), a concurrent schedule of the same key by another
   * process fails that transaction (PostgreSQL aborts a transaction on any error), so the caller
   * retries it; outside one, the race is resolved here.
   */
  async schedule<K extends string>(input: ScheduleInput<K>, tx?: Db): Promise<ScheduleResult> {
    const result = await scheduleOrUpdate(tx ?? this.prisma, input, this.clock.now(), tx !== undefined);
    if (result.outcome !== "unchanged") this.announce(result.job.dueAt);
    return result;
  }

  /** `listener` hears the dueAt of every job scheduled or moved by this store (the dispatcher's wake timer). */
  onScheduled(listener: (dueAt: Date) => void): void {
    this.scheduledListeners.push(listener);
  }

  private announce(dueAt: Date): void {
    for (const listener of this.scheduledListeners) listener(dueAt);
  }

  /**
   * Cancels pending jobs: the one with that dedupe key, or those of a kind whose payload matches
   * (`reason`, when given, is kept as the job's lastError).
   * A running job is not interrupted (its handler may be mid-send); returns how many were cancelled.
   */
  async cancel<K extends string>(target: string | CancelWhere<K>, tx?: Db, reason?: string): Promise<number> {
    const db = tx ?? this.prisma;
    const now = this.clock.now();
    // The reason stays on the job (lastError), e.g. to tell a replaced occurrence from one cancelled by hand.
    const data = { state: "cancelled", finishedAt: now, updatedAt: now, leaseUntil: null, ...(reason !== undefined && { lastError: reason }) };
    if (typeof target === "string") {
      return (await db.job.updateMany({ where: { dedupeKey: target, state: "pending" }, data })).count;
    }
    const candidates = await db.job.findMany({ where: { kind: target.kind, state: "pending" } });
    const ids = candidates
      .filter((job) => {
        if (!target.where) return true;
        const payload = parsePayload(job.payload);
        return payload.ok && target.where(payload.value as PayloadOf<K>, job);
      })
      .map((job) => job.id);
    let cancelled = 0;
    for (const chunk of chunks(ids)) {
      cancelled += (await db.job.updateMany({ where: { id: { in: chunk }, state: "pending" }, data })).count;
    }
    return cancelled;
  }

  /** Moves the pending job of that key to a new time; false if there is none pending. */
  async reschedule(dedupeKey: string, dueAt: Date, tx?: Db): Promise<boolean> {
    checkDate(dueAt);
    const db = tx ?? this.prisma;
    const { count } = await db.job.updateMany({
      where: { dedupeKey, state: "pending" },
      data: { dueAt, updatedAt: this.clock.now() },
    });
    if (count === 1) this.announce(dueAt);
    return count === 1;
  }

  /**
   * Claims up to `limit` jobs that are due (pending with dueAt <= now) or abandoned (running
   * with an expired lease: their process died), oldest first. Candidates are read, then moved to
   * running by one conditional UPDATE … RETURNING; a candidate another process claimed in
   * between fails the condition and is simply not returned. So only rows whose update succeeded
   * come back, each with a fresh claim token in `lockedBy` and its attempts incremented.
   */
  async claimDue(now: Date, options: ClaimOptions): Promise<ClaimedJob[]> {
    const { limit, kinds } = options;
    if (limit <= 0 || kinds?.length === 0) return [];
    const claimed: ClaimedJob[] = [];
    // Another process may win some candidates between our read and our update; read again
    // (a few times at most) so losing a race does not look like "nothing is due".
    for (let round = 0; round < 5 && claimed.length < limit; round++) {
      const { candidates, won } = await this.claimRound(now, { ...options, limit: limit - claimed.length });
      claimed.push(...won);
      if (candidates === 0 || won.length === candidates) break;
    }
    return claimed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  }

  private async claimRound(now: Date, options: ClaimOptions): Promise<{ candidates: number; won: ClaimedJob[] }> {
    const { limit, leaseMs, workerId, kinds } = options;
    const kindFilter = kinds ? { kind: { in: [...kinds] } } : {};
    // Abandoned jobs first: they were due before anything merely pending now.
    const abandoned = await this.prisma.job.findMany({
      where: { state: "running", leaseUntil: { lt: now }, ...kindFilter },
      select: { id: true },
      orderBy: [{ leaseUntil: "asc" }, { id: "asc" }],
      take: limit,
    });
    // Served by the (state, dueAt) index: pending jobs not yet due are never read.
    const due =
      abandoned.length < limit
        ? await this.prisma.job.findMany({
            where: { state: "pending", dueAt: { lte: now }, ...kindFilter },
            select: { id: true },
            orderBy: [{ dueAt: "asc" }, { id: "asc" }],
            take: limit - abandoned.length,
          })
        : [];
    const ids = [...abandoned, ...due].map((row) => row.id);
    if (ids.length === 0) return { candidates: 0, won: [] };
    const token = `${workerId}#${this.nonce}-${++this.claims}`;
    const won = await this.prisma.job.updateManyAndReturn({
      where: {
        id: { in: ids },
        OR: [
          { state: "pending", dueAt: { lte: now } },
          { state: "running", leaseUntil: { lt: now } },
        ],
      },
      data: {
        state: "running",
        lockedBy: token,
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: { increment: 1 },
        updatedAt: now,
      },
    });
    return { candidates: ids.length, won: won as ClaimedJob[] };
  }

  /** Pushes back the lease of jobs still held by these claims (a long handler keeps its job). */
  async extendLease(jobs: readonly JobLock[], leaseUntil: Date): Promise<number> {
    const tokens = [...new Set(jobs.map((j) => j.lockedBy).filter((t): t is string => t !== null))];
    if (tokens.length === 0) return 0;
    let extended = 0;
    for (const chunk of chunks(jobs.map((j) => j.id))) {
      extended += (
        await this.prisma.job.updateMany({
          where: { id: { in: chunk }, state: "running", lockedBy: { in: tokens } },
          data: { leaseUntil },
        })
      ).count;
    }
    return extended;
  }

  /** Marks a claimed job done; false when the claim was lost (another process took it over). */
  async complete(job: JobLock): Promise<boolean> {
    const now = this.clock.now();
    const { count } = await this.prisma.job.updateMany({
      where: { id: job.id, state: "running", lockedBy: job.lockedBy },
      data: { state: "done", finishedAt: now, updatedAt: now, leaseUntil: null },
    });
    return count === 1;
  }

  /**
   * Records a failed run. The job goes back to pending at `retryAt` (default: back-off after
   * its attempts so far) unless the error is a PermanentError or maxAttempts runs were made,
   * in which case it is failed for good.
   */
  async fail(job: JobLock, error: unknown, retryAt?: Date): Promise<FailOutcome> {
    const now = this.clock.now();
    const lastError = describeError(error);
    const final = error instanceof PermanentError || job.attempts >= job.maxAttempts;
    const where = { id: job.id, state: "running", lockedBy: job.lockedBy };
    const data = final
      ? { state: "failed", finishedAt: now, updatedAt: now, leaseUntil: null, lastError }
      : {
          state: "pending",
          dueAt: retryAt ?? new Date(now.getTime() + backoffMs(job.attempts)),
          updatedAt: now,
          leaseUntil: null,
          lastError,
        };
    const { count } = await this.prisma.job.updateMany({ where, data });
    if (count === 0) return "lost";
    return final ? "failed" : "retrying";
  }

  /** Ends a claimed job without running it (e.g. too late to be useful), keeping why. */
  async skip(job: JobLock, reason: string): Promise<boolean> {
    const now = this.clock.now();
    const { count } = await this.prisma.job.updateMany({
      where: { id: job.id, state: "running", lockedBy: job.lockedBy },
      data: { state: "cancelled", finishedAt: now, updatedAt: now, leaseUntil: null, lastError: reason },
    });
    return count === 1;
  }

  /**
   * Gives claimed jobs that were not started back to pending, as if never claimed (used when the
   * scheduler stops mid-batch, so they need not wait for their lease to expire).
   */
  async release(jobs: readonly JobLock[]): Promise<number> {
    let released = 0;
    for (const job of jobs) {
      const { count } = await this.prisma.job.updateMany({
        where: { id: job.id, state: "running", lockedBy: job.lockedBy },
        data: { state: "pending", leaseUntil: null, attempts: { decrement: 1 }, updatedAt: this.clock.now() },
      });
      released += count;
    }
    return released;
  }

  get(id: number): Promise<JobRecord | null> {
    return this.prisma.job.findUnique({ where: { id } });
  }

  findByKey(dedupeKey: string): Promise<JobRecord | null> {
    return this.prisma.job.findUnique({ where: { dedupeKey } });
  }

  /** For admin views: filtered, ordered by dueAt. */
  list(options: ListOptions = {}): Promise<JobRecord[]> {
    const states = options.state === undefined ? undefined : typeof options.state === "string" ? [options.state] : [...options.state];
    return this.prisma.job.findMany({
      where: {
        ...(states && { state: { in: states } }),
        ...(options.kind !== undefined && { kind: options.kind }),
        ...(options.dedupeKey !== undefined && { dedupeKey: options.dedupeKey }),
        ...(options.dedupeKeyPrefix !== undefined && options.dedupeKey === undefined && { dedupeKey: { startsWith: options.dedupeKeyPrefix } }),
        ...((options.dueFrom || options.dueBefore) && {
          dueAt: { ...(options.dueFrom && { gte: options.dueFrom }), ...(options.dueBefore && { lt: options.dueBefore }) },
        }),
      },
      orderBy: [{ dueAt: options.order ?? "asc" }, { id: options.order ?? "asc" }],
      take: Math.min(Math.max(1, options.limit ?? 50), 500),
      skip: options.offset ?? 0,
    });
  }

  /** How many jobs are in each state (for admin views and health checks). */
  async countByState(): Promise<Record<JobState, number>> {
    const rows = await this.prisma.job.groupBy({ by: ["state"], _count: { _all: true } });
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const row of rows) if (row.state in counts) counts[row.state as JobState] = row._count._all;
    return counts;
  }

  /** The dueAt of the latest job of `kind` that has run or is running (done, failed, running); null if none. */
  async latestStarted(kind: string): Promise<Date | null> {
    const row = await this.prisma.job.findFirst({ where: { kind, state: { in: ["running", "done", "failed"] } }, orderBy: { dueAt: "desc" }, select: { dueAt: true } });
    return row?.dueAt ?? null;
  }

  /** Due pending jobs whose kind is not among `known`, counted per kind (nobody here can run them). */
  async dueUnknownKinds(now: Date, known: readonly string[]): Promise<{ kind: string; count: number }[]> {
    const rows = await this.prisma.job.groupBy({
      by: ["kind"],
      where: { state: "pending", dueAt: { lte: now }, ...(known.length > 0 && { kind: { notIn: [...known] } }) },
      _count: { _all: true },
    });
    return rows.map((row) => ({ kind: row.kind, count: row._count._all }));
  }
}

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
