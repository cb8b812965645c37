import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freshStoreUrl } from "./store/fixture.js";

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
