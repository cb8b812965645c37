import { describe, expect, it } from "vitest";
import { checkYear } from "../../../src/core/reporting/dashboard.js";

describe("the year of /tableau and /bilan", () => {
  it("refuses a year outside the figures, naming the accepted range", () => {
    const now = new Date("2026-03-02T08:00:00Z");
    expect(() => checkYear(2019, now)).toThrow("**annee** : une année entre 2020 et 2027.");
    expect(() => checkYear(2028, now)).toThrow("une année entre 2020 et 2027");
    expect(() => checkYear(2026, now)).not.toThrow();
  });
});
