/** Joins and departures reach the core as neutral events, from both platforms. */
import { afterEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import type { PlatformEvent } from "../../src/core/events.js";
import { DiscordAdapter } from "../../src/platforms/discord/adapter.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { discordEnv, slackEnv } from "../helpers/env.js";

let bot: Bot | undefined;
let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;

afterEach(async () => {
  await bot?.stop();
  await discord?.close();
  await slack?.close();
  bot = discord = slack = undefined;
});

function record(b: Bot): PlatformEvent[] {
  const seen: PlatformEvent[] = [];
  b.services.events.on("joined", (e) => void seen.push(e));
  b.services.events.on("left", (e) => void seen.push(e));
  return seen;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe("platform events", () => {
  it("tells the core when someone joins or leaves the Discord server", async () => {
    discord = await startDiscordEmulator();
    bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...discordEnv(discord) }), log: memoryLogger().log });
    const seen = record(bot);
    const newcomer = discord.joinGuild({ username: "nouvelle", globalName: "Amina Nouvelle" });
    await until(() => seen.length === 1);
    discord.leaveGuild(newcomer.user.id);
    await until(() => seen.length === 2);
    expect(seen.map((e) => [e.type, e.user.platform, e.user.id, e.user.displayName])).toEqual([
      ["joined", "discord", newcomer.user.id, "Amina Nouvelle"],
      ["left", "discord", newcomer.user.id, "Amina Nouvelle"],
    ]);
  });

  it("runs without the Server Members intent when Discord refuses it, and says how to enable it", async () => {
    discord = await startDiscordEmulator({ privilegedIntents: 0 });
    const memory = memoryLogger();
    bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...discordEnv(discord) }), log: memory.log });
    expect((bot.adapters[0] as DiscordAdapter).seesMembers).toBe(false);
    expect(memory.lines().join("\n")).toContain("Privileged Gateway Intents");
    expect((await discord.sendCommand({ userId: discord.ownerId, name: "aide" }).final()).text).toContain("/annuaire");
  });

  it("tells the core when someone joins the Slack workspace or a channel, or leaves a channel", async () => {
    slack = await startSlackEmulator();
    bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...slackEnv(slack) }), log: memoryLogger().log });
    const seen = record(bot);
    const amina = slack.addUser({ name: "amina", realName: "Amina Nouvelle" });
    await slack.event("team_join", { user: { id: amina.id, name: "amina" } }).ack();
    await slack.event("member_joined_channel", { user: amina.id, channel: slack.defaultChannelId }).ack();
    await slack.event("member_left_channel", { user: amina.id, channel: slack.defaultChannelId }).ack();
    await until(() => seen.length === 3);
    expect(seen.map((e) => [e.type, e.user.id, e.channelId])).toEqual([
      ["joined", amina.id, undefined],
      ["joined", amina.id, slack.defaultChannelId],
      ["left", amina.id, slack.defaultChannelId],
    ]);
  });

  it("keeps serving when an event handler fails", async () => {
    slack = await startSlackEmulator();
    const memory = memoryLogger();
    bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...slackEnv(slack) }), log: memory.log });
    bot.services.events.on("joined", () => {
      throw new Error("onboarding en panne");
    });
    await slack.event("team_join", { user: { id: "U0NEW", name: "x" } }).ack();
    await until(() => memory.lines().some((l) => l.includes("onboarding en panne")));
    const h = slack.slashCommand({ userId: slack.defaultUserId, command: "/aide", text: "" });
    await h.ack();
    expect((await h.final()).fullText).toContain("/annuaire");
  });
});
