/**
 * Several instances on one PostgreSQL database: one holds Discord's gateway, the others wait for
 * it. When the holder goes, a waiting instance must learn of it at once (the server frees the lock
 * the moment the holder's session ends) rather than at its next try, so commands are answered
 * again within a login. Run by the "postgresql" vitest project only.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { startBot, type Bot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ManualClock } from "../helpers/clock.js";
import { createLogger } from "../../src/logger.js";
import { queryRows, withPostgres } from "../../src/store/postgres.js";
import type { DiscordAdapter } from "../../src/platforms/discord/adapter.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { discordEnv } from "../helpers/env.js";
import { until } from "../scheduler/helpers.js";

const onPostgres = process.env["PROMENEURS_TEST_STORE"] === "postgresql";
const log = createLogger({ level: "silent", pretty: false });
const bots: Bot[] = [];
const closers: (() => Promise<void>)[] = [];
let emu: DiscordEmulator | undefined;
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  for (const close of closers.splice(0)) await close();
  await emu?.close();
  emu = undefined;
});

async function instance(url: string, discord: DiscordEmulator, apiUrl = discord.apiUrl): Promise<Bot> {
  const config = loadConfig({ DATABASE_URL: url, ...discordEnv(discord), DISCORD_API_URL: apiUrl, WEB_PORT: "off", LOG_LEVEL: "silent" }, "");
  const bot = await startBot({ config, log, clock: new ManualClock("2026-03-02T08:00:00Z"), exclusive: false, scheduler: { timer: false }, input: new PassThrough(), output: new PassThrough() });
  bots.push(bot);
  return bot;
}

/** Both run in this process, so both have the same instance name: ask each one's adapter. */
const holdsGateway = async (bot: Bot) => (bot.adapters.find((a) => a.name === "discord") as DiscordAdapter).holdsGateway;

/** A slow network in front of Discord's REST API: each request waits `delayMs` before it is forwarded. */
async function slowNetwork(apiUrl: string, delayMs: number): Promise<string> {
  const target = new URL(apiUrl);
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () =>
      setTimeout(() => {
        const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on("error", () => res.writeHead(502).end());
        upstream.end(Buffer.concat(body));
      }, delayMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`;
}

/** Ends the PostgreSQL session holding Discord's gateway lock, as a network cut would; false if no one holds it yet. */
async function cutTheLockHolder(url: string): Promise<boolean> {
  const rows = await withPostgres(url, (db) =>
    queryRows(db, "SELECT pg_terminate_backend(pid) AS cut FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
  );
  return rows.length > 0;
}

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

  it("gives the gateway up when its lock goes during the login, so two instances never serve at once", async () => {
    const { freshPostgresUrl } = await import("../store/postgres-fixture.js");
    const url = await freshPostgresUrl();
    emu = await startDiscordEmulator();
    // Its login waits on a slow network: the lock's session is cut in the middle of it.
    const starting = instance(url, emu, await slowNetwork(emu.apiUrl, 400));
    await until(() => cutTheLockHolder(url), 10_000);
    const first = await starting;
    const second = await instance(url, emu);
    const serving = async () => [(await holdsGateway(first)) ? 1 : 0, (await holdsGateway(second)) ? 1 : 0];
    await until(async () => emu!.liveSessions === 1 && (await serving()).reduce((a, b) => a + b) === 1, 20_000).catch(async () => {
      throw new Error(`gateway sessions: ${emu!.liveSessions}, instances serving: ${JSON.stringify(await serving())}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(emu.liveSessions).toBe(1);
  }, 60_000);
});

if (!onPostgres) it.skip("relève du gateway Discord : tourne dans le projet « postgresql » (il faut PostgreSQL)", () => {});
