import { PassThrough } from "node:stream";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { startBot } from "../../../src/app.js";
import { ManualClock } from "../../helpers/clock.js";
import { sqliteFileFromUrl } from "../../../src/store/index.js";
import { memoryLogger, testConfig } from "../../helpers/bot.js";

describe("the daily backup job", () => {
  it("backs the database up at 03:00 Paris time into BACKUP_DIR, as a durable job", async () => {
    const base = await testConfig();
    const backupDir = `${sqliteFileFromUrl(base.DATABASE_URL)}-sauvegardes`;
    const config = { ...base, BACKUP_DIR: backupDir };
    const clock = new ManualClock("2026-03-02T20:00:00Z");
    const { log, lines } = memoryLogger();
    const bot = await startBot({ config, log, clock, input: new PassThrough(), output: new PassThrough(), scheduler: { timer: false } });
    try {
      const job = await bot.store.prisma.job.findFirst({ where: { kind: "backup.daily", state: "pending" } });
      expect(job?.dueAt.toISOString()).toBe("2026-03-03T02:00:00.000Z");
      clock.set("2026-03-03T02:00:01Z");
      await bot.scheduler.tick();
      expect(readdirSync(backupDir).filter((f) => f.endsWith("-20260303T020001Z.db"))).toHaveLength(1);
      expect(lines().some((l) => l.includes("sauvegarde quotidienne écrite"))).toBe(true);
    } finally {
      await bot.stop();
    }
  });
});
