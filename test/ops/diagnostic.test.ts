/**
 * npm run diagnostic: each problem of a broken setup is named with its fix; a sound setup passes.
 * Discord and Slack are checked through their real clients against the emulators.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { formatDiagnostic, runDiagnostic } from "../../src/ops/diagnostic.js";
import { CHANNEL_USAGES } from "../../src/core/settings.js";
import { backupDatabase, sqliteFileFromUrl } from "../../src/store/index.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { freshStoreUrl } from "../store/fixture.js";
import { discordEnv, slackEnv } from "../helpers/env.js";

let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;
afterEach(async () => {
  await discord?.close();
  await slack?.close();
  discord = slack = undefined;
});

const now = new Date("2026-03-02T08:00:00Z");

describe("diagnostic", () => {
  it("names each problem of a broken setup, with a fix for each", async () => {
    discord = await startDiscordEmulator({ privilegedIntents: 0 });
    slack = await startSlackEmulator();
    const env = {
      DATABASE_URL: await freshStoreUrl(),
      BACKUP_DIR: await mkdtemp(path.join(tmpdir(), "pdn-diag-")),
      ...discordEnv(discord),
      DISCORD_GUILD_ID: "999999999999999999",
      ...slackEnv(slack),
      SLACK_BOT_TOKEN: "xoxb-0000-revoked",
    };
    const checks = await runDiagnostic(env, "", now);
    const failed = Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.label, c.detail]));
    expect(failed).toEqual({
      "Discord : intent Server Members": expect.stringContaining("désactivé"),
      "Discord : serveur": expect.stringContaining("n'est pas sur le serveur 999999999999999999"),
      "Slack : jeton": "jeton refusé par Slack",
      "Dernière sauvegarde": expect.stringContaining("aucune"),
      "Canaux d'usage (Discord)": `non configurés : ${Object.keys(CHANNEL_USAGES).join(", ")}`,
      "Canaux d'usage (Slack)": expect.stringContaining("non configurés"),
    });
    expect(checks.filter((c) => !c.ok).every((c) => c.fix && c.fix.length > 10)).toBe(true);
    expect(checks.find((c) => c.label === "Discord : jeton")?.ok).toBe(true);
    expect(formatDiagnostic(checks)).toContain("6 problèmes à corriger.");
  });

  it("refuses an invalid configuration and a missing database, in French", async () => {
    const bad = await runDiagnostic({ DATABASE_URL: "mysql://x", BOT_TIMEZONE: "Mars/Olympus" }, "", now);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ label: "Configuration", ok: false, detail: expect.stringContaining("BOT_TIMEZONE") });
    const missing = await runDiagnostic({ DATABASE_URL: "file:/tmp/pdn-diag-absent/base.db" }, "", now);
    expect(missing.find((c) => c.label === "Base de données")).toMatchObject({ ok: false, detail: expect.stringContaining("introuvable") });
  });

  it("passes a sound setup, and the script exits 0 then 1 when a problem appears", async () => {
    discord = await startDiscordEmulator();
    const env = { DATABASE_URL: await freshStoreUrl(), BACKUP_DIR: await mkdtemp(path.join(tmpdir(), "pdn-diag-")), ...discordEnv(discord) };
    const dbFile = sqliteFileFromUrl(env.DATABASE_URL);
    const db = new Database(dbFile);
    for (const usage of Object.keys(CHANNEL_USAGES)) {
      db.prepare("INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)").run(`channel:discord:${usage}`, discord.generalChannelId, Date.now());
    }
    db.close();
    await backupDatabase(dbFile, env.BACKUP_DIR, new Date());
    const checks = await runDiagnostic(env, "");
    expect(checks.filter((c) => !c.ok)).toEqual([]);

    const run = (extra: Record<string, string>) =>
      promisify(execFile)("npx", ["tsx", "scripts/diagnostic.ts"], { env: { ...process.env, ...env, ...extra }, cwd: process.cwd() }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const good = await run({});
    expect(good).toMatchObject({ code: 0, out: expect.stringContaining("Tout va bien.") });
    const broken = await run({ DISCORD_GUILD_ID: "999999999999999999" });
    expect(broken.code).toBe(1);
    expect(broken.out).toContain("ÉCHEC Discord : serveur");
  }, 60_000);
});
