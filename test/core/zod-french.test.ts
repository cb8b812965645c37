import { z } from "zod";
import { describe, expect, it } from "vitest";
import { frenchList, issueText } from "../../src/core/zod-french.js";

const refusal = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("accepted");
  return issueText(result.error);
};

describe("zod's refusals in the bot's French", () => {
  it("lists the choices in French instead of « une valeur parmi \"a\"|\"b\" attendue »", () => {
    expect(refusal(z.enum(["tous", "equipe", "promeneurs"]), "sport")).toBe("« sport » ne fait pas partie des choix : tous, equipe ou promeneurs");
    expect(refusal(z.literal("oui"), "non")).toBe("seule valeur possible : oui");
  });

  it("says every other kind of issue without zod's wording", () => {
    const texts = [
      refusal(z.string(), 3),
      refusal(z.string(), undefined),
      refusal(z.number().int(), 2.5),
      refusal(z.string().min(3), "ab"),
      refusal(z.string().min(1), ""),
      refusal(z.string().max(5), "abcdefgh"),
      refusal(z.number().min(1), 0),
      refusal(z.number().max(10), 11),
      refusal(z.number().gt(0), 0),
      refusal(z.array(z.string()).min(2), ["a"]),
      refusal(z.email(), "pas-un-mail"),
      refusal(z.url(), "pas une url"),
      refusal(z.string().regex(/^\d+$/), "abc"),
      refusal(z.string().startsWith("xoxb-"), "abc"),
      refusal(z.number().multipleOf(5), 7),
      refusal(z.strictObject({ a: z.string() }), { a: "x", b: 1 }),
      refusal(z.union([z.number(), z.boolean()]), "x"),
      refusal(z.record(z.string().min(2), z.number()), { a: 1 }),
    ];
    expect(texts).toEqual([
      "il faut un texte",
      "valeur obligatoire",
      "il faut un nombre entier",
      "trop court : 3 caractères au moins",
      "ne peut pas être vide",
      "trop long : 5 caractères au plus",
      "doit être au moins 1",
      "doit être au plus 10",
      "doit être supérieur à 0",
      "il en faut au moins 2",
      "adresse e-mail non valable",
      "adresse web non valable (https://…)",
      "forme non reconnue",
      "doit commencer par « xoxb- »",
      "doit être un multiple de 5",
      "champ inconnu : b",
      "valeur non reconnue",
      "valeur non reconnue",
    ]);
    for (const text of texts) expect(text).not.toMatch(/Invalid|expected|attendue?|Trop (grand|petit)|[<>]=|"/);
  });

  it("leaves a schema's own message alone", () => {
    expect(refusal(z.string().min(3, "au moins 3 caractères"), "a")).toBe("au moins 3 caractères");
  });

  it("joins a list the French way", () => {
    expect(frenchList(["a"])).toBe("a");
    expect(frenchList(["a", "b"])).toBe("a ou b");
    expect(frenchList(["a", "b", "c"])).toBe("a, b ou c");
  });
});
