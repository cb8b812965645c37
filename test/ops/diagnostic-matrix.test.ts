/**
 * npm run diagnostic and /config verifier, the Matrix side, against the Matrix emulator through the
 * real matrix-js-sdk: the homeserver answers, the bot's token is accepted (whoami), each room of
 * MATRIX_ROOMS is joined or waits for the bot, and the encryption is ready; a French fix for each
 * failure. The diagnostic never logs in (it would make a new device).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkSetup, formatDiagnostic } from "../../src/ops/diagnostic.js";
import { MatrixEmulator } from "../emulators/matrix/index.js";
import { testConfig } from "../helpers/bot.js";
import { command, privateMessage, startMatrixWorld } from "../e2e/matrix-world.js";

let emu: MatrixEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const now = new Date("2026-03-02T08:00:00Z");
const dataDir = () => mkdtempSync(path.join(os.tmpdir(), "pdn-matrix-diag-"));

async function matrixLines(env: Record<string, string>) {
  const checks = await checkSetup(await testConfig(env), now);
  return checks.filter((c) => c.label.startsWith("Matrix"));
}

describe("diagnostic of Matrix", { timeout: 120_000 }, () => {
  it("says when the homeserver does not answer, and which address to check", async () => {
    const lines = await matrixLines({ MATRIX_HOMESERVER_URL: "http://127.0.0.1:9", MATRIX_ACCESS_TOKEN: "syt_jeton", MATRIX_ROOMS: "!salon:emu.test", MATRIX_DATA_DIR: dataDir() });
    expect(lines).toEqual([expect.objectContaining({ label: "Matrix : serveur", ok: false, detail: "http://127.0.0.1:9 ne répond pas comme un serveur Matrix" })]);
    expect(lines[0]!.fix).toContain("MATRIX_HOMESERVER_URL");
  });

  it("refuses a revoked token, and names each room the bot is not in nor invited to, and the missing keys", async () => {
    emu = await new MatrixEmulator().start();
    const bot = emu.addUser("promeneurs-bot").userId;
    const nora = emu.addUser("nora").userId;
    const refused = await matrixLines({ MATRIX_HOMESERVER_URL: emu.url, MATRIX_ACCESS_TOKEN: "syt_revoque", MATRIX_ROOMS: "!salon:emu.test", MATRIX_DATA_DIR: dataDir() });
    expect(refused.map((c) => [c.label, c.ok, c.detail])).toEqual([
      ["Matrix : serveur", true, `${emu.url} répond`],
      ["Matrix : compte du bot", false, "jeton refusé par le serveur"],
    ]);
    expect(refused[1]!.fix).toContain("MATRIX_ACCESS_TOKEN");

    const joined = emu.createRoom(nora, { name: "Réseau", invite: [bot], encrypted: true });
    emu.join(joined.roomId, bot);
    emu.createRoom(nora, { name: "Rencontres", alias: "rencontres", invite: [bot] });
    const elsewhere = emu.createRoom(nora, { name: "Équipe" });
    const { accessToken, deviceId } = emu.token(bot);
    const rooms = [joined.roomId, "#rencontres:emu.test", elsewhere.roomId, "#inconnu:emu.test"].join(",");
    const lines = await matrixLines({ MATRIX_HOMESERVER_URL: emu.url, MATRIX_ACCESS_TOKEN: accessToken, MATRIX_ROOMS: rooms, MATRIX_DATA_DIR: dataDir() });
    expect(lines.map((c) => [c.label, c.ok, c.detail])).toEqual([
      ["Matrix : serveur", true, `${emu.url} répond`],
      ["Matrix : compte du bot", true, `${bot}, appareil ${deviceId}`],
      [`Matrix : salon ${joined.roomId}`, true, "le bot est dans le salon"],
      ["Matrix : salon #rencontres:emu.test", true, "le bot est invité : il rejoindra le salon à son démarrage"],
      [`Matrix : salon ${elsewhere.roomId}`, false, "le bot n'est ni dans ce salon ni invité"],
      ["Matrix : salon #inconnu:emu.test", false, "alias inconnu du serveur"],
      ["Matrix : chiffrement", false, `l'appareil ${deviceId} n'a pas encore de clés`],
    ]);
    expect(lines[4]!.fix).toContain(`Inviter → ${bot}`);
    expect(lines[6]!.fix).toContain("Démarrez le bot une fois");
    // Checking logged nobody in: the bot's account still has the one device the token belongs to.
    expect([...emu.account(bot).devices.keys()]).toEqual([deviceId]);
  });

  it("is all right once the bot has started, and /config verifier on Matrix says so", async () => {
    const w = await startMatrixWorld();
    const lines = (await checkSetup(w.config, now)).filter((c) => c.label.startsWith("Matrix"));
    expect(lines.filter((c) => !c.ok)).toEqual([]);
    expect(lines.map((c) => c.label)).toEqual(["Matrix : serveur", "Matrix : compte du bot", `Matrix : salon ${w.roomId}`, "Matrix : chiffrement"]);
    expect(formatDiagnostic(lines)).toContain("clés publiées et gardées dans");

    await command(w, w.nora, "!config verifier");
    const report = await privateMessage(w, w.nora, (m) => m.body.includes("Matrix : chiffrement"), "the check's report");
    expect(report.body).toContain(`Matrix : salon ${w.roomId}`);
  });
});
