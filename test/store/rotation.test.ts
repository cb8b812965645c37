import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";

import { planRotation } from "../../src/store/index.js";

describe("planRotation", () => {
  it("over a simulated year of nightly backups keeps the last 7 days, 5 weeks and 12 months", () => {
    const zone = "Europe/Paris";
    let kept: { at: Date }[] = [];
    let day = DateTime.fromISO("2026-01-01T03:00", { zone });
    const end = DateTime.fromISO("2027-01-31T03:00", { zone });
    for (; day <= end; day = day.plus({ days: 1 })) {
      kept = planRotation([...kept, { at: day.toJSDate() }], zone).keep;
      expect(kept.length).toBeLessThanOrEqual(7 + 5 + 12);
    }
    const days = kept.map((b) => DateTime.fromJSDate(b.at, { zone }).toISODate());
    // The last 7 nights…
    expect(days.slice(0, 7)).toEqual(["2027-01-31", "2027-01-30", "2027-01-29", "2027-01-28", "2027-01-27", "2027-01-26", "2027-01-25"]);
    // …the last night of each of the 5 last weeks (ISO weeks end on Sunday)…
    for (const sunday of ["2027-01-24", "2027-01-17", "2027-01-10", "2027-01-03"]) expect(days).toContain(sunday);
    // …and the last night of each of the 12 last months.
    for (const month of ["2026-02-28", "2026-03-31", "2026-06-30", "2026-10-31", "2026-12-31"]) expect(days).toContain(month);
    expect(days).not.toContain("2026-01-31");
    expect(days).not.toContain("2026-12-30");
    expect(new Set(days).size).toBe(days.length);
  });
});
