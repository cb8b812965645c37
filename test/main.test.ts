import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { startProcess } from "../bench/process.js";
import { startDiscordEmulator } from "./emulators/discord/index.js";
import { freshStoreUrl } from "./store/fixture.js";
import { discordEnv } from "./helpers/env.js";

/** Runs `npm start` itself (build, then the compiled bot) with a script on stdin. */
function start(stdin: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["start", "--silent"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("npm start", () => {
  it("prints the help for `printf '/aide\\n' | npm start` and exits 0", async () => {
    const { code, stdout, stderr } = await start("/aide\n", { DATABASE_URL: await freshStoreUrl(), LOG_LEVEL: "info" });
    expect(stdout).toContain("Aide — Promeneurs du Net des Vosges");
    expect(stdout).toContain("/annuaire");
    expect(code, stderr).toBe(0);
    // Logs go to stderr as JSON so stdout stays the conversation.
    expect(stderr.split("\n").filter(Boolean).map((l) => JSON.parse(l).msg)).toContain("bot prêt");
  });

  it("refuses to start on a malformed variable, naming it and its expected form", async () => {
    const { code, stderr, stdout } = await start("", { DATABASE_URL: "mysql://x", BOT_TIMEZONE: "Lune/Mer", DISCORD_TOKEN: "abc" });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("DATABASE_URL : attendu « file:chemin/vers/base.db » (SQLite) ou « postgresql://… »");
    expect(stderr).toContain("BOT_TIMEZONE : attendu un fuseau IANA");
    expect(stderr).toContain("DISCORD_GUILD_ID : obligatoire quand DISCORD_TOKEN est défini");
  });
});

describe("npm start with a platform token", () => {
  it("ignores the end of stdin, then stops cleanly on SIGTERM within a few seconds", async () => {
    execFileSync(process.execPath, ["scripts/build.mjs"]);
    const emu = await startDiscordEmulator();
    try {
      const bot = await startProcess({ DATABASE_URL: await freshStoreUrl(), ...discordEnv(emu) });
      expect(emu.liveSessions).toBe(1);
      bot.endInput();
      await new Promise((r) => setTimeout(r, 300));
      const answered = await emu.sendCommand({ userId: emu.ownerId, name: "aide" }).final();
      expect(answered.text).toContain("/annuaire");
      const stopped = await bot.stop("SIGTERM");
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(5000);
      expect(emu.liveSessions).toBe(0);
    } finally {
      await emu.close();
    }
  });
});

describe("npm start and its supervisor", () => {
  it("handles SIGTERM from the moment it says « bot prêt » (a supervisor may stop it right then)", async () => {
    const probe = fileURLToPath(new URL("./e2e/fixtures/ready-probe.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", "--import", probe, "src/main.ts"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: await freshStoreUrl(), LOG_LEVEL: "info" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    const probed = new Promise<number>((resolve) => {
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        const line = stderr.split("\n").find((l) => l.includes('"probe":"sigterm-listeners"'));
        if (line) resolve((JSON.parse(line) as { count: number }).count);
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const listeners = await probed;
    child.kill("SIGTERM");
    expect(listeners, stderr).toBeGreaterThan(0);
    expect(await exited, stderr).toBe(0);
  }, 60_000);
});
