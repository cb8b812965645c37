/**
 * Self-test of the Discord emulator: an unmodified discord.js 14 client logs in over 127.0.0.1
 * (REST + gateway), answers a command, and gets Discord's errors. Resources have their own files
 * (discord-interactions, discord-messages, discord-guild, discord-gateway).
 */
import { Client, GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBareDiscordBot, type BareDiscordBot } from "./discord/bare-bot.js";
import { startDiscordEmulator, type DiscordEmulator, type EmuUser } from "./discord/index.js";

describe("bare discord.js bot against the emulator", () => {
  let emu: DiscordEmulator;
  let bot: BareDiscordBot;
  let alice: EmuUser;

  beforeAll(async () => {
    emu = await startDiscordEmulator();
    alice = emu.addUser({ username: "alice", globalName: "Alice" });
    bot = await startBareDiscordBot(emu);
  });

  afterAll(async () => {
    await bot?.stop();
    await emu?.close();
  });

  it("logs in through GET /gateway/bot, then READY and GUILD_CREATE fill the cache", () => {
    expect(emu.requests[0]).toMatchObject({ method: "GET", path: "/gateway/bot", status: 200 });
    expect(bot.client.user?.id).toBe(emu.botUserId);
    expect(bot.client.application?.id).toBe(emu.applicationId);
    const guild = bot.client.guilds.cache.get(emu.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(emu.generalChannelId)?.name).toBe("général");
    expect(guild?.members.me?.id).toBe(emu.botUserId);
    expect(emu.gatewayStats.identifies).toBe(1);
    expect(emu.unknownRequests()).toEqual([]);
  });

  it("answers /ping with pong", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    const response = await h.response();
    expect(response.type).toBe(4);
    expect(response.data?.content).toBe("pong");
    expect(h.responseLatencyMs).toBeGreaterThan(0);
    expect(h.responseLatencyMs).toBeLessThan(1000);
    const view = await h.final();
    expect(view.content).toBe("pong");
    expect(view.message?.author.id).toBe(emu.botUserId);
    expect(emu.messagesIn(emu.generalChannelId).at(-1)?.content).toBe("pong");
    expect(bot.errors).toEqual([]);
  });

  it("sends a realistic CHAT_INPUT payload (member, locale, token, app permissions)", () => {
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    expect(h.payload).toMatchObject({
      type: 2,
      application_id: emu.applicationId,
      guild_id: emu.guildId,
      channel_id: emu.generalChannelId,
      locale: "fr",
      member: { user: { id: alice.id, username: "alice", global_name: "Alice" } },
      data: { name: "ping", type: 1 },
    });
    expect(typeof h.payload.token).toBe("string");
    expect(BigInt(h.payload.app_permissions as string) > 0n).toBe(true);
    return h.response();
  });

  it("refuses a second acknowledgement and late callbacks like Discord", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    await h.response();
    const res = await fetch(`${emu.apiUrl}/v10/interactions/${h.id}/${h.token}/callback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: 4, data: { content: "again" } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: "Interaction has already been acknowledged.", code: 40060 });
  });

  it("answers unknown routes with a 404 JSON and records them", async () => {
    const res = await fetch(`${emu.apiUrl}/v10/nope/nothing`, { headers: { authorization: `Bot ${emu.token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404: Not Found", code: 0 });
    expect(emu.unknownRequests().map((r) => r.path)).toEqual(["/nope/nothing"]);
    emu.requests.length = 0; // keep the log assertion of other tests independent
  });

  it("rejects a bad token on REST (discord.js reports TokenInvalid)", async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });
    await expect(client.login("not-the-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    await client.destroy();
  });
});
