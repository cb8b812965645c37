// When the watch's jobs run: the hourly read (and one-off retries of failing sources), and the
// digest on the animator's schedule (Mondays 09:00 in BOT_TIMEZONE unless changed). The job kinds
// are here; their handlers are in jobs.ts.
import { CronExpressionError, nextOccurrence, parseCron, type JobStore, type NoPayload, type RecurringPayload, type RecurringSchedules } from "../../scheduler/index.js";
import { audit } from "../audit.js";
import { formatDateTime } from "../dates.js";
import { UserError } from "../errors.js";
import type { Collector } from "./collect.js";
import type { WatchContext } from "./context.js";
import { cronInput, displayCron } from "./render.js";

export const DIGEST_KIND = "watch.digest";
export const FETCH_KIND = "watch.fetch";
export const RETRY_KIND = "watch.retry";

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [DIGEST_KIND]: RecurringPayload;
    [FETCH_KIND]: RecurringPayload;
    [RETRY_KIND]: NoPayload;
  }
}
/** Mondays at 09:00 in BOT_TIMEZONE, until the animator says otherwise (/veille horaire). */
export const DEFAULT_DIGEST_CRON = "0 9 * * 1";
/**
 * Hourly, at ten to: a digest set on the hour then gets what was published until just before,
 * and the two jobs do not fall on the same tick.
 */
export const FETCH_CRON = "50 * * * *";
const DIGEST_CRON_SETTING = "watch.digest.cron";

export class WatchSchedule {
  constructor(
    private readonly ctx: WatchContext,
    private readonly collector: Collector,
    /** The running bot's schedules, so /veille horaire moves the pending digest at once; absent without a scheduler. */
    private readonly recurring?: RecurringSchedules,
  ) {}

  private get timeZone(): string {
    return this.ctx.deps.timeZone;
  }

  async digestCron(): Promise<string> {
    const stored = await this.ctx.deps.settings.get(DIGEST_CRON_SETTING);
    if (!stored) return DEFAULT_DIGEST_CRON;
    try {
      parseCron(stored, this.timeZone);
      return stored;
    } catch (err) {
      this.ctx.deps.log.error({ err, stored }, "horaire du récapitulatif illisible : horaire par défaut utilisé");
      return DEFAULT_DIGEST_CRON;
    }
  }

  async nextDigestAt(): Promise<Date> {
    return nextOccurrence(await this.digestCron(), this.timeZone, this.ctx.now());
  }

  /**
   * Changes when the digest is posted. Refused (French, nothing written) for an invalid
   * expression or one that would post more than once a day.
   */
  async setDigestCron(cron: string, actorId: number): Promise<{ next: Date; applied: boolean }> {
    const expr = cronInput(cron);
    const now = this.ctx.now();
    try {
      checkAtMostDaily(expr, this.timeZone, now);
    } catch (error) {
      if (error instanceof CronExpressionError) throw new UserError(displayCron(error.message));
      throw error;
    }
    await this.ctx.db.$transaction(async (tx) => {
      const before = await tx.setting.findUnique({ where: { key: DIGEST_CRON_SETTING } });
      await tx.setting.upsert({
        where: { key: DIGEST_CRON_SETTING },
        create: { key: DIGEST_CRON_SETTING, value: expr, updatedAt: now, updatedBy: actorId },
        update: { value: expr, updatedAt: now, updatedBy: actorId },
      });
      await audit(tx, { actorId, action: "watch.schedule", targetType: "setting", targetId: DIGEST_CRON_SETTING, details: { avant: before?.value ?? DEFAULT_DIGEST_CRON, après: expr } }, now);
    });
    // The running bot moves its pending occurrence now; otherwise the next start does.
    if (this.recurring) await this.recurring.ensureNext(DIGEST_KIND, expr, this.timeZone, now);
    return { next: nextOccurrence(expr, this.timeZone, now), applied: Boolean(this.recurring) };
  }

  /**
   * A failing source waits 5 min, 10 min… before its next try, which the hourly run alone would
   * not honour: a one-off retry job is scheduled when the earliest retry falls before the next run.
   */
  async scheduleRetry(jobs: JobStore): Promise<Date | null> {
    const at = await this.collector.earliestRetryAt();
    if (!at || at.getTime() >= nextOccurrence(FETCH_CRON, this.timeZone, this.ctx.now()).getTime()) return null;
    const minute = new Date(Math.ceil(at.getTime() / 60_000) * 60_000);
    await jobs.schedule({ kind: RETRY_KIND, dueAt: minute, dedupeKey: `${RETRY_KIND}@${minute.toISOString().slice(0, 16)}Z` });
    return minute;
  }
}

/** Throws CronExpressionError (French) for a bad expression or one firing twice within 20 hours. */
function checkAtMostDaily(expr: string, timeZone: string, now: Date): void {
  parseCron(expr, timeZone);
  let previous = nextOccurrence(expr, timeZone, now);
  for (let i = 0; i < 12; i++) {
    const next = nextOccurrence(expr, timeZone, previous);
    // 20 h rather than 24: a daily time is 23 h apart on the day clocks go forward.
    if (next.getTime() - previous.getTime() < 20 * 60 * 60_000) {
      throw new CronExpressionError(
        `Expression « ${expr} » : le récapitulatif paraîtrait plusieurs fois par jour (le ${formatDateTime(previous, timeZone)} puis le ${formatDateTime(next, timeZone)}) ; ` +
          "une fois par jour au plus, par exemple « 0 9 * * 1 » pour chaque lundi à 9 h.",
      );
    }
    previous = next;
  }
}
