/**
 * The Slack Socket Mode connection going away under the bot (startBot, unmodified Bolt, the Slack
 * emulator): Slack's own `disconnect` message (`refresh_requested`, sent every few hours) and a
 * connection cut without a goodbye. Each time the bot's health reports Slack down at once, Bolt reconnects by itself (after its fixed wait: 5 s, its client ping timeout), health reports it
 * up again and commands are answered. A command typed during those 5 s is not acknowledged in
 * Slack's 3 s: a limit of @slack/socket-mode, noted in notes/h18f.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { slackEnv } from "../helpers/env.js";

let emu: SlackEmulator;
let bot: Bot;
let animator: string;
let connections = 1;

beforeAll(async () => {
  emu = await startSlackEmulator();
  animator = emu.addUser({ name: "sophie", realName: "Sophie Animatrice", firstName: "Sophie" }).id;
  const config = await testConfig({ ...slackEnv(emu), BOT_ADMINS: `slack:${animator}` });
  const memory = memoryLogger([emu.botToken, emu.appToken]);
  bot = await startBot({ config, log: memory.log, scheduler: { timer: false } });
});

afterAll(async () => {
  await bot.stop();
  await emu.close();
});

const slack = () => bot.adapters.find((a) => a.name === "slack")!;

async function answersAfterReconnecting(goAway: () => void): Promise<void> {
  const before = emu.callsTo("apps.connections.open").length;
  goAway();
  // Within a second of the close, not only once Bolt starts reconnecting 5 s later.
  await until(() => !slack().connected!(), "the socket is seen as down", 1000);
  expect((await bot.health()).platforms.slack).toEqual({ connected: false });
  await emu.waitForSocketConnection(++connections, 15_000);
  await until(() => slack().connected!(), "the socket is seen as up again", 15_000);
  expect(emu.callsTo("apps.connections.open").length).toBe(before + 1);
  expect((await bot.health()).platforms.slack).toEqual({ connected: true });
  const command = emu.slashCommand({ userId: animator, command: "/aide", text: "" });
  const shown = await command.final({ timeoutMs: 10_000 });
  expect(shown.text + JSON.stringify(shown.blocks ?? [])).toMatch(/commande/i);
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in time`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the Slack socket goes away", () => {
  it("disconnect « refresh_requested »: reported down, reconnects, reported up, answers", { timeout: 40_000 }, async () => {
    await answersAfterReconnecting(() => emu.disconnectSockets("refresh_requested"));
  });

  it("connection cut without a goodbye: reported down, reconnects, reported up, answers", { timeout: 40_000 }, async () => {
    await answersAfterReconnecting(() => emu.dropSockets());
  });
});
