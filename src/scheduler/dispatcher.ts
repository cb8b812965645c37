// Runs due jobs: claims them, calls their handler with bounded concurrency, records the outcome.
//
// A tick never throws and one job never blocks another: every job runs in its own try/catch,
// and a database error while recording an outcome only leaves that job `running` until its
// lease expires, after which it is retried (the Delivery rows keep that from sending twice).
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../logger.js";
import type { DeliveryOutcome, Deliveries } from "./deliveries.js";
import type { DeliveryAttempt } from "./delivery-scope.js";
import { AlreadyReported, PermanentError, RetryLater, describeError } from "./errors.js";
import { localWorkerId } from "./holders.js";
import type { ClaimedJob, JobRecord } from "./job-records.js";
import { parsePayload } from "./job-scheduling.js";
import type { JobStore } from "./jobs.js";
import { plural } from "../shared/plural.js";

/** A running job as its handler sees it: the payload is parsed. */
export type RunningJob<P = unknown> = Omit<JobRecord, "payload"> & { payload: P };

export interface JobContext {
  /** The clock's time when the job started. */
  now: Date;
  /**
   * How late the job starts, in ms (now − dueAt, never negative). The "missed while down"
   * hook: a job due while the bot was stopped runs at the first tick after the restart, and its
   * handler decides whether the work is still worth doing (or see HandlerOptions.skipIfLateBy).
   */
  lateBy: number;
  /** 1 for the first run. */
  attempt: number;
  log: Logger;
  /** Aborted when the scheduler stops: a long handler should stop between two recipients. */
  signal: AbortSignal;
  /** Sends to a recipient exactly once for this job (see deliveries.ts). */
  deliverOnce(recipient: string, send: (attempt: DeliveryAttempt) => Promise<unknown>): Promise<DeliveryOutcome>;
  /** To schedule follow-up work. */
  jobs: JobStore;
}

/** Throw RetryLater(at) to try again later, PermanentError to give up; any other error is retried with back-off. */
export type JobHandler<P = unknown> = (job: RunningJob<P>, ctx: JobContext) => Promise<void>;

export interface HandlerOptions {
  /** A job starting later than this (ms after its dueAt) is not run but cancelled, with the reason kept. */
  skipIfLateBy?: number;
}

interface DispatcherOptions {
  jobs: JobStore;
  deliveries: Deliveries;
  clock: Clock;
  log: Logger;
  /** Shown in `Job.lockedBy`; default host:pid:boot:random (holders.ts). */
  workerId?: string;
  /** Handlers running at once (default 4). */
  concurrency?: number;
  /** Jobs claimed per round of a tick (default 20); a tick keeps claiming while rounds are full. */
  batchSize?: number;
  /** Claim duration (default 2 min), renewed every `heartbeatMs` while the batch runs. */
  leaseMs?: number;
  /** Real-time interval of lease renewal (default leaseMs / 3; 0 = never renew). */
  heartbeatMs?: number;
  /** How often, at most, to warn about due jobs nobody here can run (default 10 min). */
  unknownKindsWarningMs?: number;
}

export interface TickReport {
  claimed: number;
  done: number;
  retrying: number;
  failed: number;
  /** Cancelled without running (too late: HandlerOptions.skipIfLateBy). */
  skipped: number;
  /** Claims taken over by another process before this one recorded the outcome. */
  lost: number;
  /** Claimed but given back because the scheduler was stopping. */
  released: number;
}

/** Runs before each tick's claims (the recurring schedules use it to keep their next occurrence). */
type TickHook = (now: Date) => Promise<void>;

/** A job that failed for good: after its last attempt, or at once for a PermanentError. */
export interface JobFailure {
  job: JobRecord;
  /** One line, French when the handler's error was (describeError). */
  error: string;
  /** Sends once for this job, like a handler's ctx.deliverOnce: a report survives a restart without repeating. */
  deliverOnce(recipient: string, send: () => Promise<unknown>): Promise<DeliveryOutcome>;
}

/** Told once of each job that failed for good (the bot reports it to the animator). */
export type FailureHook = (failure: JobFailure) => Promise<void>;

const DEFAULT_LEASE_MS = 2 * 60_000;

interface Registration {
  handler: JobHandler<unknown>;
  options: HandlerOptions;
}

export class Dispatcher {
  readonly workerId: string;
  private readonly handlers = new Map<string, Registration>();
  private readonly hooks: TickHook[] = [];
  private readonly failureHooks: FailureHook[] = [];
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly unknownKindsWarningMs: number;
  private readonly abort = new AbortController();
  private current: Promise<TickReport> | undefined;
  private queued: Promise<TickReport> | undefined;
  private lastUnknownCheck: number | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.workerId = options.workerId ?? localWorkerId();
    this.concurrency = positive(options.concurrency, 4);
    this.batchSize = positive(options.batchSize, 20);
    this.leaseMs = positive(options.leaseMs, DEFAULT_LEASE_MS);
    this.heartbeatMs = options.heartbeatMs ?? Math.floor(this.leaseMs / 3);
    this.unknownKindsWarningMs = options.unknownKindsWarningMs ?? 10 * 60_000;
  }

  /** Declares how to run jobs of `kind`. Only registered kinds are claimed by this process. */
  register<P = unknown>(kind: string, handler: JobHandler<P>, options: HandlerOptions = {}): void {
    if (this.handlers.has(kind)) throw new Error(`Un gestionnaire est déjà enregistré pour les tâches « ${kind} ».`);
    this.handlers.set(kind, { handler: handler as JobHandler<unknown>, options });
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  addTickHook(hook: TickHook): void {
    this.hooks.push(hook);
  }

  /** `hook` is called once for each job that fails for good, after the failure is recorded. */
  onJobFailed(hook: FailureHook): void {
    this.failureHooks.push(hook);
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /**
   * Claims and runs every due job. Never rejects. Ticks never overlap: a tick asked for while
   * one runs starts right after it (at most one waits, shared by every caller meanwhile).
   */
  tick(): Promise<TickReport> {
    if (this.stopping) return Promise.resolve(emptyReport());
    if (!this.current) {
      this.current = this.safeTick().finally(() => {
        this.current = undefined;
      });
      return this.current;
    }
    this.queued ??= this.current.then(() => {
      this.queued = undefined;
      return this.tick();
    });
    return this.queued;
  }

  /**
   * Stops claiming, tells running handlers (ctx.signal) and waits for them up to `timeoutMs`.
   * Resolves true when everything finished in time. Jobs still running afterwards keep their
   * lease; if the process then exits, they are taken over once it expires.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.abort.abort();
    const running = this.current;
    if (!running) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      running.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    return finished;
  }

  private async safeTick(): Promise<TickReport> {
    const report = emptyReport();
    try {
      await this.runHooks();
      await this.warnUnknownKinds();
      const kinds = this.kinds();
      while (!this.stopping && kinds.length > 0) {
        const now = this.options.clock.now();
        const batch = await this.options.jobs.claimDue(now, {
          limit: this.batchSize,
          leaseMs: this.leaseMs,
          workerId: this.workerId,
          kinds,
        });
        report.claimed += batch.length;
        if (batch.length > 0) await this.runBatch(batch, report);
        if (batch.length < this.batchSize) break;
      }
    } catch (err) {
      this.options.log.error({ err }, "tour du planificateur interrompu (nouvel essai au prochain tour)");
    }
    return report;
  }

  private async runHooks(): Promise<void> {
    for (const hook of this.hooks) {
      try {
        await hook(this.options.clock.now());
      } catch (err) {
        this.options.log.error({ err }, "préparation du tour du planificateur échouée");
      }
    }
  }

  private async runBatch(batch: ClaimedJob[], report: TickReport): Promise<void> {
    const waiting = [...batch];
    const unfinished = new Set<ClaimedJob>(batch);
    // Claimed jobs waiting for a free slot need their lease renewed as much as running ones.
    const heartbeat =
      this.heartbeatMs > 0
        ? setInterval(() => {
            const leaseUntil = new Date(this.options.clock.now().getTime() + this.leaseMs);
            this.options.jobs
              .extendLease([...unfinished], leaseUntil)
              .catch((err: unknown) => this.options.log.warn({ err }, "prolongation des baux échouée"));
          }, this.heartbeatMs)
        : undefined;
    heartbeat?.unref();
    try {
      const worker = async () => {
        for (let job = waiting.shift(); job; job = waiting.shift()) {
          if (this.stopping) {
            waiting.unshift(job);
            return;
          }
          await this.runOne(job, report);
          unfinished.delete(job);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
      if (waiting.length > 0) {
        report.released += await this.options.jobs.release(waiting).catch((err: unknown) => {
          this.options.log.warn({ err }, "tâches non rendues à l'arrêt (reprises à l'expiration de leur bail)");
          return 0;
        });
      }
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  }

  private async runOne(job: ClaimedJob, report: TickReport): Promise<void> {
    const { jobs, deliveries, clock } = this.options;
    const log = this.options.log.child({ jobId: job.id, kind: job.kind });
    const now = clock.now();
    const lateBy = Math.max(0, now.getTime() - job.dueAt.getTime());
    try {
      const registration = this.handlers.get(job.kind);
      // Claimed jobs are filtered by kind, so this only guards against a handler removed meanwhile.
      if (!registration) throw new RetryLater(new Date(now.getTime() + 60_000), `aucun gestionnaire pour « ${job.kind} »`);
      if (job.attempts > job.maxAttempts && job.attempts > job.maxAttempts + (await deliveries.sentCount(job.id))) {
        // Every earlier run died with its process (a lease that expired each time): a job that
        // crashes the bot must not be able to do so forever. But a bot killed from outside while
        // a job was sending (a restart, a deploy, an OOM) is not the job's fault: every message
        // an interrupted run got out buys one more run, so a job making progress finishes (it
        // has finitely many recipients) and one that only ever crashes stops after maxAttempts.
        throw new PermanentError(`abandonnée : ${plural(job.attempts - 1, "exécution interrompue", "exécutions interrompues")} sans avancer`);
      }
      const { skipIfLateBy } = registration.options;
      if (skipIfLateBy !== undefined && lateBy > skipIfLateBy) {
        const reason = `ignorée : en retard de ${formatDuration(lateBy)} (limite ${formatDuration(skipIfLateBy)})`;
        if (await jobs.skip(job, reason)) {
          report.skipped++;
          log.info({ lateBy }, `tâche ${reason}`);
        } else report.lost++;
        return;
      }
      const payload = parsePayload(job.payload);
      if (!payload.ok) throw new PermanentError(`charge utile illisible (JSON invalide)`, { cause: payload.error });
      const ctx: JobContext = {
        now,
        lateBy,
        attempt: job.attempts,
        log,
        signal: this.abort.signal,
        deliverOnce: (recipient, send) => deliveries.deliverOnce(job.id, recipient, send),
        jobs,
      };
      log.debug({ lateBy, attempt: job.attempts }, "tâche lancée");
      await registration.handler({ ...job, payload: payload.value }, ctx);
      if (await jobs.complete(job)) {
        report.done++;
        log.debug("tâche terminée");
      } else {
        report.lost++;
        log.warn("tâche terminée, mais reprise entre-temps par un autre processus (bail expiré)");
      }
    } catch (error) {
      await this.recordFailure(job, error, log, report);
    }
  }

  private async recordFailure(job: ClaimedJob, error: unknown, log: Logger, report: TickReport): Promise<void> {
    try {
      const retryAt = error instanceof RetryLater ? error.at : undefined;
      const outcome = await this.options.jobs.fail(job, error, retryAt);
      report[outcome === "retrying" ? "retrying" : outcome === "failed" ? "failed" : "lost"]++;
      if (outcome === "retrying") {
        const again = await this.options.jobs.get(job.id);
        log.warn({ err: error, attempt: job.attempts, maxAttempts: job.maxAttempts, retryAt: again?.dueAt }, "tâche en échec : nouvel essai prévu");
      } else if (outcome === "failed") {
        log.error({ err: error, attempt: job.attempts, maxAttempts: job.maxAttempts }, "tâche en échec définitif");
        await this.options.deliveries.abandon(job.id, `tâche abandonnée : ${describeError(error)}`);
        await this.reportFailure(job, error, log);
      } else {
        log.warn({ err: error }, "tâche en échec, mais reprise entre-temps par un autre processus (bail expiré)");
      }
    } catch (err) {
      log.error({ err, cause: error }, "échec de tâche non enregistré : elle sera reprise à l'expiration de son bail");
    }
  }

  /** Only the process whose fail() moved the job to `failed` gets here: each job is reported once. */
  private async reportFailure(job: ClaimedJob, error: unknown, log: Logger): Promise<void> {
    if (error instanceof AlreadyReported) return;
    const { deliveries } = this.options;
    const failure: JobFailure = {
      job,
      error: describeError(error),
      deliverOnce: (recipient, send) => deliveries.deliverOnce(job.id, recipient, send),
    };
    for (const hook of this.failureHooks) {
      try {
        await hook(failure);
      } catch (err) {
        log.error({ err }, "rapport d'échec de tâche non transmis");
      }
    }
  }

  private async warnUnknownKinds(): Promise<void> {
    const now = this.options.clock.now().getTime();
    if (this.lastUnknownCheck !== undefined && Math.abs(now - this.lastUnknownCheck) < this.unknownKindsWarningMs) return;
    this.lastUnknownCheck = now;
    try {
      const unknown = await this.options.jobs.dueUnknownKinds(new Date(now), this.kinds());
      for (const { kind, count } of unknown) {
        this.options.log.warn(
          { kind, count },
          "tâches dues sans gestionnaire ici : laissées en attente (une version plus récente du bot sait peut-être les traiter)",
        );
      }
    } catch (err) {
      this.options.log.warn({ err }, "recherche des tâches sans gestionnaire échouée");
    }
  }
}

function emptyReport(): TickReport {
  return { claimed: 0, done: 0, retrying: 0, failed: 0, skipped: 0, lost: 0, released: 0 };
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`Valeur invalide pour le planificateur : ${value} (un nombre positif).`);
  return value;
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} j`;
}
