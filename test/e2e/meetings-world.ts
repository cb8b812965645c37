/**
 * The meetings' end-to-end world: the real bot wiring (startBot) connected to the Discord and
 * Slack emulators at once, a ManualClock, no scheduler timer (tests tick), and helpers to speak
 * as the animator or a Promeneur on either platform.
 */
import { afterEach } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { ManualClock } from "../helpers/clock.js";
import type { MemberWithAccounts } from "../../src/core/members.js";
import type { SchedulerTuning } from "../../src/scheduler/index.js";
import { messageText, startDiscordEmulator, type DiscordEmulator, type EmuMessage } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { bothEnv } from "../helpers/env.js";

export interface World {
  discord: DiscordEmulator;
  slack: SlackEmulator;
  clock: ManualClock;
  config: Config;
  bot: Bot;
  logs: () => { msg: string; [key: string]: unknown }[];
  /** Discord user id of the animator (an administrator through BOT_ADMINS). */
  animator: string;
  channels: { discord: { rencontres: string; rappels: string }; slack: { rencontres: string; rappels: string } };
  /** Starts the bot again on the same database (the emulators keep their state). */
  restart(tuning?: SchedulerTuning): Promise<Bot>;
  stop(): Promise<void>;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.bot.stop();
    await w.discord.close();
    await w.slack.close();
  }
});

export async function startWorld(options: { now?: string; rappelsOnSlack?: boolean; tuning?: SchedulerTuning } = {}): Promise<World> {
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  const animator = discord.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
  const config = await testConfig({
    ...bothEnv(discord, slack),
    BOT_ADMINS: `discord:${animator}`,
    LOG_LEVEL: "info",
  });
  const clock = new ManualClock(options.now ?? "2026-03-02T08:00:00Z"); // Monday 2 March 2026, 09:00 in Paris
  let memory = memoryLogger([discord.token, slack.botToken, slack.appToken]);
  const boot = async (tuning?: SchedulerTuning) => {
    memory = memoryLogger([discord.token, slack.botToken, slack.appToken]);
    const bot = await startBot({ config, log: memory.log, clock, commands, scheduler: { timer: false, heartbeatMs: 0, ...options.tuning, ...tuning } });
    // startBot ticks once on its own at start-up; wait for it so tests start from a quiet scheduler.
    await bot.scheduler.tick();
    return bot;
  };
  const bot = await boot();
  const channels = {
    discord: { rencontres: discord.addChannel({ name: "rencontres" }).id, rappels: discord.addChannel({ name: "rappels" }).id },
    slack: { rencontres: slack.addChannel({ name: "rencontres" }).id, rappels: slack.addChannel({ name: "rappels" }).id },
  };
  const admin = await bot.services.members.findByRef(animator, "discord");
  for (const platform of ["discord", "slack"] as const) {
    await bot.services.settings.setChannel(platform, "rencontres", channels[platform].rencontres, admin.id);
    if (platform === "discord" || options.rappelsOnSlack !== false) await bot.services.settings.setChannel(platform, "rappels", channels[platform].rappels, admin.id);
  }
  const world: World = {
    discord,
    slack,
    clock,
    config,
    bot,
    animator,
    channels,
    logs: () => memory.lines().map((l) => JSON.parse(l) as { msg: string }),
    async restart(tuning) {
      world.bot = await boot(tuning);
      return world.bot;
    },
    async stop() {
      await world.bot.stop();
    },
  };
  worlds.push(world);
  return world;
}

/** A Promeneur already in the network (active), with the given platform accounts. */
export async function promeneur(
  w: World,
  name: string,
  accounts: { discord?: string; slack?: string },
  profile: { kind?: "JEUNESSE" | "PARENTALITE"; status?: "ACTIVE" | "ONBOARDING" } = {},
): Promise<MemberWithAccounts> {
  const { members } = w.bot.services;
  const created = await members.create({ firstName: name, kind: profile.kind }, null);
  if (profile.status) await members.setStatus(created.id, profile.status, null);
  if (accounts.discord) await members.link(created.id, { platform: "discord", externalId: accounts.discord }, null);
  if (accounts.slack) await members.link(created.id, { platform: "slack", externalId: accounts.slack }, null);
  return (await members.get(created.id))!;
}

/** Runs a Discord slash command and returns what the user sees. */
export async function onDiscord(w: World, userId: string, subcommand: string, options: Record<string, string | number> = {}) {
  return w.discord.sendCommand({ userId, name: "rencontre", subcommand, options }).final();
}

/** Runs a Slack slash command (text form) and returns what the user sees. */
export async function onSlack(w: World, userId: string, text: string) {
  const h = w.slack.slashCommand({ userId, command: "/rencontre", text });
  await h.ack();
  // `until` keeps waiting past a quiet spell (a loaded machine) instead of concluding there is no answer.
  return h.final({ until: () => true, timeoutMs: 10_000 });
}

export async function clickOnDiscord(w: World, userId: string, customId: string, message?: EmuMessage) {
  return w.discord.clickButton({ userId, customId, message }).final();
}

export async function clickOnSlack(w: World, userId: string, actionId: string) {
  const h = w.slack.clickButton({ userId, actionId });
  await h.ack();
  // The answer is private; the edit of the meeting's post in the same channel is not it.
  return h.final({ until: (m) => m.ephemeral, timeoutMs: 10_000 });
}

/** Texts of the bot's DMs to a Discord user, oldest first (not the private answers to clicks made there). */
export function discordDms(w: World, userId: string): string[] {
  return w.discord.dmsTo(userId).filter((m) => !(m.flags & 64)).map((m) => messageText(m));
}

export function slackDms(w: World, userId: string): string[] {
  return w.slack.dmsTo(userId).map((m) => m.fullText);
}

/** The meeting's post in a channel (the newest bot message there). */
export function discordPost(w: World, channelId: string): string {
  return messageText(discordPostMessage(w, channelId));
}

/** The newest public bot message of a channel (ephemeral answers to clicks are stored there too). */
export function discordPostMessage(w: World, channelId: string): EmuMessage | undefined {
  return w.discord.messagesIn(channelId).filter((m) => m.author.id === w.discord.botUserId && !(m.flags & 64)).at(-1);
}

export function slackPost(w: World, channelId: string): string {
  return w.slack.messagesIn(channelId).filter((m) => !m.ephemeral).at(-1)?.fullText ?? "";
}

/** A Discord DM channel's messages route, to aim an injected failure at one person. */
export function dmRoute(w: World, userId: string) {
  return ({ method, path }: { method: string; path: string }) => method === "POST" && path === `/channels/${w.discord.store.dmChannelByUser.get(userId)}/messages`;
}

/** Creates a meeting as the animator on Discord and returns its number. */
export async function createMeeting(w: World, options: Record<string, string | number>) {
  const shown = await onDiscord(w, w.animator, "creer", { type: "departementale", titre: "Les réseaux sociaux des 11-15 ans", lieu: "MJC Épinal", ...options });
  const id = /Rencontre n° (\d+) créée/.exec(shown.text)?.[1];
  if (!id) throw new Error(`meeting not created: ${shown.text}`);
  return { id: Number(id), shown };
}
