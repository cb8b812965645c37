/**
 * Reminder offsets before a meeting (« 7j,1j,2h ») and the instants they fall due, in the bot's
 * zone. The dates people type are read by src/core/date-input.ts, shared with the polls.
 */
import { DateTime } from "luxon";
import type { Parsed } from "../date-input.js";
import { plural } from "../../shared/plural.js";

/** One reminder offset: « 7j » is seven calendar days before in the bot's zone; « 2h », « 30min » are durations. */
export interface Offset {
  /** Normalised label, also the reminder's identity: « 7j », « 2h », « 30min ». */
  label: string;
  unit: "j" | "h" | "min";
  amount: number;
  /** Approximate length, for ordering and limits (a day counts 24 h). */
  minutes: number;
}

const OFFSET_LIMITS = { count: 5, minMinutes: 5, maxDays: 60 } as const;
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
