import { describe, expect, it } from "vitest";

import { blankedText, compare, comparisonTable, figuresOfRow, median, resultOfRows, textDifferences, unpaired, type Figure } from "../../bench/ab-figures.js";

const ms = (name: string, value: number): Figure => ({ name, value, unit: "ms", lowerIsBetter: true });

describe("reading a benchmark row's figures", () => {
  it("names each percentile after its row", () => {
    const figures = figuresOfRow({ name: "vote Discord", value: "p50 12.50 ms, p99 40.00 ms (n = 70)" });
    expect(figures).toEqual([ms("vote Discord · p50", 12.5), ms("vote Discord · p99", 40)]);
  });

  it("ignores targets and derived figures in parentheses, and bare counts", () => {
    const claim = figuresOfRow({ name: "réservation", value: "p50 3.00 ms, p95 4.00 ms, p99 5.00 ms (objectif < 20 ms)" });
    expect(claim.map((f) => f.value)).toEqual([3, 4, 5]);
    const tick = figuresOfRow({ name: "tour complet", value: "812.40 ms (0.81 ms par rappel), 1000 terminés" });
    expect(tick).toEqual([ms("tour complet", 812.4)]);
  });

  it("knows a throughput is better higher and tells apart unlabelled figures of one row", () => {
    const [throughput] = figuresOfRow({ name: "5000 tâches dues", value: "4210 tâches/s (1187.60 ms), 5000/5000 exécutées une fois, partage 2490/2510" });
    expect(throughput).toEqual({ name: "5000 tâches dues", value: 4210, unit: "tâches/s", lowerIsBetter: false });
    const rss = figuresOfRow({ name: "RSS", value: "88.5 Mo → 97 Mo" });
    expect(rss.map((f) => [f.name, f.value])).toEqual([["RSS · valeur 1", 88.5], ["RSS · valeur 2", 97]]);
  });

  it("keeps what is not measured (plans, counts) to compare as text", () => {
    expect(blankedText("4210 tâches/s (1187.60 ms), 5000/5000 exécutées une fois")).toBe("… tâches/s (… ms), 5000/5000 exécutées une fois");
    expect(resultOfRows([{ name: "plan", value: "SEARCH Job USING INDEX" }])).toEqual({ figures: [], texts: { plan: "SEARCH Job USING INDEX" } });
  });
});

describe("setting before beside after", () => {
  it("takes the median of an odd and of an even number of runs", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("calls overlapping spreads noise, even with a ratio far from 1", () => {
    const [row] = compare([ms("a", 10), ms("a", 20), ms("a", 30)], [ms("a", 25), ms("a", 40), ms("a", 45)]);
    expect(row!.ratio).toBe(2);
    expect(row!.withinNoise).toBe(true);
    expect(row!.withinTenPercent).toBe(false);
    expect(row!.verdict).toBe("dans le bruit");
  });

  it("says which side is better when the spreads are apart, by the figure's direction", () => {
    const [slower] = compare([ms("a", 10), ms("a", 11)], [ms("a", 12), ms("a", 13)]);
    expect(slower!.verdict).toBe("après moins bon");
    const rate = (value: number): Figure => ({ name: "r", value, unit: "tâches/s", lowerIsBetter: false });
    const [faster] = compare([rate(100), rate(110)], [rate(120), rate(130)]);
    expect(faster!.verdict).toBe("après meilleur");
  });

  it("lists figures found on one side only instead of comparing them", () => {
    expect(compare([ms("a", 1)], [ms("b", 1)])).toEqual([]);
    expect(unpaired([ms("a", 1)], [ms("b", 1)])).toEqual(["avant seulement : a", "après seulement : b"]);
  });

  it("prints one table line per figure", () => {
    const table = comparisonTable(compare([ms("a", 10), ms("a", 12)], [ms("a", 11), ms("a", 13)]));
    expect(table.split("\n")[2]).toBe("| a | 11.00 ms (10.00–12.00) | 12.00 ms (11.00–13.00) | 1.09 | oui | dans le bruit |");
  });

  it("reports texts that changed between runs or sides, and only those", () => {
    const same = { plan: "SEARCH" };
    expect(textDifferences([same, same], [same])).toEqual([]);
    expect(textDifferences([same], [{ plan: "SCAN" }])).toEqual(["- plan\n  - avant : SEARCH\n  - après : SCAN"]);
    // Each run holds one benchmark's rows: another benchmark's run says nothing about them.
    const other = { décompte: "70 votants" };
    expect(textDifferences([same, other, same, other], [same, other])).toEqual([]);
  });
});
