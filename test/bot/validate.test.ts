import { z } from "zod";
import { describe, expect, it } from "vitest";
import { opt } from "../../src/bot/command.js";
import { ValidationError, validateOptions } from "../../src/bot/validate.js";

const options = {
  usage: opt.choice("Usage", { annonces: "Annonces du réseau", veille: "Veille" }),
  canal: opt.channel("Le salon"),
  places: opt.integer("Places", z.number().int().min(1).max(200)).optional(),
  annuaire: opt.boolean("Visible").optional(),
};

function refusal(raw: Record<string, unknown>): ValidationError {
  try {
    validateOptions(options, raw);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("option validation", () => {
  it("turns text into the option's type", () => {
    expect(validateOptions(options, { usage: "veille", canal: "<#C42|général>", places: "12", annuaire: "oui" })).toEqual({
      usage: "veille",
      canal: "C42",
      places: 12,
      annuaire: true,
    });
  });

  it("accepts a choice by its label, accents and case aside", () => {
    expect(validateOptions(options, { usage: "annonces du RÉSEAU", canal: "123" }).usage).toBe("annonces");
  });

  it("names every bad field with its expected form, in French", () => {
    const err = refusal({ usage: "sport", canal: "x", places: "douze", annuaire: "peut-être" });
    const text = err.toFrench();
    expect(err.problems.map((p) => p.field)).toEqual(["usage", "places", "annuaire"]);
    expect(text).toContain("**usage**");
    expect(text).toContain("« sport » ne fait pas partie des choix. Forme attendue : annonces ou veille.");
    expect(text).toContain("un nombre entier");
    expect(text).toContain("oui ou non");
    expect(text).toContain("Rien n'a été modifié");
    expect(err.missingOnly).toBe(false);
  });

  it("says a required option is missing, and knows only that is wrong", () => {
    const err = refusal({});
    expect(err.problems.map((p) => [p.field, p.message])).toEqual([
      ["usage", "valeur obligatoire"],
      ["canal", "valeur obligatoire"],
    ]);
    expect(err.missingOnly).toBe(true);
  });

  it("refuses an option the command does not have", () => {
    const err = refusal({ usage: "veille", canal: "1", couleur: "bleu" });
    expect(err.problems).toEqual([{ field: "couleur", message: "option inconnue", expected: "usage, canal, places, annuaire" }]);
  });

  it("checks bounds", () => {
    expect(refusal({ usage: "veille", canal: "1", places: "0" }).problems[0]!.field).toBe("places");
  });

  it("names the accepted range of a year, and puts a period before « Forme attendue » after a quotation", () => {
    const years = { annee: opt.year("Année") };
    for (const typed of ["1999", "26", "2101", "deux mille"]) {
      let text = "";
      try {
        validateOptions(years, { annee: typed });
      } catch (err) {
        text = (err as ValidationError).toFrench();
      }
      expect(text, typed).toContain("**annee** : une année entre 2020 et 2100. Forme attendue : une année, par exemple 2026.");
    }
    const quoted = refusal({ usage: "sport", canal: "1" }).toFrench();
    expect(quoted).toContain("« sport » ne fait pas partie des choix. Forme attendue");
  });
});

describe("whole numbers past what the store holds (found by the fuzz, on PostgreSQL)", () => {
  // Discord sends integers up to 2^53; stored ids are 32-bit: on PostgreSQL a larger one made the
  // query fail (« Une erreur est survenue ») instead of a French refusal.
  const ids = { id: opt.integer("Le numéro") };
  const refused = (raw: unknown) => {
    try {
      validateOptions(ids, { id: raw });
    } catch (err) {
      if (err instanceof ValidationError) return err.message;
      throw err;
    }
    return "accepted";
  };

  it("refuses them in French, typed (Discord) or as text (Slack, console)", () => {
    for (const raw of [2 ** 31, 9007199254740991, -(2 ** 31) - 1, "99999999999"]) {
      expect(refused(raw)).toMatch(/\*\*id\*\* : nombre trop grand \(2 147 483 647 au plus\)/);
    }
  });

  it("accepts the largest one the store holds", () => {
    expect(validateOptions(ids, { id: 2147483647 })).toEqual({ id: 2147483647 });
  });
});
