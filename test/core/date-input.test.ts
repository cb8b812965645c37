import { describe, expect, it } from "vitest";
import { parseDuration, parseStart } from "../../src/core/date-input.js";

const tz = "Europe/Paris";
// Monday 2 March 2026, 09:00 in Paris.
const now = new Date("2026-03-02T08:00:00Z");
const start = (text: string, at = now) => parseStart(text, { now: at, timeZone: tz });

describe("reading a meeting start typed in French", () => {
  it("reads a numeric date, a day and month, and a weekday, in Paris time", () => {
    expect(start("12/03/2026 14h30")).toEqual({ ok: true, value: { at: new Date("2026-03-12T13:30:00Z"), reading: "jeudi 12 mars 2026 à 14:30" } });
    expect(start("12 mars 14h")).toMatchObject({ ok: true, value: { at: new Date("2026-03-12T13:00:00Z") } });
    expect(start("le 12 mars à 14h30")).toMatchObject({ ok: true, value: { reading: "jeudi 12 mars 2026 à 14:30" } });
    expect(start("jeudi prochain 9h")).toMatchObject({ ok: true, value: { reading: "jeudi 12 mars 2026 à 09:00" } });
    expect(start("demain 14h")).toMatchObject({ ok: true, value: { reading: "mardi 3 mars 2026 à 14:00" } });
  });

  it("reads a numeric date as day/month/year only, refusing month 13 with what it read", () => {
    expect(start("12/13/2027 10h")).toEqual({ ok: false, error: "« 12/13/2027 » : une date en chiffres se lit jour/mois/année, et il n'y a pas de mois 13" });
    expect(start("32/01/2027 10h")).toMatchObject({ ok: false, error: expect.stringContaining("il n'y a pas de jour 32") });
    expect(start("13/12/2027 10h")).toMatchObject({ ok: true, value: { reading: "lundi 13 décembre 2027 à 10:00" } });
    expect(start("05.03.2026 14h")).toMatchObject({ ok: true, value: { reading: "jeudi 5 mars 2026 à 14:00" } });
  });

  it("accepts an hour written with spaces, « 14 h 30 » and « 14 h »", () => {
    expect(start("12 mars 14 h 30")).toMatchObject({ ok: true, value: { reading: "jeudi 12 mars 2026 à 14:30" } });
    expect(start("12 mars 14 h")).toMatchObject({ ok: true, value: { reading: "jeudi 12 mars 2026 à 14:00" } });
  });

  it("says which Thursday « jeudi prochain » is, and how far", () => {
    expect(start("jeudi prochain 9h")).toMatchObject({ ok: true, value: { relative: "dans 10 jours, pas le jeudi 5 mars" } });
    expect(start("jeudi 9h")).toMatchObject({ ok: true, value: { reading: "jeudi 5 mars 2026 à 09:00", relative: "dans 3 jours" } });
    expect(start("12 mars 14h")).not.toHaveProperty("value.relative");
  });

  it("reads « dans 3 jours 14h » as three days later at 14:00, not 3 days and 14 hours", () => {
    expect(start("dans 3 jours 14h")).toMatchObject({ ok: true, value: { reading: "jeudi 5 mars 2026 à 14:00" } });
    expect(start("dans 3 jours à 14h")).toMatchObject({ ok: true, value: { reading: "jeudi 5 mars 2026 à 14:00" } });
  });

  it("uses the summer offset for a date after the March change, read in winter", () => {
    expect(start("lundi 30 mars 14h")).toMatchObject({ ok: true, value: { at: new Date("2026-03-30T12:00:00Z") } });
  });

  it("takes today from the injected clock, not from the machine", () => {
    const later = new Date("2026-11-26T10:00:00Z");
    expect(start("demain 10h", later)).toMatchObject({ ok: true, value: { reading: "vendredi 27 novembre 2026 à 10:00" } });
    // Typed in November, 12 March means next year.
    expect(start("12 mars 14h", later)).toMatchObject({ ok: true, value: { reading: "vendredi 12 mars 2027 à 14:00" } });
  });

  it("refuses a past date, saying how it was read", () => {
    expect(start("12 mars 2025 14h")).toEqual({ ok: false, error: "j'ai compris mercredi 12 mars 2025 à 14:00, qui est passé" });
    expect(start("1er mars 10h")).toEqual({ ok: false, error: "le dimanche 1er mars 2026 à 10:00 est passé ; si vous pensiez au lundi 1er mars 2027 à 10:00, précisez l'année" });
  });

  it("refuses what it cannot read for sure rather than guessing", () => {
    expect(start("12 mars")).toMatchObject({ ok: false, error: expect.stringContaining("l'heure manque") });
    expect(start("mars 14h")).toMatchObject({ ok: false, error: expect.stringContaining("je n'ai compris que « 14h »") });
    expect(start("12 mars 14h à Épinal")).toMatchObject({ ok: false, error: expect.stringContaining("« Épinal » n'est pas une date") });
    expect(start("du 12 au 14 mars")).toMatchObject({ ok: false, error: expect.stringContaining("est une période") });
    expect(start("mardi 12 mars 2026 14h")).toEqual({ ok: false, error: "le 12 mars 2026 est un jeudi, pas un mardi : lequel des deux ?" });
    expect(start("12 mars 2h")).toMatchObject({ ok: false, error: expect.stringContaining("j'ai compris jeudi 12 mars 2026 à 02:00 : une rencontre commence entre 7 h et 22 h") });
    expect(start("bientôt")).toEqual({ ok: false, error: "je ne reconnais pas de date dans « bientôt »" });
    expect(start("31/02/2026 10h")).toMatchObject({ ok: false });
    expect(start("12 mars 2029 14h")).toMatchObject({ ok: false, error: expect.stringContaining("plus de 2 ans à l'avance") });
  });

  it("refuses a wall time skipped or repeated by a clock change", () => {
    const night = { now, timeZone: tz, hours: { from: 0, to: 23 } };
    expect(parseStart("29/03/2026 2h30", night)).toEqual({ ok: false, error: "02:30 n'existe pas le 29 mars 2026 (passage à l'heure d'été) : choisissez une autre heure" });
    expect(parseStart("25/10/2026 2h30", night)).toEqual({ ok: false, error: "02:30 existe deux fois le 25 octobre 2026 (passage à l'heure d'hiver) : choisissez une autre heure" });
    expect(parseStart("25/10/2026 3h30", night)).toMatchObject({ ok: true, value: { at: new Date("2026-10-25T02:30:00Z") } });
  });
});

describe("durations", () => {
  it("reads hours and minutes", () => {
    expect(parseDuration("2h")).toEqual({ ok: true, value: 120 });
    expect(parseDuration("1h30")).toEqual({ ok: true, value: 90 });
    expect(parseDuration("1 h 30")).toEqual({ ok: true, value: 90 });
    expect(parseDuration("45min")).toEqual({ ok: true, value: 45 });
    expect(parseDuration("3 heures")).toEqual({ ok: true, value: 180 });
  });

  it("refuses a missing unit and values out of range", () => {
    expect(parseDuration("90")).toEqual({ ok: false, error: "« 90 » : précisez l'unité (h ou min)" });
    expect(parseDuration("10min")).toEqual({ ok: false, error: "10 min est hors limites (de 15 min à 12 h)" });
    expect(parseDuration("13h")).toEqual({ ok: false, error: "13 h est hors limites (de 15 min à 12 h)" });
    expect(parseDuration("1h75")).toMatchObject({ ok: false });
    expect(parseDuration("longtemps")).toMatchObject({ ok: false });
  });
});
