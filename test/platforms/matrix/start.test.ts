/**
 * Starting the bot with Matrix configured: an unreachable homeserver never holds Discord or Slack
 * back (the bot keeps trying in the background); refused credentials stop the start with a French reason.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../../src/app.js";
import { MatrixEmulator } from "../../emulators/matrix/index.js";
import { startSlackEmulator, type SlackEmulator } from "../../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../../helpers/bot.js";
import { slackEnv } from "../../helpers/env.js";

let bot: Bot | undefined;
let slack: SlackEmulator | undefined;
let emu: MatrixEmulator | undefined;

afterEach(async () => {
  await bot?.stop();
  await slack?.close();
  await emu?.stop();
  bot = slack = emu = undefined;
});

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), "pdn-matrix-start-"));

describe("the bot starting with Matrix", { timeout: 60_000 }, () => {
  it("serves Slack at once when the homeserver is unreachable, and says Matrix is down", async () => {
    slack = await startSlackEmulator();
    const user = slack.addUser({ name: "lucas", realName: "Lucas Bernard" }).id;
    const memory = memoryLogger(["mot-de-passe"]);
    const config = await testConfig({ ...slackEnv(slack), MATRIX_HOMESERVER_URL: "http://127.0.0.1:9", MATRIX_USER: "bot", MATRIX_PASSWORD: "mot-de-passe", MATRIX_DATA_DIR: dataDir() });
    bot = await startBot({ config, log: memory.log, scheduler: { timer: false } });
    const h = slack.slashCommand({ userId: user, command: "/aide", text: "" });
    await h.ack();
    expect((await h.final()).fullText).toContain("/annuaire");
    const matrix = bot.adapters.find((a) => a.name === "matrix")!;
    expect(matrix.connected?.()).toBe(false);
    expect(memory.lines().some((l) => l.includes("Matrix injoignable au démarrage"))).toBe(true);
    expect(memory.lines().join("\n")).not.toContain("mot-de-passe");
  });

  it("refuses to start with a wrong password, saying which variables to check", async () => {
    emu = await new MatrixEmulator().start();
    emu.addUser("bot", { password: "le-bon" });
    const config = await testConfig({ MATRIX_HOMESERVER_URL: emu.url, MATRIX_USER: "bot", MATRIX_PASSWORD: "un-autre", MATRIX_DATA_DIR: dataDir() });
    await expect(startBot({ config, log: memoryLogger().log, scheduler: { timer: false } })).rejects.toThrow(/refuse le compte du bot \(vérifiez MATRIX_USER et MATRIX_PASSWORD/);
  });
});
