// The scheduler as the bot runs it: job store, deliveries, dispatcher, recurring schedules, a
// wake timer set to the next due job (wake.ts), and a node-cron task that says "tick" every few
// seconds as a safety net. The schedule itself is in the database, so a missed or late tick
// loses nothing: the next one picks up whatever is due.
import cron, { type ScheduledTask } from "node-cron";

import type { Clock } from "../shared/clock.js";
import type { Logger } from "../logger.js";
import type { PrismaClient } from "../store/index.js";
import { Deliveries } from "./deliveries.js";
import { Dispatcher, type TickReport } from "./dispatcher.js";
import { GoneHolders, localWorkerId } from "./holders.js";
import { JobStore } from "./jobs.js";
import { expireLeasesOfGoneHolders, nextWake } from "./leases.js";
import { RecurringSchedules } from "./recurring.js";
import { WakeTimer } from "./wake.js";

/** What startBot's callers (main, tests) may tune. */
export interface SchedulerTuning {
  /** Seconds between ticks (default 15): a divisor of 60, or a whole number of minutes dividing 60. */
  tickSeconds?: number;
  /** false: no timer at all; tests call tick() themselves with a ManualClock. Default true. */
  timer?: boolean;
  /** How long stop() waits for running handlers (default 3 s; main.ts forces exit at 8 s). */
  stopTimeoutMs?: number;
  workerId?: string;
  concurrency?: number;
  batchSize?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  /** Longest sleep of the wake timer between two looks at the next due job (default 60 s). */
  wakeCapMs?: number;
  /** How long an instance of another host may be missing from the database before its jobs are taken over (default 15 s). */
  goneAfterMs?: number;
}

export interface SchedulerOptions extends SchedulerTuning {
  prisma: PrismaClient;
  clock: Clock;
  log: Logger;
  /**
   * True when this process holds the database's one-bot lock (SQLite): no other scheduler can be
   * running on it, so at start-up every lease not ours is a dead predecessor's, taken back at once.
   */
  soleInstance?: boolean;
  /** The bot instances connected to the database (PostgreSQL: Coordination.botInstances), to tell a lost machine's leases. */
  liveInstances?: () => Promise<string[]>;
}

export class Scheduler {
  readonly jobs: JobStore;
  readonly deliveries: Deliveries;
  readonly dispatcher: Dispatcher;
  readonly recurring: RecurringSchedules;
  private readonly tickSeconds: number;
  private readonly cronExpr: string;
  private task: ScheduledTask | undefined;
  private wakeTimer: WakeTimer | undefined;
  private started = false;
  private stopped: Promise<void> | undefined;
  private readonly goneHolders: GoneHolders;

  constructor(private readonly options: SchedulerOptions) {
    const { prisma, clock, log } = options;
    this.tickSeconds = options.tickSeconds ?? 15;
    // Checked here rather than at start(): a bad setting should fail before anything runs.
    this.cronExpr = tickExpression(this.tickSeconds);
    this.jobs = new JobStore(prisma, clock);
    this.deliveries = new Deliveries(prisma, clock, log);
    this.dispatcher = new Dispatcher({
      jobs: this.jobs,
      deliveries: this.deliveries,
      clock,
      log,
      workerId: options.workerId ?? localWorkerId(),
      concurrency: options.concurrency,
      batchSize: options.batchSize,
      leaseMs: options.leaseMs,
      heartbeatMs: options.heartbeatMs,
    });
    this.recurring = new RecurringSchedules(this.jobs, log);
    this.dispatcher.addTickHook((now) => this.recurring.refresh(now));
    this.goneHolders = new GoneHolders(options.liveInstances, options.goneAfterMs);
    // Beside other instances, one may die at any moment and stay down (or restart slowly): its
    // jobs are taken over at the next tick, so its interrupted sends are resent within Discord's
    // nonce window rather than after their lease.
    if (!options.soleInstance) this.dispatcher.addTickHook((now) => this.takeOverGoneHolders(now));
  }

  /**
   * Starts the timer (unless `timer: false`) and runs one tick at once, which catches up the jobs
   * that fell due while the bot was down. Resolves with that first tick's report; the bot does
   * not wait for it (a long catch-up must not delay start-up).
   */
  start(): Promise<TickReport> {
    if (this.started) throw new Error("Le planificateur est déjà démarré.");
    this.started = true;
    if (this.options.timer !== false) {
      const wakeTimer = new WakeTimer({ clock: this.options.clock, capMs: this.options.wakeCapMs ?? 60_000, ring: () => void this.wake() });
      this.wakeTimer = wakeTimer;
      this.jobs.onScheduled((dueAt) => wakeTimer.bringForward(dueAt));
      this.task = cron.schedule(this.cronExpr, () => this.wake(), {
        name: "promeneurs-scheduler-tick",
        noOverlap: true,
        // A tick skipped because the process was busy needs no warning: the next one catches up.
        suppressMissedWarning: true,
        // Our own timer must never be what keeps the process alive.
        unref: true,
        logger: cronLogger(this.options.log),
      });
    }
    this.options.log.info(
      { workerId: this.dispatcher.workerId, tickSeconds: this.options.timer === false ? null : this.tickSeconds, kinds: this.dispatcher.kinds() },
      "planificateur démarré",
    );
    // Alone on the database, a killed predecessor's jobs are taken back once, now; beside other instances, at every tick.
    return (this.options.soleInstance ? this.takeOverGoneHolders(this.options.clock.now()) : Promise.resolve()).then(() => this.wake());
  }

  /** One tick now (tests with `timer: false`, or an admin "run due jobs now"). */
  tick(): Promise<TickReport> {
    return this.wake();
  }

  /** Ticks, then sets the wake timer to the next due job. Never rejects. */
  private async wake(): Promise<TickReport> {
    const report = await this.dispatcher.tick();
    const timer = this.wakeTimer;
    if (timer && !this.dispatcher.stopping) {
      try {
        timer.rearm(await nextWake(this.options.prisma, this.dispatcher.kinds()));
      } catch (err) {
        timer.rearm(undefined);
        this.options.log.warn({ err }, "prochaine échéance illisible : le planificateur regardera à nouveau plus tard");
      }
    }
    return report;
  }

  /** Jobs a dead holder held are taken back now rather than when their lease runs out (holders.ts). */
  private async takeOverGoneHolders(now: Date): Promise<void> {
    const own = `${this.dispatcher.workerId}#`;
    const isGone = this.options.soleInstance ? (lockedBy: string) => !lockedBy.startsWith(own) : this.goneHolders.check();
    try {
      const released = await expireLeasesOfGoneHolders(this.options.prisma, now, isGone);
      if (released > 0) this.options.log.info({ released }, "tâches d'un processus arrêté reprises sans attendre la fin de leur bail");
    } catch (err) {
      this.options.log.warn({ err }, "reprise des tâches d'un processus arrêté échouée : elles le seront à l'expiration de leur bail");
    }
  }

  /** Stops the timer, then waits (bounded) for running handlers. Safe to call twice. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const task = this.task;
      this.task = undefined;
      this.wakeTimer?.stop();
      if (task) await Promise.resolve(task.destroy()).catch((err: unknown) => this.options.log.warn({ err }, "arrêt du minuteur du planificateur échoué"));
      const timeoutMs = this.options.stopTimeoutMs ?? 3000;
      const drained = await this.dispatcher.stop(timeoutMs);
      if (!drained) {
        this.options.log.warn({ timeoutMs }, "planificateur arrêté avec des tâches encore en cours : elles seront reprises à l'expiration de leur bail");
      }
    })();
    return this.stopped;
  }
}

/** node-cron's six-field (seconds) expression for a tick every `seconds`. */
export function tickExpression(seconds: number): string {
  if (Number.isInteger(seconds) && seconds > 0 && seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  const minutes = seconds / 60;
  if (minutes === 60) return "0 0 * * * *";
  if (Number.isInteger(minutes) && minutes > 0 && minutes < 60 && 60 % minutes === 0) return `0 */${minutes} * * * *`;
  throw new RangeError(
    `Intervalle du planificateur invalide : ${seconds} s (attendu : un diviseur de 60 comme 5, 15 ou 30, ou 60, 120, 300… secondes).`,
  );
}

function cronLogger(log: Logger) {
  // node-cron's default logger writes to the console, and stdout is the console adapter's conversation.
  return {
    info: (message: string) => log.debug({ source: "node-cron" }, message),
    warn: (message: string) => log.debug({ source: "node-cron" }, message),
    error: (message: string | Error, err?: Error) => log.error({ source: "node-cron", err: err ?? message }, "erreur signalée par node-cron"),
    debug: (message: string | Error) => log.debug({ source: "node-cron" }, String(message)),
  };
}
