import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { startBot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startDiscordEmulator } from "../emulators/discord/index.js";
import { discordEnv } from "../helpers/env.js";
import { freshStoreUrl } from "../store/fixture.js";
import { commandsBesideCli, directoryCsv, runImport } from "../helpers/cli-beside-bot.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("npm run members:import next to the running bot", () => {
  it("imports the whole file while every command sent meanwhile (each registering a new member) is answered", async () => {
    // Discord's 3 s window is measured by `npm run bench`; on the shared test machine a process can
    // be starved of CPU for seconds, so here an answer counts unless it is an error or lost.
    const emu = await startDiscordEmulator({ interactionDeadlineMs: 20_000 });

    const databaseUrl = await freshStoreUrl();
    const bot = await startBot({ config: loadConfig({ DATABASE_URL: databaseUrl, ...discordEnv(emu) }, ""), log: createLogger({ level: "silent", pretty: false }) });
    try {
      const file = path.join(tmp, "annuaire.csv");
      writeFileSync(file, directoryCsv(400));
      let importing = true;
      const imported = runImport(file, databaseUrl).finally(() => (importing = false));
      let sent = 0;
      const failures: string[] = [];
      // Keeps commands coming until the import ends, four at a time, each from a new user (a write).
      while (importing || sent < 40) {
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            const user = emu.addUser({ username: `visiteur${++sent}` }).id;
            const answer = await emu.sendCommand({ userId: user, name: "aide" }).final().catch((e: unknown) => ({ text: String(e) }));
            if (!answer.text.includes("/annuaire")) failures.push(answer.text.slice(0, 200));
          }),
        );
      }
      const result = await imported;
      expect(result.stdout).toContain("Import terminé : 400 créés");
      expect(result.code, result.stderr).toBe(0);
      expect(sent).toBeGreaterThanOrEqual(40);
      expect(failures).toEqual([]);
      expect(await bot.store.prisma.member.count()).toBe(400 + sent);
    } finally {
      await bot.stop();
      await emu.close();
    }
  }, 180_000);

  // npm run sauvegarde copies a SQLite file; on PostgreSQL backups are pg_dump's (README), so this one is SQLite's.
  it.skipIf(process.env["PROMENEURS_TEST_STORE"] === "postgresql")("also with npm run sauvegarde running again and again beside it: no command fails (the bench's property, smaller)", async () => {
    // Same reason as above for the wide acknowledgement window; `npm run bench` measures with Discord's 3 s.
    const run = await commandsBesideCli({ lines: 300, commands: 40, deadlineMs: 20_000 });
    expect(run.imported).toMatchObject({ code: 0, stdout: expect.stringContaining("Import terminé : 300 créés") });
    expect(run.backups.length).toBeGreaterThanOrEqual(1);
    expect(run.backups.filter((b) => b.code !== 0).map((b) => b.stderr)).toEqual([]);
    expect(run.backups[0]!.stdout).toMatch(/Sauvegarde écrite : .+\.db \(.+\), vérifiée\./);
    expect(run.sent).toBeGreaterThanOrEqual(40);
    expect(run.failures).toEqual([]);
    expect(run.latenciesMs).toHaveLength(run.sent);
  }, 120_000);
});
