import { describe, expect, it } from "vitest";
import { agree, plural } from "../../src/shared/plural.js";

describe("plural", () => {
  it("writes the count with the word agreed, singular below 2 as French does", () => {
    expect(plural(0, "message", "messages")).toBe("0 message");
    expect(plural(1, "message", "messages")).toBe("1 message");
    expect(plural(3, "message", "messages")).toBe("3 messages");
    expect(plural(1.5, "heure", "heures")).toBe("1,5 heure");
  });

  it("agrees a verb or any word without the count", () => {
    expect(`${plural(1, "personne", "personnes")} ${agree(1, "a", "ont")} répondu`).toBe("1 personne a répondu");
    expect(`${plural(4, "personne", "personnes")} ${agree(4, "a", "ont")} répondu`).toBe("4 personnes ont répondu");
  });
});
