/**
 * The database failing under the running bot (startBot, console adapter, real SQLite file):
 * - SQLITE_BUSY: another program (an import, a backup) holds the write lock past the retries;
 * - SQLITE_FULL: the disk is full, simulated with PRAGMA max_page_count on the bot's own
 *   connection (a per-connection limit: the file cannot grow past its current pages).
 * Each time the person is told in French what happened and that nothing was recorded (not the
 * « Une erreur est survenue » of a bug), no row was half-written, the scheduler's tick survives,
 * and once the fault is gone the same action succeeds.
 */
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { ManualClock } from "../helpers/clock.js";
import type { Interaction, PlatformUser } from "../../src/core/interaction.js";
import { parseTextOptions } from "../../src/bot/text-command.js";
import { sqliteFileFromUrl } from "../../src/store/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";

let bot: Bot;
let file: string;
let logs: () => string[];
const animator: PlatformUser = { platform: "console", id: "animateur", workspaceId: "", displayName: "Animateur console" };

beforeEach(async () => {
  const config = await testConfig();
  file = sqliteFileFromUrl(config.DATABASE_URL);
  const memory = memoryLogger();
  logs = memory.lines;
  bot = await startBot({ config, log: memory.log, input: new PassThrough(), output: new PassThrough().resume(), clock: new ManualClock("2026-03-02T08:00:00Z"), scheduler: { timer: false } });
});

afterEach(async () => bot.stop());

function command(line: string): Interaction {
  const [name = "", ...rest] = line.slice(1).split(" ");
  const parsed = parseTextOptions(bot.router.command(name)!, rest.join(" "));
  return { type: "command", user: animator, channelId: "console", canOpenModal: false, command: name, subcommand: parsed.subcommand, options: parsed.options };
}

/** Rows of every table, read from a connection of its own. */
function rowCounts(): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' AND name <> 'filler'").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

const ADD = "/membre ajouter prenom:Inès nom:Roy structure:MJC";

describe("the database fails under the bot", () => {
  it("SQLITE_BUSY past the retries: a French « busy, nothing recorded », then the same action succeeds", { timeout: 20_000 }, async () => {
    await bot.router.handle(command("/aide")); // the animator is registered before the counts
    const before = rowCounts();
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    let reply;
    try {
      reply = await bot.router.handle(command(ADD));
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(reply.text).toMatch(/^La base de données est occupée par un autre programme.*rien n'a été enregistré.*\(réf\. \w+\)$/s);
    expect(reply.text).not.toMatch(/Une erreur est survenue/);
    expect(rowCounts()).toEqual(before);
    expect(logs().some((l) => l.includes('"fault":"busy"'))).toBe(true);

    const again = await bot.router.handle(command(ADD));
    expect(again.tone).toBe("success");
    expect(rowCounts().Member).toBe(before.Member! + 1);
  });

  it("SQLITE_FULL (disk full): a French « disk full, nothing recorded », no half-written row, the scheduler still ticks, then it works again", { timeout: 20_000 }, async () => {
    await bot.router.handle(command("/aide"));
    const admin = await bot.services.members.findByRef("animateur", "console");
    await bot.services.settings.setChannel("console", "annonces", "annonces", admin.id);
    const prisma = bot.store.prisma;
    // Fill the file's free pages, then forbid growth: the next write that needs a page fails.
    await prisma.$executeRawUnsafe("CREATE TABLE filler (b BLOB)");
    const [row] = await prisma.$queryRawUnsafe<{ page_count: bigint }[]>("PRAGMA page_count");
    const pages = row!.page_count;
    await prisma.$queryRawUnsafe(`PRAGMA max_page_count = ${Number(pages) + 2}`);
    await expect(async () => {
      for (let i = 0; i < 100; i++) await prisma.$executeRawUnsafe("INSERT INTO filler VALUES (randomblob(2000))");
    }).rejects.toThrow(/full/i);
    const before = rowCounts();

    // 3,000 « é » take 6,000 bytes: more than a page, so the write must grow the file.
    const reply = await bot.router.handle(command(`/annonce publier texte:"${"é".repeat(3000)}"`));
    expect(reply.text).toMatch(/^Le disque du serveur du bot est plein : rien n'a été enregistré\..*\(réf\. \w+\)$/s);
    expect(rowCounts()).toEqual(before);
    expect(logs().some((l) => l.includes('"fault":"full"'))).toBe(true);
    await bot.scheduler.tick(); // keeps running: a tick on a full disk does not throw
    expect((await bot.health()).database.reachable).toBe(true);

    await prisma.$queryRawUnsafe("PRAGMA max_page_count = 1073741823"); // space freed
    const again = await bot.router.handle(command(`/annonce publier texte:"${"é".repeat(3000)}"`));
    expect(again.tone).toBe("success");
    expect(rowCounts().Announcement).toBe(before.Announcement! + 1);
  });
});
