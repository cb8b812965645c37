import { execFileSync, spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { startProcess } from "../../bench/process.js";
import { DatabaseInUse, databaseInUse, lockDatabase, sqliteFileFromUrl } from "../../src/store/index.js";
import { startDiscordEmulator } from "../emulators/discord/index.js";
import { discordEnv } from "../helpers/env.js";
import { freshStoreUrl } from "./fixture.js";
import { PassThrough } from "node:stream";
import { startBot } from "../../src/app.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";

/** Runs the compiled bot to its end and returns how it ended. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [".build/src/main.js"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("the one-bot lock of a SQLite file", () => {
  it("refuses a second holder, naming the first's pid, until the first releases it", async () => {
    const file = sqliteFileFromUrl(await freshStoreUrl());
    const first = lockDatabase(file);
    expect(() => lockDatabase(file)).toThrow(DatabaseInUse);
    expect(databaseInUse(file)?.message).toBe(`Un autre bot utilise déjà cette base (pid ${process.pid}) : ${file}.`);
    first.release();
    expect(databaseInUse(file)).toBeNull();
    lockDatabase(file).release();
  });
});

describe("a console started next to a running bot", () => {
  it("is an inspection console: it answers but leaves the scheduled jobs to the bot holding the lock", async () => {
    const config = await testConfig();
    const running = await startBot({ config, log: memoryLogger().log, input: new PassThrough(), output: new PassThrough(), scheduler: { timer: false } });
    const { log, lines } = memoryLogger();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (c: Buffer) => (printed += c.toString()));
    const input = new PassThrough();
    const inspection = await startBot({ config, log, input, output, scheduler: { timer: false } });
    try {
      expect(running.runsScheduler).toBe(true);
      expect(inspection.runsScheduler).toBe(false);
      expect(lines().join("\n")).toContain("Console d'inspection : les tâches planifiées restent au bot en cours.");
      expect(lines().join("\n")).not.toContain("planificateur démarré");
      input.end("/aide\n");
      await inspection.console!.closed;
      expect(printed).toContain("/annuaire");
    } finally {
      await inspection.stop();
      await running.stop();
    }
  });
});

describe("two bots on the same SQLite file", () => {
  beforeAll(() => void execFileSync(process.execPath, ["scripts/build.mjs"]));

  it("refuses the second with exit code 3 naming the first's pid, the first keeps answering; after kill -9 of the first the second starts", async () => {
    const emu = await startDiscordEmulator();
    try {
      const env = { DATABASE_URL: await freshStoreUrl(), ...discordEnv(emu) };
      const first = await startProcess(env);
      const second = await runToExit(env);
      expect(second.code).toBe(3);
      expect(second.stderr).toContain(`Un autre bot utilise déjà cette base (pid ${first.pid})`);
      const answered = await emu.sendCommand({ userId: emu.ownerId, name: "aide" }).final();
      expect(answered.text).toContain("/annuaire");

      process.kill(first.pid, "SIGKILL");
      await first.stop("SIGTERM"); // resolves once the killed process has exited
      const third = await startProcess(env);
      const answeredAgain = await emu.sendCommand({ userId: emu.ownerId, name: "aide" }).final();
      expect(answeredAgain.text).toContain("/annuaire");
      expect((await third.stop("SIGTERM")).code).toBe(0);
    } finally {
      await emu.close();
    }
  }, 90_000);
});
