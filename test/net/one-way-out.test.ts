/**
 * Every outgoing request of the bot goes through src/net/http.ts (address guard, redirections
 * checked hop by hop, size and time caps). A source file that reaches the network by itself
 * fails here. The platform libraries (discord.js, Bolt) talk to their configured API only.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const THE_WAY_OUT = path.join("src", "net", "http.ts");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [rel] : [];
  });
}

const DIRECT = [
  { what: "fetch()", pattern: /(?<![.\w])fetch\s*\(/ },
  { what: "globalThis.fetch", pattern: /globalThis\s*\.\s*fetch\b/ },
  { what: "undici", pattern: /from\s+["']undici["']|import\(\s*["']undici["']\s*\)/ },
  { what: "node:http(s) client", pattern: /from\s+["'](node:)?https?["']|require\(\s*["'](node:)?https?["']\s*\)/ },
  { what: "XMLHttpRequest / WebSocket", pattern: /\bnew\s+(XMLHttpRequest|WebSocket)\b/ },
];

describe("the bot's way out to the network", () => {
  it("is src/net/http.ts alone", () => {
    const files = ["src", "commands", "scripts"].flatMap(sources).filter((f) => f !== THE_WAY_OUT);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), "utf8").replace(/^\s*(\/\/|\*).*$/gm, "");
      return DIRECT.filter((d) => d.pattern.test(text)).map((d) => `${file}: ${d.what}`);
    });
    expect(offenders).toEqual([]);
  });

  it("would catch a direct call", () => {
    expect(DIRECT.some((d) => d.pattern.test('const r = await fetch("http://127.0.0.1/")'))).toBe(true);
    expect(DIRECT.some((d) => d.pattern.test("await this.client.users.fetch(id)"))).toBe(false);
  });
});
