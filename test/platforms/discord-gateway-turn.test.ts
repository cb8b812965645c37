/**
 * Several instances on one PostgreSQL database: one holds Discord's gateway, the others wait for
 * it. When the holder goes, a waiting instance must learn of it at once (the server frees the lock
 * the moment the holder's session ends) rather than at its next try, so commands are answered
 * again within a login. Run by the "postgresql" vitest project only.
 */
import { PassThrough } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { startBot, type Bot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ManualClock } from "../helpers/clock.js";
import { createLogger } from "../../src/logger.js";
import type { DiscordAdapter } from "../../src/platforms/discord/adapter.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { discordEnv } from "../helpers/env.js";
import { until } from "../scheduler/helpers.js";

const onPostgres = process.env["PROMENEURS_TEST_STORE"] === "postgresql";
const log = createLogger({ level: "silent", pretty: false });
const bots: Bot[] = [];
let emu: DiscordEmulator | undefined;
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  await emu?.close();
  emu = undefined;
});

async function instance(url: string, discord: DiscordEmulator): Promise<Bot> {
  const config = loadConfig({ DATABASE_URL: url, ...discordEnv(discord), WEB_PORT: "off", LOG_LEVEL: "silent" }, "");
  const bot = await startBot({ config, log, clock: new ManualClock("2026-03-02T08:00:00Z"), exclusive: false, scheduler: { timer: false }, input: new PassThrough(), output: new PassThrough() });
  bots.push(bot);
  return bot;
}

/** Both run in this process, so both have the same instance name: ask each one's adapter. */
const holdsGateway = async (bot: Bot) => (bot.adapters.find((a) => a.name === "discord") as DiscordAdapter).holdsGateway;

describe.skipIf(!onPostgres)("Discord's gateway among instances on PostgreSQL", () => {
  it("passes to the waiting instance within a login of the holder's end, not at its next try", async () => {
    const { freshPostgresUrl } = await import("../store/postgres-fixture.js");
    const url = await freshPostgresUrl();
    emu = await startDiscordEmulator();
    const holder = await instance(url, emu);
    expect(await holdsGateway(holder)).toBe(true);
    // The standby has just found the lock taken: only a wait on the lock itself sees it freed now.
    const standby = await instance(url, emu);
    expect(await holdsGateway(standby)).toBe(false);
    expect(emu.liveSessions).toBe(1);

    await holder.stop();
    bots.splice(bots.indexOf(holder), 1);
    const endedAt = performance.now();
    await until(async () => emu!.liveSessions === 1 && (await holdsGateway(standby)), 20_000);
    const tookMs = performance.now() - endedAt;
    console.info(`[relève] gateway Discord repris en ${Math.round(tookMs)} ms`);
    expect(tookMs).toBeLessThan(2_500);
    // And it answers commands.
    const user = emu.addUser({ username: "lina" }).id;
    expect((await emu.sendCommand({ userId: user, name: "aide" }).final({ timeoutMs: 10_000 })).text).toContain("/annuaire");
  }, 60_000);
});

if (!onPostgres) it.skip("relève du gateway Discord : tourne dans le projet « postgresql » (il faut PostgreSQL)", () => {});
