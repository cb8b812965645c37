/**
 * Meeting times: the French start date an animator types, durations, reminder offsets, and the
 * instants derived from them. Everything is computed in the bot's zone (BOT_TIMEZONE) with
 * luxon, relative to the injected Clock's "now" (never Date.now()).
 *
 * chrono-node reads the French text, but its zone support is a fixed offset. So it only gives
 * wall-clock components (day, month, hour…), read against the zone's current offset; the instant
 * is then rebuilt from those components with luxon, which knows the zone's DST rules. That is
 * also where a wall time that does not exist (spring gap) or happens twice (autumn overlap) is
 * caught and refused rather than guessed.
 */
import { lazy } from "../lazy.js";

/** chrono-node's French locale, loaded on the first date to read. */
const chronoFr = lazy<typeof import("chrono-node/fr")>("chrono-node/fr");
import { DateTime } from "luxon";
import { formatDate, formatDateTime, formatWeekdayAndDay } from "../dates.js";
import { plural } from "../plural.js";

/** What was understood, said back to the animator in every refusal and confirmation (« dimanche 1er mars 2026 à 09:00 »). */
export function formatWhen(at: Date, timeZone: string): string {
  return formatDateTime(at, timeZone);
}

/** « 2 h », « 1 h 30 », « 45 min ». */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface StartOptions {
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

/**
 * Reads a meeting start such as « 12/03/2026 14h30 », « 12 mars 14h » or « jeudi prochain 9h ».
 * Refuses, with the reading the bot understood: no date found, no hour, a range, words it could
 * not read, a weekday that contradicts the date, a past instant, a local time that does not exist
 * or exists twice (DST), an unusual hour, a date too far ahead.
 */
export function parseStart(text: string, options: StartOptions): Parsed<{ at: Date; reading: string; relative?: string }> {
  const { now, timeZone } = options;
  const hours = options.hours ?? { from: 7, to: 22 };
  const maxDaysAhead = options.maxDaysAhead ?? 730;
  const input = text.trim();
  const numeric = numericDate(input);
  if (numeric && !numeric.ok) return numeric;
  const zoneNow = DateTime.fromJSDate(now, { zone: timeZone });
  // The zone's current offset gives chrono the local "today" and "now"; components are rebuilt below.
  const reference = { instant: now, timezone: zoneNow.offset };
  const results = chronoFr().parse(normalise(input), reference, { forwardDate: true });
  if (results.length === 0) {
    return { ok: false, error: `je ne reconnais pas de date dans « ${input} »` };
  }
  if (results.length > 1) {
    return { ok: false, error: `plusieurs dates dans « ${input} » (${results.map((r) => `« ${r.text} »`).join(", ")}) : donnez-en une seule` };
  }
  const result = results[0]!;
  const read = normalise(input);
  const leftover = (read.slice(0, result.index) + " " + read.slice(result.index + result.text.length))
    .split(/\s+/)
    .filter((w) => w && !FILLER.test(w));
  if (leftover.length > 0) {
    return { ok: false, error: `je n'ai compris que « ${result.text} » dans « ${input} » (« ${leftover.join(" ")} » n'est pas une date)` };
  }
  if (result.end) {
    return { ok: false, error: `« ${result.text} » est une période : donnez seulement le début (la durée se règle avec l'option duree)` };
  }
  const start = result.start;
  if (!start.isCertain("hour")) {
    return { ok: false, error: `l'heure manque dans « ${input} » (par exemple « ${input} 14h »)` };
  }
  const wall = {
    year: start.get("year")!,
    month: start.get("month")!,
    day: start.get("day")!,
    hour: start.get("hour")!,
    minute: start.get("minute") ?? 0,
  };
  const local = DateTime.fromObject(wall, { zone: timeZone });
  if (!local.isValid) return { ok: false, error: `la date « ${input} » n'existe pas` };
  const reading = formatWhen(local.toJSDate(), timeZone);
  if (numeric?.ok && (numeric.value.day !== wall.day || numeric.value.month !== wall.month)) {
    return { ok: false, error: `j'ai compris ${reading}, mais une date en chiffres se lit jour/mois/année : vérifiez « ${input} »` };
  }
  if (local.hour !== wall.hour || local.minute !== wall.minute) {
    return { ok: false, error: `${pad(wall.hour)}:${pad(wall.minute)} n'existe pas le ${formatDate(local.toJSDate(), timeZone)} (passage à l'heure d'été) : choisissez une autre heure` };
  }
  const other = [local.minus({ hours: 1 }), local.plus({ hours: 1 })].find((d) => d.hour === wall.hour && d.minute === wall.minute && d.day === wall.day);
  if (other) {
    return { ok: false, error: `${pad(wall.hour)}:${pad(wall.minute)} existe deux fois le ${formatDate(local.toJSDate(), timeZone)} (passage à l'heure d'hiver) : choisissez une autre heure` };
  }
  if (start.isCertain("weekday") && start.isCertain("day")) {
    const typed = start.get("weekday")!;
    if (typed % 7 !== local.weekday % 7) {
      return { ok: false, error: `le ${formatDate(local.toJSDate(), timeZone)} est un ${local.setLocale("fr").toFormat("cccc")}, pas un ${WEEKDAYS[typed % 7]} : lequel des deux ?` };
    }
  }
  if (!start.isCertain("year") && start.isCertain("month") && local.year > zoneNow.year) {
    // chrono moved a date already past this year to next year. Just past, it is surely a mistake.
    const thisYear = local.set({ year: zoneNow.year });
    if (thisYear < zoneNow && zoneNow.diff(thisYear, "days").days <= RECENT_PAST_DAYS) {
      return {
        ok: false,
        error: `le ${formatWhen(thisYear.toJSDate(), timeZone)} est passé ; si vous pensiez au ${reading}, précisez l'année`,
      };
    }
  }
  if (local.toMillis() <= now.getTime()) {
    return { ok: false, error: `j'ai compris ${reading}, qui est passé` };
  }
  if (wall.hour < hours.from || wall.hour > hours.to || (wall.hour === hours.to && wall.minute > 0)) {
    return { ok: false, error: `j'ai compris ${reading} : une rencontre commence entre ${hours.from} h et ${hours.to} h ; précisez l'heure (par exemple « 14h » plutôt que « 2h »)` };
  }
  if (local.diff(zoneNow, "days").days > maxDaysAhead) {
    return { ok: false, error: `j'ai compris ${reading} : c'est plus de ${Math.round(maxDaysAhead / 365)} ans à l'avance` };
  }
  const relative = start.isCertain("day") ? undefined : relativeNote(local, zoneNow, start.isCertain("weekday"));
  return { ok: true, value: { at: local.toJSDate(), reading, ...(relative ? { relative } : {}) } };
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

export const DURATION_LIMITS = { min: 15, max: 12 * 60 } as const;

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

/** One reminder offset: « 7j » is seven calendar days before in the bot's zone; « 2h », « 30min » are durations. */
export interface Offset {
  /** Normalised label, also the reminder's identity: « 7j », « 2h », « 30min ». */
  label: string;
  unit: "j" | "h" | "min";
  amount: number;
  /** Approximate length, for ordering and limits (a day counts 24 h). */
  minutes: number;
}

export const OFFSET_LIMITS = { count: 5, minMinutes: 5, maxDays: 60 } as const;
export const DEFAULT_REMINDERS = "7j,1j,2h";

/** « 7j,1j,2h », « 7 j 1 j 2 h », « 30min », or « aucun »: largest first, duplicates refused. */
export function parseOffsets(text: string): Parsed<Offset[]> {
  const input = text.trim().toLowerCase();
  if (input === "aucun" || input === "aucuns" || input === "non" || input === "0") return { ok: true, value: [] };
  const tokens = input.replace(/(\d)\s+(?=[a-z])/g, "$1").split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, error: "aucun rappel indiqué" };
  const offsets: Offset[] = [];
  for (const token of tokens) {
    const m = /^(\d{1,4})(j|jours?|h|heures?|min|minutes?|mn)$/.exec(token);
    if (!m) return { ok: false, error: `« ${token} » n'est pas un délai (nombre suivi de j, h ou min)` };
    const amount = Number(m[1]);
    const unit = m[2]!.startsWith("j") ? "j" : m[2]!.startsWith("h") ? "h" : "min";
    const minutes = amount * (unit === "j" ? 1440 : unit === "h" ? 60 : 1);
    if (minutes < OFFSET_LIMITS.minMinutes) return { ok: false, error: `« ${token} » : ${OFFSET_LIMITS.minMinutes} min au moins avant la rencontre` };
    if (minutes > OFFSET_LIMITS.maxDays * 1440) return { ok: false, error: `« ${token} » : ${OFFSET_LIMITS.maxDays} jours au plus avant la rencontre` };
    const label = `${amount}${unit}`;
    if (offsets.some((o) => o.minutes === minutes)) return { ok: false, error: `« ${token} » est donné deux fois` };
    offsets.push({ label, unit, amount, minutes });
  }
  if (offsets.length > OFFSET_LIMITS.count) return { ok: false, error: `${offsets.length} rappels : ${OFFSET_LIMITS.count} au plus` };
  return { ok: true, value: offsets.sort((a, b) => b.minutes - a.minutes) };
}

export function offsetsLabel(offsets: readonly Offset[]): string {
  return offsets.map((o) => o.label).join(",");
}

/** « 7 jours », « 1 jour », « 2 heures », « 30 minutes ». */
export function describeOffset(offset: Offset): string {
  if (offset.unit === "j") return plural(offset.amount, "jour", "jours");
  if (offset.unit === "h") return plural(offset.amount, "heure", "heures");
  return plural(offset.amount, "minute", "minutes");
}

/**
 * When a reminder is due. Days are calendar days in the zone, so « 1j » before a meeting at
 * 14:00 is 14:00 local the day before even across a clock change (23 or 25 hours earlier);
 * hours and minutes are plain durations. A local time that does not exist that day (spring gap)
 * moves forward by the gap, as luxon (and croner, for recurring jobs) does.
 */
export function reminderDueAt(start: Date, offset: Offset, timeZone: string): Date {
  if (offset.unit === "j") return DateTime.fromJSDate(start, { zone: timeZone }).minus({ days: offset.amount }).toJSDate();
  return new Date(start.getTime() - offset.minutes * 60_000);
}
