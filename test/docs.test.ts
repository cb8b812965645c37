import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commands } from "../commands/index.js";
import { withCommandTable } from "../src/docs/command-table.js";
import { slackManifest } from "../src/platforms/slack/manifest.js";
import { discordCommands } from "../src/platforms/discord/register.js";
import { frenchStyleProblems } from "./helpers/french-style.js";
import { runProcess, type ScriptRun } from "./helpers/script.js";
import { freshStoreUrl } from "./store/fixture.js";

describe("documentation and platform declarations", () => {
  it("keeps the README's command list identical to the declarations (npm run readme:commands)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(withCommandTable(readme, commands)).toBe(readme);
  });

  it("opens the README with the two commands a newcomer types", () => {
    const readme = readFileSync("README.md", "utf8");
    const firstBlock = readme.slice(readme.indexOf("```"), readme.indexOf("```", readme.indexOf("```") + 3));
    expect(firstBlock).toContain("npm ci && npm start");
    expect(firstBlock).toContain("npm ci && npm test");
  });

  it("documents every configuration variable", () => {
    const readme = readFileSync("README.md", "utf8");
    const example = readFileSync(".env.example", "utf8");
    for (const name of ["DATABASE_URL", "DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_API_URL", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_PORT", "SLACK_API_URL", "BOT_ADMINS", "BOT_TIMEZONE", "BOT_CONSOLE", "LOG_LEVEL", "WEB_HOST", "WEB_PORT", "WEB_PUBLIC_URL", "WEB_CSV_TOKEN", "WEB_RATE_LIMIT"]) {
      expect(readme).toContain(`\`${name}\``);
      expect(example).toContain(`${name}=`);
    }
  });

  it("declares every command to Slack with escaped mentions, Socket Mode and interactivity", () => {
    const manifest = parse(JSON.stringify(slackManifest(commands))) as { features: { slash_commands: { command: string; should_escape: boolean }[] }; settings: Record<string, unknown> };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
    const http = slackManifest(commands, "https://bot.exemple.fr/slack/events") as { settings: { socket_mode_enabled: boolean; interactivity: { request_url: string } } };
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.interactivity.request_url).toBe("https://bot.exemple.fr/slack/events");
  });

  it("declares Discord commands within Discord's limits, required options first", () => {
    for (const c of discordCommands(commands)) {
      expect(c.name).toMatch(/^[a-z_-]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      const subs = (c.options ?? []).filter((o) => o.type === 1) as { name: string; options?: { required?: boolean; description: string; name: string }[] }[];
      const lists = subs.length ? subs.map((s) => s.options ?? []) : [(c.options ?? []) as { required?: boolean; description: string; name: string }[]];
      for (const list of lists) {
        const firstOptional = list.findIndex((o) => !o.required);
        expect(firstOptional === -1 || list.slice(firstOptional).every((o) => !o.required)).toBe(true);
        for (const o of list) {
          expect(o.name).toMatch(/^[a-z0-9_-]{1,32}$/);
          expect(o.description.length).toBeLessThanOrEqual(100);
        }
      }
    }
  });
});

/** Every console script of the README, as written: `printf … | npm start` in a code span or a sh block. */
function readmeConsoleScripts(): string[] {
  const readme = readFileSync("README.md", "utf8");
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim()).filter((b) => b.startsWith("printf") && b.endsWith("| npm start"));
  const spans = [...readme.matchAll(/`(printf '[^`]*' \| npm start)`/g)].map((m) => m[1]!);
  return [...spans, ...blocks];
}

/** Runs one script with sh, exactly as a reader would paste it, on the given database. */
function runScript(script: string, databaseUrl: string): Promise<ScriptRun> {
  return runProcess("sh", ["-c", script], { DATABASE_URL: databaseUrl, WEB_PORT: "off", LOG_LEVEL: "warn" });
}

describe("the README's console scripts", () => {
  it("finds the scripts to run", () => {
    const scripts = readmeConsoleScripts();
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    expect(scripts.some((s) => s.includes("/rencontre creer") && s.includes("!1") && s.includes("/question poser"))).toBe(true);
  });

  it("work as written, and again after a restart on the same database (ids, buttons, forms)", async () => {
    for (const script of readmeConsoleScripts()) {
      const databaseUrl = await freshStoreUrl();
      for (const run of [1, 2]) {
        const { code, stdout, stderr } = await runScript(script, databaseUrl);
        const said = stdout.split("\n").filter((l) => !l.startsWith(">")).join("\n"); // npm's own banner aside
        expect(code, `${script}\n(passage ${run})\n${stderr}`).toBe(0);
        expect(said).not.toMatch(/Une erreur est survenue|Aucun choix en attente|Choix inconnu|abandonné|Cette valeur ne convient pas|Tapez une commande commençant par/);
        expect(frenchStyleProblems(said)).toEqual([]);
        if (!script.includes("/rencontre creer")) continue;
        expect(said).toContain(`Rencontre n° ${run} créée`);
        expect(said).toContain("C'est noté : vous venez à « Rencontre de printemps »");
        expect(said).toContain("Vote enregistré : 1. Mardi matin.");
        expect(said).toContain(`Votre question n° ${run} est transmise à l'animateur du réseau`);
        expect(said).toContain(`- n° ${run} Autorisation parentale — Réglementation`);
      }
    }
  }, 180_000);
});
