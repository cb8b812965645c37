/**
 * health(): the snapshot an operator (or a /sante route) reads, on the real bot wiring —
 * Discord through discord.js against the emulator, the store on a real SQLite file.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startBot, type Bot } from "../../src/app.js";
import { ManualClock } from "../helpers/clock.js";
import { DIGEST_KIND } from "../../src/core/watch/schedule.js";
import { backupDatabase, sqliteFileFromUrl } from "../../src/store/index.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { discordEnv } from "../helpers/env.js";

let emu: DiscordEmulator | undefined;
let bot: Bot | undefined;
const clock = new ManualClock("2026-03-02T08:00:00Z");

async function start(env: Record<string, string> = {}) {
  const memory = memoryLogger();
  const config = await testConfig(env);
  bot = await startBot({ config, log: memory.log, clock, scheduler: { timer: false } });
  return { bot, config, logLines: memory.lines };
}

beforeEach(() => clock.set("2026-03-02T08:00:00Z"));
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await emu?.close();
  emu = undefined;
});

describe("health()", () => {
  it("reports version, uptime, a reachable database and each platform connected", async () => {
    emu = await startDiscordEmulator();
    const { bot } = await start(discordEnv(emu));
    clock.advance(90_000);
    const h = await bot.health();
    expect(h).toMatchObject({
      ok: true,
      version: "0.1.0",
      uptimeSeconds: 90,
      database: { reachable: true },
      platforms: { discord: { connected: true } },
      scheduler: { running: true, lagSeconds: 0, oldestDueAt: null },
      lastDigestAt: null,
      lastBackup: null,
    });
  });

  it("reflects a platform that went down", async () => {
    emu = await startDiscordEmulator();
    const { bot } = await start(discordEnv(emu));
    await bot.adapters[0]!.stop();
    const h = await bot.health();
    expect(h.platforms.discord).toEqual({ connected: false });
    expect(h.ok).toBe(false);
  });

  it("measures the scheduler lag as the age of the oldest due job, and gives the last digest", async () => {
    const { bot } = await start();
    const now = clock.now();
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    await bot.store.prisma.job.createMany({
      data: [
        { kind: "test.late", dueAt: ago(600), createdAt: ago(700), updatedAt: ago(700) },
        { kind: "test.later", dueAt: ago(60), createdAt: ago(700), updatedAt: ago(700) },
        { kind: "test.future", dueAt: new Date(now.getTime() + 3_600_000), createdAt: now, updatedAt: now },
        { kind: DIGEST_KIND, dueAt: ago(86_400), state: "done", finishedAt: ago(86_000), createdAt: ago(90_000), updatedAt: ago(86_000) },
      ],
    });
    const h = await bot.health();
    expect(h.scheduler).toEqual({ running: true, lagSeconds: 600, oldestDueAt: ago(600).toISOString() });
    expect(h.lastDigestAt).toBe(ago(86_000).toISOString());

    expect(h.ok).toBe(false);
  });

  it("gives the newest backup and its age", async () => {
    const backupDir = await mkdtemp(path.join(tmpdir(), "pdn-health-"));
    const { bot, config } = await start({ BACKUP_DIR: backupDir });
    const dbFile = sqliteFileFromUrl(config.DATABASE_URL);
    await backupDatabase(dbFile, backupDir, new Date("2026-03-01T03:00:00Z"));
    const newest = await backupDatabase(dbFile, backupDir, new Date("2026-03-02T03:00:00Z"));
    const h = await bot.health();
    expect(h.lastBackup).toEqual({ file: newest.file, at: "2026-03-02T03:00:00.000Z", ageHours: 5 });
  });

  it("reports a database that fails its queries instead of throwing", async () => {
    const { bot } = await start();
    // A damaged base: the jobs table is gone (Prisma reconnects after a close, so a close would not do).
    await bot.store.prisma.$executeRawUnsafe('ALTER TABLE "Job" RENAME TO "JobGone"');
    const h = await bot.health();
    expect(h.database).toMatchObject({ reachable: false, error: expect.stringMatching(/\S/) });
    expect(h.ok).toBe(false);
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });
});

describe("start-up summary", () => {
  it("is logged once, in French, with the platforms, the database and the usage channels not yet set", async () => {
    emu = await startDiscordEmulator();
    const { logLines } = await start(discordEnv(emu));
    const summaries = logLines().map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg.startsWith("Plateformes :"));
    expect(summaries).toHaveLength(1);
    const msg = summaries[0]!.msg;
    expect(msg).toContain("Plateformes : Discord.");
    expect(msg).toMatch(/Base de données : SQLite \(.+\.db\)\./);
    expect(msg).toMatch(/Sauvegardes : chaque nuit à 3 h dans \/.+sauvegardes\./);
    expect(msg).toContain("Canaux non configurés sur Discord : annonces, rencontres, rappels, veille, reseau, animation");
    expect(msg).toContain("/config canal usage:<usage> canal:<salon>");
    expect(msg).toContain("Site web : désactivé (WEB_PORT=off).");
  });

  it("says the site's address once: where it listens and where people reach it", async () => {
    const { logLines } = await start({ WEB_PORT: "0", WEB_PUBLIC_URL: "https://promeneurs88.example.fr/" });
    const messages = logLines().map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg);
    const summary = messages.find((m) => m.startsWith("Plateformes :"))!;
    const address = /Site web : (http:\/\/127\.0\.0\.1:\d+) \(adresse publique : https:\/\/promeneurs88\.example\.fr\)\./.exec(summary)?.[1];
    expect(address).toBeDefined();
    expect(messages.filter((m) => m.includes(address!))).toHaveLength(1);
    const res = await fetch(`${address!}/sante`);
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("never shows a PostgreSQL password", async () => {
    const { describeDatabase } = await import("../../src/ops/startup-summary.js");
    expect(describeDatabase("postgresql://pdn:s3cret@db.local:5432/promeneurs")).toBe("PostgreSQL (db.local:5432/promeneurs)");
  });
});
