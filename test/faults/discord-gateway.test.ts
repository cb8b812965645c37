/**
 * The Discord gateway closing under the bot, with each close code Discord documents, against the
 * emulator and the unmodified discord.js client:
 * - codes after which discord.js resumes the session (unknown error, bad opcode or payload, session
 *   timed out, any code Discord does not document): the bot answers again;
 * - codes after which discord.js opens a new session (not authenticated, already authenticated,
 *   invalid sequence, rate limited, a normal close): the bot answers again;
 * - fatal codes (bad token, sharding, API version, intents): no reconnection is possible; the bot
 *   says so in French in its log, its health reports Discord down, and it keeps running (the
 *   console and the scheduler go on).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { discordEnv } from "../helpers/env.js";

const RESUMABLE = [4000, 4001, 4002, 4009, 4999];
const NEW_SESSION = [1000, 4003, 4005, 4007, 4008];
const FATAL = [4004, 4010, 4011, 4012, 4013, 4014];

let emu: DiscordEmulator;
let bot: Bot;
let logs: () => string[];
let animator: string;

async function start(): Promise<void> {
  const config = await testConfig({ ...discordEnv(emu), BOT_ADMINS: `discord:${animator}` });
  const memory = memoryLogger([emu.token]);
  logs = memory.lines;
  bot = await startBot({ config, log: memory.log, scheduler: { timer: false } });
}

async function answersAgain(): Promise<void> {
  const answer = await emu.sendCommand({ userId: animator, name: "aide" }).final({ timeoutMs: 15_000 });
  expect(JSON.stringify(answer.embeds) + answer.content).toMatch(/commande/i);
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function discordAdapter() {
  return bot.adapters.find((a) => a.name === "discord")!;
}

describe("the gateway closed with a code after which discord.js reconnects", () => {
  beforeAll(async () => {
    emu = await startDiscordEmulator();
    animator = emu.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
    await start();
  });
  afterAll(async () => {
    await bot.stop();
    await emu.close();
  });

  it.each(RESUMABLE)("close code %i: the session resumes and the bot answers again", { timeout: 30_000 }, async (code) => {
    const resumes = emu.gatewayStats.resumes;
    emu.dropConnections(code);
    await until(() => emu.gatewayStats.resumes > resumes && discordAdapter().connected!(), `resume after ${code}`, 15_000);
    await answersAgain();
  });

  it.each(NEW_SESSION)("close code %i: a new session is opened and the bot answers again", { timeout: 30_000 }, async (code) => {
    const identifies = emu.gatewayStats.identifies;
    emu.dropConnections(code);
    await until(() => emu.gatewayStats.identifies > identifies && discordAdapter().connected!(), `new session after ${code}`, 15_000);
    await answersAgain();
  });
});

describe("the gateway closed with a fatal code", () => {
  beforeAll(async () => {
    emu = await startDiscordEmulator();
    animator = emu.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
  });
  afterEach(async () => bot.stop());
  afterAll(async () => emu.close());

  it.each(FATAL)("close code %i: the bot says why in French, reports Discord down, and keeps running", { timeout: 30_000 }, async (code) => {
    await start();
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => crashes.push(err);
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    try {
      emu.dropConnections(code);
      await until(() => logs().some((l) => l.includes(`"closeCode":${code}`)), `French log line for ${code}`, 15_000);
      const line = JSON.parse(logs().find((l) => l.includes(`"closeCode":${code}`))!) as { msg: string; level: number };
      expect(line.level).toBeGreaterThanOrEqual(50);
      expect(line.msg).toMatch(/Discord a fermé la connexion/);
      expect(discordAdapter().connected!()).toBe(false);
      const health = await bot.health();
      expect(health.platforms.discord).toEqual({ connected: false });
      // Still running: the store and the scheduler answer.
      expect(health.database.reachable).toBe(true);
      await bot.scheduler.tick();
      expect(crashes).toEqual([]);
    } finally {
      process.off("uncaughtException", onCrash);
      process.off("unhandledRejection", onCrash);
    }
  });
});
