/**
 * Two bot instances started together on a new PostgreSQL database (a deployment that starts its
 * replicas at once): both must come up, and what the first start writes once (the migrations, the
 * BOT_ADMINS administrators, the shipped watch sources, the recurring jobs) must exist once. Run by
 * the "postgresql" vitest project only.
 */
import { PassThrough } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { startBot, type Bot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ManualClock } from "../helpers/clock.js";
import { loadDefaultSources } from "../../src/core/watch/default-sources.js";
import { createLogger } from "../../src/logger.js";
import { openStore } from "../../src/store/index.js";

const onPostgres = process.env["PROMENEURS_TEST_STORE"] === "postgresql";
const log = createLogger({ level: "silent", pretty: false });
const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

describe.skipIf(!onPostgres)("two instances starting together on a new PostgreSQL database", () => {
  it("both start, and the first start's rows exist once (admins, shipped watch sources, recurring jobs)", async () => {
    const { emptyPostgresUrl } = await import("../store/postgres-fixture.js");
    const url = await emptyPostgresUrl();
    const config = loadConfig({ DATABASE_URL: url, BOT_ADMINS: "console:admin", WEB_PORT: "off", LOG_LEVEL: "silent" }, "");
    const start = () => startBot({ config, log, clock: new ManualClock("2026-03-02T08:00:00Z"), exclusive: false, scheduler: { timer: false }, input: new PassThrough(), output: new PassThrough() });
    const started = await Promise.allSettled([start(), start()]);
    for (const s of started) if (s.status === "fulfilled") bots.push(s.value);
    expect(started.map((s) => (s.status === "rejected" ? String(s.reason) : "started"))).toEqual(["started", "started"]);

    const store = await openStore(url, undefined, { migrate: false });
    try {
      const shipped = loadDefaultSources().length;
      expect(await store.prisma.watchSource.count()).toBe(shipped);
      expect(await store.prisma.platformAccount.count({ where: { platform: "CONSOLE", externalId: "admin" } })).toBe(1);
      expect(await store.prisma.member.count({ where: { role: "ADMIN" } })).toBe(1);
      const pending = await store.prisma.job.groupBy({ by: ["kind"], where: { state: "pending" }, _count: true });
      for (const row of pending) expect(row._count, row.kind).toBe(1);
    } finally {
      await store.close();
    }
  }, 120_000);
});

// In the "sqlite" project: reported, with where it runs.
if (!onPostgres) it.skip("deux instances démarrées ensemble : tourne dans le projet « postgresql » (il faut PostgreSQL)", () => {});
