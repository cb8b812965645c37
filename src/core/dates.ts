/**
 * The one French date formatter: dates are stored in UTC and always shown in the bot's zone, with
 * « 1er » for the first day of a month (« dimanche 1er mars 2026 ») and elapsed times written the
 * way people say them (« il y a moins d'une heure », never « il y a 0 h »).
 */
import { plural } from "../shared/plural.js";

type Parts = Intl.DateTimeFormatOptions;

const DAY: Parts = { day: "numeric", month: "long", year: "numeric" };
const WEEKDAY: Parts = { weekday: "long", ...DAY };
const TIME: Parts = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

/** Intl's French with the day of the month as French writes it (« 1er », « 2 »…). */
function frenchParts(date: Date, timeZone: string, options: Parts): Intl.DateTimeFormatPart[] {
  return new Intl.DateTimeFormat("fr-FR", { timeZone, ...options })
    .formatToParts(date)
    .map((p) => (p.type === "day" && p.value === "1" ? { ...p, value: "1er" } : p));
}

function join(parts: Intl.DateTimeFormatPart[]): string {
  return parts.map((p) => p.value).join("");
}

/** « 1er mars 2026 ». */
export function formatDate(date: Date, timeZone: string): string {
  return join(frenchParts(date, timeZone, DAY));
}

/** « dimanche 1er mars 2026 ». */
export function formatLongDay(date: Date, timeZone: string): string {
  return join(frenchParts(date, timeZone, WEEKDAY));
}

/** « jeudi 1er mars », for a date close enough that the year goes without saying. */
export function formatWeekdayAndDay(date: Date, timeZone: string): string {
  return join(frenchParts(date, timeZone, { weekday: "long", day: "numeric", month: "long" }));
}

/** « 09:05 ». */
export function formatTime(date: Date, timeZone: string): string {
  return join(frenchParts(date, timeZone, TIME));
}

/** « dimanche 1er mars 2026 à 09:05 ». */
export function formatDateTime(date: Date, timeZone: string): string {
  return `${formatLongDay(date, timeZone)} à ${formatTime(date, timeZone)}`;
}

/** What was understood, said back in every refusal and confirmation (« dimanche 1er mars 2026 à 09:00 »). */
export function formatWhen(at: Date, timeZone: string): string {
  return formatDateTime(at, timeZone);
}

/** « moins d'une heure », « 5 h », « 1 jour », « 12 jours »: how long ago or how long since, never « 0 h ». */
function elapsed(from: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - from.getTime()) / 3_600_000);
  if (hours < 1) return "moins d'une heure";
  if (hours < 24) return `${hours} h`;
  return plural(Math.floor(hours / 24), "jour", "jours");
}

/** « il y a moins d'une heure », « il y a 3 jours ». */
export function ago(from: Date, now: Date): string {
  return `il y a ${elapsed(from, now)}`;
}

/** A whole number of days as a duration: « moins d'un jour », « 1 jour », « 7 jours ». */
export function days(n: number): string {
  return n < 1 ? "moins d'un jour" : plural(Math.floor(n), "jour", "jours");
}
