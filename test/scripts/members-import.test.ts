import { spawn } from "node:child_process";
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

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `i` written with letters (names accept no digits): 1 → "b", 27 → "bb"… */
function letters(i: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  } while (i > 0);
  return s;
}

/** A directory export of `n` Promeneurs, as a spreadsheet writes it. */
export function directoryCsv(n: number): string {
  const lines = ["Prénom;Nom;Structure;Type;Commune;E-mail"];
  for (let i = 1; i <= n; i++) lines.push(`Cam${letters(i)};Durand;Structure ${i % 40};${i % 3 ? "jeunesse" : "parentalité"};Épinal;promeneur${i}@exemple.fr`);
  return `${lines.join("\n")}\n`;
}

/** `npm run members:import -- file` as the operator runs it, in its own process. */
export function runImport(file: string, databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/members-import.ts", file], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

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
      expect(result.stdout).toContain("Import terminé : 400 créé(s)");
      expect(result.code, result.stderr).toBe(0);
      expect(sent).toBeGreaterThanOrEqual(40);
      expect(failures).toEqual([]);
      expect(await bot.services.db.member.count()).toBe(400 + sent);
    } finally {
      await bot.stop();
      await emu.close();
    }
  }, 180_000);
});
