// When people may be disturbed. Reminders and nudges are planned from a deadline (a poll's
// closing, a meeting's start); planned blindly, one can fall at 03:00. Every such time goes
// through daytimeBefore(), so the rule is the same for every feature: between 08:00 and 20:00
// local time, moved to the nearest allowed time that is still before the deadline.
import { DateTime } from "luxon";

/** The allowed hours, local time: from 08:00 to 20:00 inclusive. */
const DAYTIME = { fromHour: 8, toHour: 20 } as const;

/** Whether `at` falls between 08:00 and 20:00 (inclusive) in `timeZone`. */
export function isDaytime(at: Date, timeZone: string): boolean {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const minutes = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
  return minutes >= DAYTIME.fromHour * 60 && minutes <= DAYTIME.toHour * 60;
}

/**
 * The time to send what was planned for `at`: `at` itself when it is daytime; otherwise the
 * nearest of the evening's 20:00 before and the morning's 08:00 after that is strictly before
 * `deadline` and strictly after `notBefore` (usually now); the earlier one on a tie. Null when
 * neither fits (nothing can be sent at a decent hour before the deadline).
 */
export function daytimeBefore(at: Date, timeZone: string, deadline: Date, notBefore?: Date): Date | null {
  if (isDaytime(at, timeZone)) return at;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const morningDay = local.hour >= DAYTIME.toHour ? local.plus({ days: 1 }) : local;
  const eveningDay = local.hour >= DAYTIME.toHour ? local : local.minus({ days: 1 });
  const before = eveningDay.set({ hour: DAYTIME.toHour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  const after = morningDay.set({ hour: DAYTIME.fromHour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  const fits = (d: Date) => d.getTime() < deadline.getTime() && (!notBefore || d.getTime() > notBefore.getTime());
  const candidates = [before, after].filter(fits).sort((a, b) => Math.abs(a.getTime() - at.getTime()) - Math.abs(b.getTime() - at.getTime()) || a.getTime() - b.getTime());
  return candidates[0] ?? null;
}
