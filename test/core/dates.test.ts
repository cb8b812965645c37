import { describe, expect, it } from "vitest";
import { ago, days, formatDate, formatDateTime, formatLongDay, formatWeekdayAndDay, formatWhen } from "../../src/core/dates.js";
import { slotLabel } from "../../src/core/polls/when.js";

const TZ = "Europe/Paris";
const FIRST = new Date("2026-03-01T08:05:00Z"); // Sunday 1 March 2026, 09:05 in Paris

describe("the one French date formatter", () => {
  it("writes « 1er » for the first day of a month, in every form", () => {
    expect(formatDate(FIRST, TZ)).toBe("1er mars 2026");
    expect(formatLongDay(FIRST, TZ)).toBe("dimanche 1er mars 2026");
    expect(formatWeekdayAndDay(FIRST, TZ)).toBe("dimanche 1er mars");
    expect(formatDateTime(FIRST, TZ)).toBe("dimanche 1er mars 2026 à 09:05");
    expect(formatWhen(FIRST, TZ)).toBe("dimanche 1er mars 2026 à 09:05");
    expect(slotLabel(FIRST, new Date("2026-03-01T11:00:00Z"), TZ)).toBe("dimanche 1er mars 2026, 09:05–12:00");
  });

  it("keeps the other days as numbers, in the bot's zone", () => {
    expect(formatDate(new Date("2026-03-11T23:30:00Z"), TZ)).toBe("12 mars 2026");
    expect(formatDateTime(new Date("2026-02-28T23:30:00Z"), TZ)).toBe("dimanche 1er mars 2026 à 00:30");
  });
});

describe("elapsed times", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  it("says « il y a moins d'une heure » rather than « il y a 0 h »", () => {
    expect(ago(new Date("2026-03-10T11:30:00Z"), now)).toBe("il y a moins d'une heure");
    expect(ago(new Date("2026-03-10T09:00:00Z"), now)).toBe("il y a 3 h");
    expect(ago(new Date("2026-03-09T11:00:00Z"), now)).toBe("il y a 1 jour");
    expect(ago(new Date("2026-03-01T12:00:00Z"), now)).toBe("il y a 9 jours");
  });

  it("writes a number of days without « 0 jour » nor « jour(s) »", () => {
    expect(days(0)).toBe("moins d'un jour");
    expect(days(1)).toBe("1 jour");
    expect(days(14)).toBe("14 jours");
  });
});
