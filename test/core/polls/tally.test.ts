import { describe, expect, it } from "vitest";
import { bar, percent, tallyFields, winners } from "../../../src/core/polls/tally.js";

describe("poll bars", () => {
  it("draws twelve-cell bars and rounds percentages of voters", () => {
    expect(bar(0)).toBe("░".repeat(12));
    expect(bar(1)).toBe("█".repeat(12));
    expect(bar(0.5)).toBe("██████░░░░░░");
    expect(percent(2, 3)).toBe(67);
    expect(percent(0, 0)).toBe(0);
  });

  it("shows one field per option, crowns the winners of a closed poll, and counts ties", () => {
    const tally = { voters: 4, options: [{ position: 1, label: "Mardi", count: 3 }, { position: 2, label: "Jeudi", count: 3 }, { position: 3, label: "Vendredi", count: 0 }] };
    const fields = tallyFields(tally, { winners: true });
    expect(fields[0]).toEqual({ name: "1. Mardi 🏆", value: "`█████████░░░` 3 voix · 75 %" });
    expect(fields[2]!.name).toBe("3. Vendredi");
    expect(winners(tally).map((o) => o.label)).toEqual(["Mardi", "Jeudi"]);
    expect(winners({ voters: 0, options: [{ position: 1, label: "A", count: 0 }] })).toEqual([]);
  });
});
