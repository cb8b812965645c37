// Recurring work (weekly digest, hourly feed fetch) as a chain of ordinary jobs.
//
// A definition (kind + cron expression + time zone) lives in memory, declared by the feature at
// start-up with ensureNext(). Its occurrences live in the Job table, one row per occurrence, keyed
// by the occurrence's UTC instant (`digest@2026-03-02T08:00Z`). Because the key names the
// occurrence, a restart, a second instance or a repeated ensureNext() all land on the same row:
// an occurrence can be run once at most. Before every tick the next occurrence after "now" is
// ensured, so by the time one occurrence runs, the following one is already in the table.
//
// Catch-up: if the bot was down over an occurrence, its row is still pending and runs at the first
// tick (the handler sees ctx.lateBy); occurrences that were never created while down are not
// invented afterwards, so a long outage yields one late run, not a burst.
//
// Time zones and DST (computed by croner, in the definition's zone, e.g. Europe/Paris):
// - `0 9 * * 1` is 09:00 local all year: 08:00Z in winter, 07:00Z in summer;
// - a local time skipped in March (02:00–03:00 does not exist) runs at 03:00, once;
// - a fixed local time repeated in October (02:00–03:00 happens twice) runs once, the first time;
//   a wildcard minute or hour (e.g. `*/30 2 * * *`) runs in both passes, as Vixie cron does.
import { Cron } from "croner";

import type { Logger } from "../logger.js";
import type { ScheduleResult } from "./job-records.js";
import type { JobStore } from "./jobs.js";
import { plural } from "../shared/plural.js";

/** The payload of a recurring job. */
export interface RecurringPayload {
  cron: string;
  timeZone: string;
  /** The occurrence this job stands for (ISO, UTC): e.g. the week a digest covers. */
  occurrence: string;
}

/** An unusable cron expression or time zone; the message is French and shown to whoever configured it. */
export class CronExpressionError extends Error {
  override name = "CronExpressionError";
}

const EXAMPLE = "par exemple « 0 9 * * 1 » pour chaque lundi à 9 h";
const FIELD_NAMES = ["minute", "hour", "day", "month", "dayOfWeek"];
const FIELD_LABELS: Record<string, string> = {
  minute: "minute (0 à 59)",
  hour: "heure (0 à 23)",
  day: "jour du mois (1 à 31)",
  month: "mois (1 à 12 ou jan à dec)",
  // Names are English in cron: a French "lundi" is the usual mistake.
  dayOfWeek: "jour de la semaine (0 à 7, 0 et 7 = dimanche, ou sun, mon, tue, wed, thu, fri, sat)",
};

const parsed = new Map<string, Cron>();

/**
 * Checks a 5-field cron expression (minute hour day-of-month month day-of-week; @daily-style
 * nicknames accepted) in an IANA time zone; throws CronExpressionError with a French message.
 */
export function parseCron(cronExpr: string, timeZone: string): Cron {
  const expr = normaliseCron(cronExpr);
  const cacheKey = `${timeZone}|${expr}`;
  const cached = parsed.get(cacheKey);
  if (cached) return cached;
  if (!isTimeZone(timeZone)) {
    throw new CronExpressionError(`Fuseau horaire inconnu : « ${timeZone} » (attendu : un fuseau IANA, par exemple « Europe/Paris »).`);
  }
  if (!expr.startsWith("@")) {
    const fields = expr === "" ? 0 : expr.split(" ").length;
    if (fields !== 5) {
      throw new CronExpressionError(
        `Expression cron invalide « ${cronExpr} » : il faut 5 champs (minute heure jour-du-mois mois jour-de-la-semaine), ` +
          `${plural(fields, "trouvé", "trouvés")} ; ${EXAMPLE}.`,
      );
    }
  }
  let cron: Cron;
  try {
    // No function given: croner then only evaluates the pattern, it starts no timer.
    cron = new Cron(expr, { timezone: timeZone, mode: "5-part" });
  } catch (error) {
    throw new CronExpressionError(`Expression cron invalide « ${cronExpr} » : ${frenchReason(error, expr)} ; ${EXAMPLE}.`, { cause: error });
  }
  if (cron.nextRun(new Date(0)) === null) {
    throw new CronExpressionError(`Expression cron « ${cronExpr} » : elle ne correspond à aucune date (par exemple un 31 février).`);
  }
  parsed.set(cacheKey, cron);
  return cron;
}

/** The first occurrence strictly after `after`, in UTC. */
export function nextOccurrence(cronExpr: string, timeZone: string, after: Date): Date {
  const next = parseCron(cronExpr, timeZone).nextRun(after);
  if (!next) throw new CronExpressionError(`Expression cron « ${cronExpr} » : aucune occurrence après le ${after.toISOString()}.`);
  return next;
}

/** The dedupe key of one occurrence: kind@YYYY-MM-DDTHH:MMZ (UTC, minute precision like cron). */
export function occurrenceKey(kind: string, at: Date): string {
  return `${kind}@${at.toISOString().slice(0, 16)}Z`;
}

/** Why a recurring occurrence was cancelled when its schedule changed (kept on the job). */
const SCHEDULE_REPLACED = "horaire remplacé";

interface Definition {
  cron: string;
  timeZone: string;
  /** The last occurrence key known to be in the table (it stays there: no need to check again). */
  ensuredKey?: string;
}

export class RecurringSchedules {
  private readonly definitions = new Map<string, Definition>();

  constructor(
    private readonly jobs: JobStore,
    private readonly log: Logger,
  ) {}

  /**
   * Declares (or changes) the recurring schedule of `kind` and makes sure its next occurrence
   * after `now` is a pending job. Idempotent: call it at every start-up. Pending occurrences
   * left by a different expression or zone (the schedule was changed) are cancelled.
   * Throws CronExpressionError (French) for an invalid expression or zone, before touching anything.
   */
  async ensureNext(kind: string, cronExpr: string, timeZone: string, now: Date): Promise<ScheduleResult> {
    const cron = normaliseCron(cronExpr);
    const at = await this.nextToRun(kind, cron, timeZone, now);
    const stale = await this.jobs.cancel({ kind, where: (payload) => !sameSchedule(payload, cron, timeZone) }, undefined, SCHEDULE_REPLACED);
    if (stale > 0) this.log.info({ kind, cancelled: stale, cron, timeZone }, "horaire récurrent modifié : anciennes occurrences annulées");
    const definition: Definition = { cron, timeZone };
    this.definitions.set(kind, definition);
    const result = await this.scheduleOccurrence(kind, definition, at);
    definition.ensuredKey = result.job.dedupeKey ?? undefined;
    return result;
  }

  /** Stops keeping `kind` going (its pending occurrence is left as is; cancel it with the JobStore if needed). */
  forget(kind: string): void {
    this.definitions.delete(kind);
  }

  /** Ensures every definition's next occurrence after `now` exists (run before each tick). */
  async refresh(now: Date): Promise<void> {
    for (const [kind, definition] of this.definitions) {
      try {
        if (occurrenceKey(kind, nextOccurrence(definition.cron, definition.timeZone, now)) === definition.ensuredKey) continue;
        const result = await this.scheduleOccurrence(kind, definition, await this.nextToRun(kind, definition.cron, definition.timeZone, now));
        definition.ensuredKey = result.job.dedupeKey ?? undefined;
      } catch (err) {
        this.log.error({ err, kind }, "occurrence suivante non planifiée (nouvel essai au prochain tour)");
      }
    }
  }

  /**
   * The next occurrence after `now`, and after the latest one that already ran: a clock set back
   * (a wrong NTP server, a restored snapshot) must not bring back an older occurrence and publish
   * Tuesday's digest after Wednesday's.
   */
  private async nextToRun(kind: string, cron: string, timeZone: string, now: Date): Promise<Date> {
    const at = nextOccurrence(cron, timeZone, now);
    const latest = await this.jobs.latestStarted(kind);
    return latest && at.getTime() <= latest.getTime() ? nextOccurrence(cron, timeZone, latest) : at;
  }

  /**
   * An occurrence cancelled because the schedule was replaced comes back when the schedule returns
   * to it (the store revives a cancelled job scheduled again); one cancelled by hand stays skipped,
   * restarts included.
   */
  private async scheduleOccurrence(kind: string, definition: Definition, at: Date): Promise<ScheduleResult> {
    const payload: RecurringPayload = { cron: definition.cron, timeZone: definition.timeZone, occurrence: at.toISOString() };
    const dedupeKey = occurrenceKey(kind, at);
    const existing = await this.jobs.findByKey(dedupeKey);
    if (existing?.state === "cancelled" && existing.lastError !== SCHEDULE_REPLACED) return { job: existing, outcome: "unchanged" };
    return this.jobs.schedule({ kind, dueAt: at, payload, dedupeKey });
  }
}

/** Whether a pending occurrence was planned by this expression in this zone (its payload, read back as stored). */
function sameSchedule(payload: unknown, cron: string, timeZone: string): boolean {
  const planned = payload as Partial<RecurringPayload>;
  return planned.cron === cron && planned.timeZone === timeZone;
}

function normaliseCron(cronExpr: string): string {
  return cronExpr.trim().replace(/\s+/g, " ");
}

function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** croner's English reason, said in French and pointing at the user's own field. */
function frenchReason(error: unknown, expr: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const fields = expr.split(" ");
  const field = (index: number) => {
    const name = FIELD_NAMES[index];
    return name ? `le champ ${FIELD_LABELS[name]} : « ${fields[index] ?? ""} »` : "un champ";
  };
  // croner's own value is not quoted back: it is off by one for days and months.
  let m = /Invalid value for (\w+)/.exec(message);
  if (m) return `valeur impossible dans ${field(FIELD_NAMES.indexOf(m[1]!))}`;
  m = /(\w+) is not a number/.exec(message);
  if (m) return `nombre attendu dans ${field(FIELD_NAMES.indexOf(m[1]!))}`;
  // In 5-part mode croner puts a seconds field first, so its entry n is our field n − 1.
  m = /configuration entry (\d+) .*illegal characters/.exec(message);
  if (m) {
    return `caractères non reconnus dans ${field(Number(m[1]) - 1)}`;
  }
  if (/range|larger than/i.test(message)) return "intervalle invalide (attendu : début-fin, avec début ≤ fin)";
  if (/step/i.test(message)) return "pas invalide (attendu : */n ou début-fin/n, n ≥ 1)";
  if (/@reboot/.test(message)) return "@reboot n'est pas pris en charge";
  return "syntaxe non reconnue";
}
