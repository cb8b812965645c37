import { describe, expect, it } from "vitest";
import { assignPositional, parseCommandText, tokenize } from "../../src/bot/args.js";
import { UserError } from "../../src/core/errors.js";

const opts = (names: string[]) => () => names;

describe("the text form of a command (Slack, console)", () => {
  it("splits on spaces but keeps quoted values whole", () => {
    expect(tokenize(`canal usage:annonces structure:"MJC d'Épinal" «Saint-Dié des Vosges»`)).toEqual([
      "canal",
      "usage:annonces",
      "structure:MJC d'Épinal",
      "Saint-Dié des Vosges",
    ]);
  });

  it("keeps Slack's escaped mentions, even with a space in the label", () => {
    expect(tokenize("compte:<@U123|marie dupont> <#C42|général>")).toEqual(["compte:<@U123|marie dupont>", "<#C42|général>"]);
  });

  it("refuses an unterminated quote with the closing mark to add", () => {
    expect(() => tokenize('structure:"MJC')).toThrow(UserError);
    expect(() => tokenize('structure:"MJC')).toThrow(/ajoutez "/);
  });

  it("recognises the sub-command and named options", () => {
    const parsed = parseCommandText("modifier commune:Épinal photo:https://exemple.fr/a.png", ["voir", "modifier"], opts(["commune", "photo"]));
    expect(parsed).toEqual({ subcommand: "modifier", named: { commune: "Épinal", photo: "https://exemple.fr/a.png" }, positional: [] });
  });

  it("treats a URL as a value, not as an option called https", () => {
    const parsed = parseCommandText("https://exemple.fr", [], opts(["recherche"]));
    expect(parsed.positional).toEqual(["https://exemple.fr"]);
  });

  it("refuses the same option twice", () => {
    expect(() => parseCommandText("commune:A commune:B", [], opts(["commune"]))).toThrow(/donnée deux fois/);
  });

  it("gives positional words to the options not named, in order", () => {
    const parsed = parseCommandText('"marie dupont" jeunesse', [], opts(["recherche", "type", "commune"]));
    expect(assignPositional(parsed, ["recherche", "type", "commune"])).toEqual({ recherche: "marie dupont", type: "jeunesse" });
  });

  it("refuses words left over instead of dropping them", () => {
    const parsed = parseCommandText("a b", [], opts(["recherche"]));
    expect(() => assignPositional(parsed, ["recherche"])).toThrow(/Je n'ai pas compris « b »/);
  });
});
