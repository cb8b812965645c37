// What a job is, as the Job table stores it and as callers describe it: the shapes JobStore takes and
// returns, and the retry policy (attempts, back-off) every job shares.
import type { Prisma, PrismaClient } from "../store/index.js";
import type { PayloadOf } from "./job-kinds.js";

export type JobState = "pending" | "running" | "done" | "failed" | "cancelled";
export const JOB_STATES: readonly JobState[] = ["pending", "running", "done", "failed", "cancelled"];

/** A Job row as stored (payload is JSON text). */
export type JobRecord = Prisma.JobModel;

/** The bot's client or a transaction of it: lets a feature create its row and its jobs atomically. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** `K`: the kind, whose declared payload (JobPayloads) the compiler holds `payload` to. */
export interface ScheduleInput<K extends string = string> {
  kind: K;
  /** When to run (stored in UTC). */
  dueAt: Date;
  /** Serialised as JSON: Dates become ISO strings. */
  payload?: PayloadOf<K>;
  /**
   * At most one job per key; scheduling the same key again updates that job while it is pending,
   * and makes a cancelled one pending again (scheduling undoes a cancellation).
   */
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface ScheduleResult {
  job: JobRecord;
  /**
   * - created: a new job;
   * - updated: the pending job of that key now has the new dueAt/payload;
   * - revived: the cancelled job of that key is pending again, with the new dueAt/payload and
   *   a fresh count of attempts (an occurrence rescheduled after a change of schedule);
   * - unchanged: the job of that key was left as it is (same values, or it ran or is running:
   *   running, done and failed jobs are never revived; check `job.state`).
   */
  outcome: "created" | "updated" | "revived" | "unchanged";
}

export interface ClaimOptions {
  limit: number;
  /** How long the claim holds before another process may take the job over. */
  leaseMs: number;
  /** Who claims (shown in admin views; part of the claim token). */
  workerId: string;
  /** Only these kinds (those this process has a handler for); all kinds when omitted. */
  kinds?: readonly string[];
}

/** A job this process holds: `lockedBy` is its claim token, unique to this claim. */
export type ClaimedJob = JobRecord & { state: "running"; lockedBy: string; leaseUntil: Date };

/** What is needed to act on a claimed job; `lockedBy` fences out a process whose claim was taken over. */
export type JobLock = Pick<JobRecord, "id" | "lockedBy" | "attempts" | "maxAttempts">;

/** retrying: back to pending at a later dueAt; failed: no more attempts; lost: the claim was no longer ours. */
export type FailOutcome = "retrying" | "failed" | "lost";

export interface CancelWhere<K extends string = string> {
  kind: K;
  /** Which pending jobs of that kind (all when omitted). Payloads that are not valid JSON never match. */
  where?: (payload: PayloadOf<K>, job: JobRecord) => boolean;
}

export interface ListOptions {
  state?: JobState | readonly JobState[];
  kind?: string;
  dedupeKey?: string;
  /** Jobs whose dedupe key starts with this (e.g. every nudge of one journey). */
  dedupeKeyPrefix?: string;
  dueFrom?: Date;
  dueBefore?: Date;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
  order?: "asc" | "desc";
}

export const DEFAULT_MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;

/** Delay before the next attempt after `attempt` failed: 30 s, 1 min, 2 min, 4 min … capped at 1 h. */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
}
