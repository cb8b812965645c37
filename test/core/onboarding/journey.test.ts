import { describe, expect, it } from "vitest";
import { loadContent, CONTENT_DIR } from "../../../src/core/onboarding/content.js";
import { currentStepIndex, waypointDue, waypoints, type StepRecord } from "../../../src/core/onboarding/journey.js";

const steps = loadContent(CONTENT_DIR).etapes;
const done = (...keys: string[]) => new Map<string, StepRecord>(keys.map((k) => [k, { at: new Date(0), details: {} }]));
const PARIS = "Europe/Paris";

describe("the journey's steps", () => {
  it("moves on only when every part of a step is done", () => {
    expect(currentStepIndex(steps, done())).toBe(0);
    expect(currentStepIndex(steps, done("accueil", "charte", "profil.formulaire", "profil.type"))).toBe(2);
    expect(currentStepIndex(steps, done("accueil", "charte", "profil.formulaire", "profil.type", "profil.annuaire"))).toBe(3);
    const checklist = ["prenom_structure", "photo", "logo", "contact"].map((k) => `liste.${k}`);
    const profile = ["accueil", "charte", "profil.formulaire", "profil.type", "profil.annuaire"];
    expect(currentStepIndex(steps, done(...profile, ...checklist))).toBe(3);
    expect(currentStepIndex(steps, done(...profile, ...checklist, "liste.annuaire", "presentation", "rencontre"))).toBe(-1);
  });
});

describe("nudges", () => {
  it("come after the reminders' days, then the animator's alert last", () => {
    expect(waypoints({ reminderDays: [3, 7], alertDays: 14 })).toEqual([
      { index: 0, days: 3, to: "membre" },
      { index: 1, days: 7, to: "membre" },
      { index: 2, days: 14, to: "animateur" },
    ]);
  });

  it("fall on a weekday at 10:00 in Paris, never before the promised days", () => {
    // Monday 09:00 → Thursday 10:00.
    expect(waypointDue(new Date("2026-03-02T08:00:00Z"), 3, PARIS).toISOString()).toBe("2026-03-05T09:00:00.000Z");
    // Monday 11:00 → Thursday 11:00 is past 10:00: Friday 10:00.
    expect(waypointDue(new Date("2026-03-02T10:00:00Z"), 3, PARIS).toISOString()).toBe("2026-03-06T09:00:00.000Z");
    // Wednesday → Saturday: the next Monday.
    expect(waypointDue(new Date("2026-03-04T08:00:00Z"), 3, PARIS).toISOString()).toBe("2026-03-09T09:00:00.000Z");
    // Across the switch to summer time (29 March): still 10:00 in Paris.
    expect(waypointDue(new Date("2026-03-27T08:00:00Z"), 3, PARIS).toISOString()).toBe("2026-03-30T08:00:00.000Z");
  });
});
