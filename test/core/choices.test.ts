import { describe, expect, it } from "vitest";
import { choicesText, foldChoice, matchChoice } from "../../src/core/choices.js";
import { QUESTION_CATEGORIES } from "../../src/core/questions/service.js";
import { validateOptions } from "../../src/bot/validate.js";
import { opt } from "../../src/bot/command.js";

describe("a choice typed by hand", () => {
  it("is its key or its label, accents, case, spaces and typographic apostrophes aside", () => {
    expect(foldChoice("  Orientation d’un  JEUNE ")).toBe("orientation d'un jeune");
    for (const typed of ["reglementation", "Réglementation", "RÉGLEMENTATION", " réglementation "]) expect(matchChoice(typed, QUESTION_CATEGORIES)).toBe("reglementation");
    expect(matchChoice("Orientation d’un jeune ou d’un parent", QUESTION_CATEGORIES)).toBe("orientation");
    expect(matchChoice("rglementation", QUESTION_CATEGORIES)).toBeUndefined();
    expect(matchChoice("", QUESTION_CATEGORIES)).toBeUndefined();
  });

  it("reads the same in a command option as in a form field", () => {
    const options = { categorie: opt.choice("Catégorie", QUESTION_CATEGORIES) };
    for (const typed of ["Pratique en ligne", "PRATIQUE", "Orientation d’un jeune ou d’un parent", "rglementation"]) {
      let fromOption: string | undefined;
      try {
        fromOption = validateOptions(options, { categorie: typed }).categorie as string;
      } catch {
        fromOption = undefined;
      }
      expect(fromOption).toBe(matchChoice(typed, QUESTION_CATEGORIES));
    }
  });

  it("lists the labels for a refusal or a hint", () => {
    expect(choicesText({ a: "Un", b: "Deux" })).toBe("« Un », « Deux »");
  });
});
