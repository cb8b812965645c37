import { describe, expect, it } from "vitest";
import { parseOffsets, reminderDueAt, type Offset } from "../../../src/core/meetings/when.js";

const tz = "Europe/Paris";
const offset = (label: string): Offset => {
  const parsed = parseOffsets(label);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value[0]!;
};

describe("reminder offsets", () => {
  it("reads days, hours and minutes, largest first", () => {
    const parsed = parseOffsets("2h, 7j,1 j,30min");
    expect(parsed.ok && parsed.value.map((o) => o.label)).toEqual(["7j", "1j", "2h", "30min"]);
    expect(parseOffsets("aucun")).toEqual({ ok: true, value: [] });
  });

  it("refuses unknown units, duplicates, too many and out-of-range offsets", () => {
    expect(parseOffsets("3 semaines")).toMatchObject({ ok: false, error: expect.stringContaining("n'est pas un délai") });
    expect(parseOffsets("1j,24h")).toEqual({ ok: false, error: "« 24h » est donné deux fois" });
    expect(parseOffsets("1j,2j,3j,4j,5j,6j")).toEqual({ ok: false, error: "6 rappels : 5 au plus" });
    expect(parseOffsets("2min")).toMatchObject({ ok: false, error: expect.stringContaining("5 min au moins") });
    expect(parseOffsets("90j")).toMatchObject({ ok: false, error: expect.stringContaining("60 jours au plus") });
  });
});

describe("reminder times across the 2026 clock changes", () => {
  it("puts « 1j » at the same local hour the day before the March change (23 hours earlier)", () => {
    // Sunday 29 March 14:00 CEST; the day before is still winter time.
    const meeting = new Date("2026-03-29T12:00:00Z");
    expect(reminderDueAt(meeting, offset("1j"), tz)).toEqual(new Date("2026-03-28T13:00:00Z")); // 14:00 CET
    expect(reminderDueAt(meeting, offset("2h"), tz)).toEqual(new Date("2026-03-29T10:00:00Z"));
  });

  it("keeps « 7j » and « 1j » at 14:00 local for a meeting the day after the March change", () => {
    const meeting = new Date("2026-03-30T12:00:00Z"); // Monday 30 March 14:00 CEST
    expect(reminderDueAt(meeting, offset("1j"), tz)).toEqual(new Date("2026-03-29T12:00:00Z")); // Sunday 14:00 CEST
    expect(reminderDueAt(meeting, offset("7j"), tz)).toEqual(new Date("2026-03-23T13:00:00Z")); // Monday 23, 14:00 CET
  });

  it("puts « 1j » at the same local hour the day before the October change (25 hours earlier)", () => {
    const meeting = new Date("2026-10-26T13:00:00Z"); // Monday 26 October 14:00 CET
    expect(reminderDueAt(meeting, offset("1j"), tz)).toEqual(new Date("2026-10-25T13:00:00Z")); // Sunday 14:00 CET
    expect(reminderDueAt(meeting, offset("7j"), tz)).toEqual(new Date("2026-10-19T12:00:00Z")); // 14:00 CEST
    const sunday = new Date("2026-10-25T13:00:00Z"); // Sunday 25 October 14:00 CET
    expect(reminderDueAt(sunday, offset("1j"), tz)).toEqual(new Date("2026-10-24T12:00:00Z")); // Saturday 14:00 CEST
  });

  it("moves a day offset landing in the spring gap forward by the gap", () => {
    const meeting = new Date("2026-03-30T00:30:00Z"); // Monday 30 March 02:30 CEST
    expect(reminderDueAt(meeting, offset("1j"), tz)).toEqual(new Date("2026-03-29T01:30:00Z")); // 03:30 CEST
  });
});
