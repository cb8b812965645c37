import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SOURCES_FILE, loadDefaultSources } from "../../../src/core/watch/default-sources.js";
import { urlKey } from "../../../src/core/watch/url.js";

describe("the shipped list of sources", () => {
  it("loads: public French sources, each with an https feed address, a category and a verified flag", () => {
    const sources = loadDefaultSources();
    expect(sources.length).toBeGreaterThanOrEqual(8);
    const raw = JSON.parse(readFileSync(DEFAULT_SOURCES_FILE, "utf8")) as { sources: { verified?: unknown; note?: unknown }[] };
    expect(raw.sources.every((s) => typeof s.verified === "boolean" && typeof s.note === "string")).toBe(true);
    expect(sources.every((s) => s.url.startsWith("https://"))).toBe(true);
    expect(new Set(sources.map((s) => urlKey(s.url))).size).toBe(sources.length);
    expect(sources.map((s) => s.name)).toEqual(expect.arrayContaining(["CNIL — actualités", "CERT-FR — bulletins d'actualité", "Service-Public.fr — actualités des particuliers"]));
    for (const category of ["reglementation", "reseaux_sociaux", "mineurs", "donnees", "parentalite"]) {
      expect(sources.some((s) => s.category === category)).toBe(true);
    }
  });
});
