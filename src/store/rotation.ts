// Which backups to keep: the newest of each of the last 7 days, 5 weeks and 12 months that have
// one (grandfather-father-son), days and weeks counted in the bot's time zone.
import { DateTime } from "luxon";

const RETENTION = { daily: 7, weekly: 5, monthly: 12 } as const;

interface Dated {
  at: Date;
}

/** Splits `backups` into those to keep and those to delete. */
export function planRotation<T extends Dated>(backups: readonly T[], timeZone: string, retention = RETENTION): { keep: T[]; remove: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<T>();
  const buckets: [number, (d: DateTime) => string][] = [
    [retention.daily, (d) => d.toISODate()!],
    [retention.weekly, (d) => `${d.weekYear}-W${d.weekNumber}`],
    [retention.monthly, (d) => d.toFormat("yyyy-MM")],
  ];
  for (const [count, bucketOf] of buckets) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const bucket = bucketOf(DateTime.fromJSDate(backup.at, { zone: timeZone }));
      if (seen.has(bucket)) continue;
      if (seen.size >= count) break;
      seen.add(bucket);
      keep.add(backup);
    }
  }
  return { keep: newestFirst.filter((b) => keep.has(b)), remove: newestFirst.filter((b) => !keep.has(b)) };
}
