/**
 * French dates for polls and practice-analysis slots. The reading itself is shared with the
 * meetings (src/core/date-input.ts), so a closing date is typed exactly as a meeting date is;
 * this file only adapts it: any hour for a closing date, and slot ranges
 * (« mardi 10 mars de 9h à 12h », « jeudi 14h-17h »), which the start parser leaves out.
 */
import { parseStart, type Parsed } from "../date-input.js";
import { formatLongDay, formatTime } from "../dates.js";

/** A closing date: any hour of the day, in the future, within two years. */
export function parseClosing(text: string, now: Date, timeZone: string): Parsed<{ at: Date; reading: string }> {
  return parseStart(text, { now, timeZone, hours: { from: 0, to: 23 }, maxDaysAhead: 730 });
}

interface Slot {
  startsAt: Date;
  endsAt: Date;
  reading: string;
}

const HOUR = String.raw`(\d{1,2})\s*(?:h|:)\s*(\d{2})?`;
// « … de 9h à 12h », « … 9h-12h », « … 9h – 12h30 »
const RANGE = new RegExp(String.raw`^(.*?)\s*(?:de\s+)?${HOUR}\s*(?:-|–|à|a)\s*${HOUR}\s*$`, "i");

/** One proposed slot: a start (and optionally an end hour the same day); else `defaultMinutes` long. */
export function parseSlot(text: string, now: Date, timeZone: string, defaultMinutes: number): Parsed<Slot> {
  const range = RANGE.exec(text.trim());
  const startText = range ? `${range[1]} ${range[2]}h${range[3] ?? ""}`.trim() : text;
  const start = parseStart(startText, { now, timeZone });
  if (!start.ok) return start;
  let minutes = defaultMinutes;
  if (range) {
    const from = Number(range[2]) * 60 + Number(range[3] ?? 0);
    const to = Number(range[4]) * 60 + Number(range[5] ?? 0);
    if (to <= from || Number(range[4]) > 23 || Number(range[5] ?? 0) > 59) {
      return { ok: false, error: `« ${text.trim()} » : l'heure de fin doit être après l'heure de début, le même jour` };
    }
    minutes = to - from;
  }
  const endsAt = new Date(start.value.at.getTime() + minutes * 60_000);
  return { ok: true, value: { startsAt: start.value.at, endsAt, reading: slotLabel(start.value.at, endsAt, timeZone) } };
}

/** « mardi 10 mars 2026, 09:00–12:00 ». */
export function slotLabel(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${formatLongDay(startsAt, timeZone)}, ${formatTime(startsAt, timeZone)}–${formatTime(endsAt, timeZone)}`;
}
