import { describe, expect, it } from "vitest";

import { lockDatabase, openStore, sqliteFileFromUrl } from "../../src/store/index.js";
import { NOW, seedYear } from "../core/reporting/seed-year.js";
import { runConsole, testConfig } from "../helpers/bot.js";
import { runScript as run } from "../helpers/script.js";


describe("npm run sauvegarde, then npm run restauration", () => {
  it("backs up, refuses to restore while a bot runs, restores with the bot stopped, and the dashboard shows the same figures", async () => {
    const config = await testConfig();
    const dbFile = sqliteFileFromUrl(config.DATABASE_URL);
    const env = { DATABASE_URL: config.DATABASE_URL, BACKUP_DIR: `${dbFile}-sauvegardes` };
    const at = NOW.toISOString();
    const seeded = await openStore(config.DATABASE_URL);
    await seedYear(seeded.prisma);
    await seeded.close();
    const before = await runConsole(["/tableau"], { config, at });
    expect(before.printed).toContain("Tableau de bord 2026");

    const saved = await run("sauvegarde", [], env);
    expect(saved.code, saved.stderr).toBe(0);
    const file = /Sauvegarde écrite : (\S+\.db) \((\d+ Ko|[\d,]+ Mo)\), vérifiée\./.exec(saved.stdout)?.[1];
    expect(file, saved.stdout).toBeDefined();

    // The year goes on: a new meeting after the backup.
    await runConsole(["/aide"], { config, at, setup: async (bot) => void (await bot.store.prisma.member.create({ data: { firstName: "Nouveau", displayName: "Nouveau Venu", status: "ACTIVE" } })) });

    const bot = lockDatabase(dbFile);
    try {
      const refused = await run("restauration", [file!], env);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`Un autre bot utilise déjà cette base (pid ${process.pid})`);
      expect(refused.stderr).toContain("Rien n'a été modifié.");
    } finally {
      bot.release();
    }

    const restored = await run("restauration", [file!], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain("L'ancienne base est gardée de côté : ");
    expect(restored.stdout).toContain("Redémarrez le bot");
    const after = await runConsole(["/tableau"], { config, at });
    expect(after.printed).toBe(before.printed);
  }, 120_000);
});
