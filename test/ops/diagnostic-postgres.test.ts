/**
 * npm run diagnostic on PostgreSQL runs every check it runs on SQLite (database migrated, each
 * /config canal channel on each platform, failing watch sources, platforms), against the machine's
 * real PostgreSQL and the emulators; only backups differ: they are pg_dump's, and the check says how.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL_USAGES } from "../../src/core/settings.js";
import { formatDiagnostic, runDiagnostic } from "../../src/ops/diagnostic.js";
import { withPostgres } from "../../src/store/index.js";
import { Perm, startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { discordEnv, slackEnv } from "../helpers/env.js";
import { emptyPostgresUrl, freshPostgresUrl, postgresUnavailable } from "../store/postgres-fixture.js";

let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;
afterEach(async () => {
  await discord?.close();
  await slack?.close();
  discord = slack = undefined;
});

const now = new Date("2026-03-02T08:00:00Z");
const USAGES = Object.keys(CHANNEL_USAGES);

async function execute(url: string, sql: string): Promise<void> {
  await withPostgres(url, (db) => db.executeRaw({ sql, args: [], argTypes: [] }));
}

/** What /config canal writes: one setting per usage and platform. */
async function setChannels(url: string, platform: "discord" | "slack", channelIds: Record<string, string>): Promise<void> {
  for (const [usage, id] of Object.entries(channelIds)) {
    await execute(url, `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('channel:${platform}:${usage}', '${id}', now())`);
  }
}

/** A followed feed the hourly read failed on `failures` times in a row, as the watch records it. */
async function addWatchSource(url: string, name: string, failures: number): Promise<void> {
  await execute(
    url,
    `INSERT INTO "WatchSource" ("url", "urlKey", "name", "category", "createdAt", "updatedAt", "failures", "failingSince", "lastError")
     VALUES ('https://exemple.fr/${name}.xml', 'exemple.fr/${name}.xml', '${name}', 'autre', now(), now(), ${failures}, '2026-02-28T06:00:00Z', 'le site répond 404 (page introuvable)')`,
  );
}

const backupDir = () => mkdtemp(path.join(tmpdir(), "pdn-diag-pg-"));

describe.skipIf(postgresUnavailable !== null)("diagnostic on PostgreSQL", () => {
  it("checks each configured channel on both platforms, the usages left unset and the failing watch sources", async () => {
    discord = await startDiscordEmulator();
    slack = await startSlackEmulator();
    const url = await freshPostgresUrl();
    const muted = discord.addChannel({ name: "annonces", permissionOverwrites: [{ id: discord.botRoleId, type: 0, deny: Perm.SendMessages }] });
    const [first, second, ...rest] = USAGES as [string, string, ...string[]];
    await setChannels(url, "discord", { [first]: muted.id, ...Object.fromEntries(rest.map((u) => [u, discord!.generalChannelId])) });
    const secret = slack.addChannel({ name: "equipe", isPrivate: true, isMember: false });
    await setChannels(url, "slack", Object.fromEntries(USAGES.map((u) => [u, u === first ? secret.id : slack!.defaultChannelId])));
    await addWatchSource(url, "cnil", 6);
    await addWatchSource(url, "tranquille", 1);

    const checks = await runDiagnostic({ DATABASE_URL: url, BACKUP_DIR: await backupDir(), ...discordEnv(discord), ...slackEnv(slack) }, "", now);
    const failed = Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.label, c.detail]));
    expect(failed).toEqual({
      [`Discord : salon #annonces (${first})`]: expect.stringContaining("Envoyer des messages"),
      "Canaux d'usage (Discord)": `non configurés : ${second}`,
      [`Slack : salon #equipe (${first})`]: expect.stringContaining("salon privé dont le bot n'est pas membre"),
      "Sources de veille": expect.stringMatching(/« cnil » .*6 essais de suite : le site répond 404/),
    });
    expect(failed["Sources de veille"]).not.toContain("tranquille");
    expect(checks.filter((c) => !c.ok).every((c) => c.fix && c.fix.length > 10)).toBe(true);
    expect(checks.find((c) => c.label === "Discord : salon #général (" + rest.join(", ") + ")")?.ok).toBe(true);
    expect(checks.find((c) => c.label === "Base de données")).toMatchObject({ ok: true, detail: expect.stringContaining("à jour") });
    expect(checks.find((c) => c.label === "Sauvegardes")).toMatchObject({ ok: true, detail: expect.stringContaining("pg_dump --format=custom") });
    expect(checks.some((c) => c.label === "Dernière sauvegarde")).toBe(false);
    expect(formatDiagnostic(checks)).toContain("4 problèmes à corriger.");
  });

  it("names an unreachable server and a database not migrated, in French, with the fix", async () => {
    const unreachable = await runDiagnostic({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/promeneurs", BACKUP_DIR: await backupDir() }, "", now);
    expect(unreachable.find((c) => c.label === "Base de données")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("PostgreSQL injoignable (postgresql://postgres@127.0.0.1:1/promeneurs)"),
      fix: expect.stringContaining("DATABASE_URL"),
    });

    const empty = await emptyPostgresUrl();
    const fresh = await runDiagnostic({ DATABASE_URL: empty, BACKUP_DIR: await backupDir() }, "", now);
    const database = fresh.filter((c) => c.label === "Base de données");
    expect(database[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/^\d+ migrations non appliquées : /), fix: expect.stringContaining("Redémarrez le bot") });
    // Not migrated: its tables do not exist yet, which is said rather than thrown.
    expect(database[1]).toMatchObject({ ok: false, detail: expect.stringContaining("illisible") });
  });

  it("passes a sound setup, and the script exits 0 then 1 when a problem appears", async () => {
    discord = await startDiscordEmulator();
    const url = await freshPostgresUrl();
    await setChannels(url, "discord", Object.fromEntries(USAGES.map((u) => [u, discord!.generalChannelId])));
    const env = { DATABASE_URL: url, BACKUP_DIR: await backupDir(), ...discordEnv(discord) };
    expect((await runDiagnostic(env, "", now)).filter((c) => !c.ok)).toEqual([]);

    const run = (extra: Record<string, string>) =>
      promisify(execFile)("npx", ["tsx", "scripts/diagnostic.ts"], { env: { ...process.env, ...env, ...extra }, cwd: process.cwd() }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const good = await run({});
    expect(good).toMatchObject({ code: 0, out: expect.stringContaining("Tout va bien.") });
    expect(good.out).toContain(`OK  Discord : salon #général (${USAGES.join(", ")})`);
    await addWatchSource(url, "cnil", 5);
    const broken = await run({});
    expect(broken.code).toBe(1);
    expect(broken.out).toContain("ÉCHEC Sources de veille");
  }, 60_000);
});

if (postgresUnavailable !== null) it.skip(`PostgreSQL — ignoré : ${postgresUnavailable}`, () => {});
