/**
 * The French dates people type — a meeting start, a poll's closing, a proposed slot — and
 * durations. Shared by the meetings and the polls, so a date is typed the same way everywhere.
 * Everything is computed in the bot's zone (BOT_TIMEZONE) with luxon, relative to the injected
 * Clock's "now" (never Date.now()).
 *
 * chrono-node reads the French text, but its zone support is a fixed offset. So it only gives
 * wall-clock components (day, month, hour…), read against the zone's current offset; the instant
 * is then rebuilt from those components with luxon, which knows the zone's DST rules. That is
 * also where a wall time that does not exist (spring gap) or happens twice (autumn overlap) is
 * caught and refused rather than guessed.
 */
import { DateTime } from "luxon";
import { formatDate, formatWeekdayAndDay, formatWhen } from "./dates.js";
import { lazy } from "./lazy.js";

/** chrono-node's French locale, loaded on the first date to read. */
const chronoFr = lazy<typeof import("chrono-node/fr")>("chrono-node/fr");
type ChronoResult = ReturnType<(typeof import("chrono-node/fr"))["parse"]>[number];
type ChronoReference = import("chrono-node").ParsingReference;
type Components = ChronoResult["start"];

/** « 2 h », « 1 h 30 », « 45 min ». */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

interface StartOptions {
  now: Date;
  timeZone: string;
  /** Earliest and latest accepted local hour (a meeting at 3 h is almost surely « 15 h » mistyped). */
  hours?: { from: number; to: number };
  /** How far ahead a meeting may be planned. */
  maxDaysAhead?: number;
}

/** Words chrono leaves around a date that carry no meaning of their own. */
const FILLER = /^(le|la|l'|à|a|au|de|du|vers|h|heures?|,|\.|-)$/i;
/** A date typed without year that fell within this many days in the past is a mistake, not next year. */
const RECENT_PAST_DAYS = 31;

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * Reads a meeting start such as « 12/03/2026 14h30 », « 12 mars 14h » or « jeudi prochain 9h ».
 * Refuses, with the reading the bot understood: no date found, no hour, a range, words it could
 * not read, a weekday that contradicts the date, a past instant, a local time that does not exist
 * or exists twice (DST), an unusual hour, a date too far ahead.
 */
export function parseStart(text: string, options: StartOptions): Parsed<{ at: Date; reading: string; relative?: string }> {
  const { now, timeZone } = options;
  const input = text.trim();
  const numeric = numericDate(input);
  if (numeric && !numeric.ok) return numeric;
  const zoneNow = DateTime.fromJSDate(now, { zone: timeZone });
  const found = readOneDate(input, now, zoneNow);
  if (!found.ok) return found;
  const start = found.value;
  const wall: Wall = { year: start.get("year")!, month: start.get("month")!, day: start.get("day")!, hour: start.get("hour")!, minute: start.get("minute") ?? 0 };
  const local = DateTime.fromObject(wall, { zone: timeZone });
  if (!local.isValid) return { ok: false, error: `la date « ${input} » n'existe pas` };
  const reading = formatWhen(local.toJSDate(), timeZone);
  const refusal =
    (numeric?.ok && (numeric.value.day !== wall.day || numeric.value.month !== wall.month)
      ? `j'ai compris ${reading}, mais une date en chiffres se lit jour/mois/année : vérifiez « ${input} »`
      : null) ??
    wallTimeProblem(local, wall, start, timeZone) ??
    whenProblem(local, zoneNow, start, reading, options);
  if (refusal) return { ok: false, error: refusal };
  const relative = start.isCertain("day") ? undefined : relativeNote(local, zoneNow, start.isCertain("weekday"));
  return { ok: true, value: { at: local.toJSDate(), reading, ...(relative ? { relative } : {}) } };
}

/** chrono's one reading of the text, with a certain hour and nothing left unread. */
function readOneDate(input: string, now: Date, zoneNow: DateTime): Parsed<Components> {
  // The zone's current offset gives chrono the local "today" and "now"; components are rebuilt by the caller.
  // Typed as chrono's own reference, whose spelling is `timezone`: a misspelt key would be ignored silently.
  const reference: ChronoReference = { instant: now, timezone: zoneNow.offset };
  const read = normalise(input);
  const results = chronoFr().parse(read, reference, { forwardDate: true });
  if (results.length === 0) {
    return { ok: false, error: `je ne reconnais pas de date dans « ${input} »` };
  }
  if (results.length > 1) {
    return { ok: false, error: `plusieurs dates dans « ${input} » (${results.map((r) => `« ${r.text} »`).join(", ")}) : donnez-en une seule` };
  }
  const result = results[0]!;
  const leftover = (read.slice(0, result.index) + " " + read.slice(result.index + result.text.length))
    .split(/\s+/)
    .filter((w) => w && !FILLER.test(w));
  if (leftover.length > 0) {
    return { ok: false, error: `je n'ai compris que « ${result.text} » dans « ${input} » (« ${leftover.join(" ")} » n'est pas une date)` };
  }
  if (result.end) {
    return { ok: false, error: `« ${result.text} » est une période : donnez seulement le début (la durée se règle avec l'option duree)` };
  }
  if (!result.start.isCertain("hour")) {
    return { ok: false, error: `l'heure manque dans « ${input} » (par exemple « ${input} 14h »)` };
  }
  return { ok: true, value: result.start };
}

/** A wall time that does not exist (spring gap) or exists twice (autumn overlap), or a weekday that contradicts the date. */
function wallTimeProblem(local: DateTime, wall: Wall, start: Components, timeZone: string): string | null {
  if (local.hour !== wall.hour || local.minute !== wall.minute) {
    return `${pad(wall.hour)}:${pad(wall.minute)} n'existe pas le ${formatDate(local.toJSDate(), timeZone)} (passage à l'heure d'été) : choisissez une autre heure`;
  }
  const other = [local.minus({ hours: 1 }), local.plus({ hours: 1 })].find((d) => d.hour === wall.hour && d.minute === wall.minute && d.day === wall.day);
  if (other) {
    return `${pad(wall.hour)}:${pad(wall.minute)} existe deux fois le ${formatDate(local.toJSDate(), timeZone)} (passage à l'heure d'hiver) : choisissez une autre heure`;
  }
  if (start.isCertain("weekday") && start.isCertain("day")) {
    const typed = start.get("weekday")!;
    if (typed % 7 !== local.weekday % 7) {
      return `le ${formatDate(local.toJSDate(), timeZone)} est un ${local.setLocale("fr").toFormat("cccc")}, pas un ${WEEKDAYS[typed % 7]} : lequel des deux ?`;
    }
  }
  return null;
}

/** A date just past (moved to next year by chrono), a past instant, an unusual hour, a date too far ahead. */
function whenProblem(local: DateTime, zoneNow: DateTime, start: Components, reading: string, options: StartOptions): string | null {
  const hours = options.hours ?? { from: 7, to: 22 };
  const maxDaysAhead = options.maxDaysAhead ?? 730;
  if (!start.isCertain("year") && start.isCertain("month") && local.year > zoneNow.year) {
    // chrono moved a date already past this year to next year. Just past, it is surely a mistake.
    const thisYear = local.set({ year: zoneNow.year });
    if (thisYear < zoneNow && zoneNow.diff(thisYear, "days").days <= RECENT_PAST_DAYS) {
      return `le ${formatWhen(thisYear.toJSDate(), options.timeZone)} est passé ; si vous pensiez au ${reading}, précisez l'année`;
    }
  }
  if (local.toMillis() <= options.now.getTime()) return `j'ai compris ${reading}, qui est passé`;
  if (local.hour < hours.from || local.hour > hours.to || (local.hour === hours.to && local.minute > 0)) {
    return `j'ai compris ${reading} : une rencontre commence entre ${hours.from} h et ${hours.to} h ; précisez l'heure (par exemple « 14h » plutôt que « 2h »)`;
  }
  if (local.diff(zoneNow, "days").days > maxDaysAhead) {
    return `j'ai compris ${reading} : c'est plus de ${Math.round(maxDaysAhead / 365)} ans à l'avance`;
  }
  return null;
}

/**
 * What chrono should read: « 14 h 30 » and « 14 h » as « 14h30 » and « 14h » (chrono stops at the
 * space), and « dans 3 jours 14h » with its « à » (without it, chrono adds 14 hours to the delay).
 */
function normalise(input: string): string {
  return input
    .replace(/\b(\d{1,2})\s*h\s*(\d{2})\b/gi, "$1h$2")
    .replace(/\b(\d{1,2})\s+h\b/gi, "$1h")
    .replace(/\b(dans\s+\S+\s+(?:jours?|semaines?|mois))\s+(?!à\b)(?=\d)/gi, "$1 à ");
}

/**
 * A date typed in figures is always day/month(/year), as in France: « 12/13/2027 » is refused
 * (there is no month 13) rather than read the American way.
 */
function numericDate(input: string): Parsed<{ day: number; month: number }> | null {
  const m = /(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?(?![\d/.-])/.exec(input);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) {
    return { ok: false, error: `« ${m[0]} » : une date en chiffres se lit jour/mois/année, et il n'y a pas de mois ${month}` };
  }
  if (day < 1 || day > 31) return { ok: false, error: `« ${m[0]} » : une date en chiffres se lit jour/mois/année, et il n'y a pas de jour ${day}` };
  return { ok: true, value: { day, month } };
}

/** For a date given relatively (« jeudi prochain », « dans 3 jours »): how far it is, and which weekday it is not. */
function relativeNote(local: DateTime, zoneNow: DateTime, byWeekday: boolean): string {
  const days = Math.round(local.startOf("day").diff(zoneNow.startOf("day"), "days").days);
  const when = days === 0 ? "aujourd'hui" : days === 1 ? "demain" : `dans ${days} jours`;
  if (!byWeekday || days < 7) return when;
  const nearer = local.minus({ weeks: Math.floor(days / 7) });
  return `${when}, pas le ${formatWeekdayAndDay(nearer.toJSDate(), nearer.zoneName ?? "UTC")}`;
}

const WEEKDAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
const pad = (n: number) => String(n).padStart(2, "0");

const DURATION_LIMITS = { min: 15, max: 12 * 60 } as const;

/** « 2h », « 1h30 », « 1 h 30 », « 90min », « 3 heures »: minutes between 15 min and 12 h. */
export function parseDuration(text: string): Parsed<number> {
  const input = text.trim().toLowerCase().replace(/\s+/g, "");
  const m = /^(?:(\d{1,2})(?:h|heures?))?(?:(\d{1,3})(?:min|minutes?|mn)?)?$/.exec(input);
  if (!input || !m || (m[1] === undefined && m[2] === undefined)) {
    return { ok: false, error: `« ${text.trim()} » n'est pas une durée` };
  }
  // « 1h30 »: the minutes after an hour need no unit; alone (« 90 »), they need one.
  if (m[1] === undefined && !/(min|minutes?|mn)$/.test(input)) return { ok: false, error: `« ${text.trim()} » : précisez l'unité (h ou min)` };
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  if (m[1] !== undefined && m[2] !== undefined && Number(m[2]) >= 60) return { ok: false, error: `« ${text.trim()} » : les minutes vont de 0 à 59` };
  if (minutes < DURATION_LIMITS.min || minutes > DURATION_LIMITS.max) {
    return { ok: false, error: `${formatMinutes(minutes)} est hors limites (de ${formatMinutes(DURATION_LIMITS.min)} à ${formatMinutes(DURATION_LIMITS.max)})` };
  }
  return { ok: true, value: minutes };
}
