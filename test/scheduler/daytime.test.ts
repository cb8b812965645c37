import { describe, expect, it } from "vitest";

import { daytimeBefore, isDaytime } from "../../src/scheduler/index.js";

const PARIS = "Europe/Paris";
const at = (iso: string) => new Date(iso);

describe("reminders and nudges at a decent hour (08:00–20:00, Paris)", () => {
  it("leaves a daytime time as it is, 08:00 and 20:00 included", () => {
    expect(isDaytime(at("2026-03-04T07:00:00Z"), PARIS)).toBe(true); // 08:00
    expect(isDaytime(at("2026-03-04T19:00:00Z"), PARIS)).toBe(true); // 20:00
    expect(isDaytime(at("2026-03-04T19:01:00Z"), PARIS)).toBe(false);
    expect(daytimeBefore(at("2026-03-04T13:00:00Z"), PARIS, at("2026-03-05T13:00:00Z"))).toEqual(at("2026-03-04T13:00:00Z"));
  });

  it("moves a 03:00 reminder to the nearest allowed time: 08:00 the same morning", () => {
    // A poll closing on Thursday at 03:00: its reminder, a day before, would fall on Wednesday at 03:00.
    expect(daytimeBefore(at("2026-03-04T02:00:00Z"), PARIS, at("2026-03-05T02:00:00Z"))).toEqual(at("2026-03-04T07:00:00Z"));
  });

  it("moves a 22:00 reminder back to 20:00, and never past the deadline", () => {
    expect(daytimeBefore(at("2026-03-04T21:00:00Z"), PARIS, at("2026-03-05T21:00:00Z"))).toEqual(at("2026-03-04T19:00:00Z"));
    // A meeting at 08:30: a reminder at 06:30 goes at 08:00, still before it; one at 07:30 for a meeting at 07:45 goes the evening before.
    expect(daytimeBefore(at("2026-03-04T05:30:00Z"), PARIS, at("2026-03-04T07:30:00Z"))).toEqual(at("2026-03-04T07:00:00Z"));
    expect(daytimeBefore(at("2026-03-04T05:30:00Z"), PARIS, at("2026-03-04T06:45:00Z"))).toEqual(at("2026-03-03T19:00:00Z"));
  });

  it("gives up when no decent hour is left between now and the deadline", () => {
    expect(daytimeBefore(at("2026-03-04T05:30:00Z"), PARIS, at("2026-03-04T06:45:00Z"), at("2026-03-03T22:00:00Z"))).toBeNull();
  });

  it("follows local time across the change to summer time", () => {
    // Sunday 29 March 2026, 02:30 UTC = 04:30 CEST: moved to 08:00 CEST = 06:00 UTC.
    expect(daytimeBefore(at("2026-03-29T02:30:00Z"), PARIS, at("2026-03-30T02:30:00Z"))).toEqual(at("2026-03-29T06:00:00Z"));
  });
});
