/**
 * The world of the collective-features specs (announcements, polls, practice analysis, training
 * survey): the real bot (startBot, all commands and jobs) on the Discord and Slack emulators at
 * once, a clock the spec moves, the scheduler ticked by hand, and the « annonces » and
 * « rencontres » channels configured on both platforms.
 */
import { startBot, type Bot } from "../../src/app.js";
import { ManualClock } from "../helpers/clock.js";
import type { Collective } from "../../src/core/polls/index.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { customIdsOf } from "../emulators/discord/interaction-handle.js";
import { messageText } from "../emulators/discord/message-content.js";
import type { EmuMessage } from "../emulators/discord/types.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { bothEnv } from "../helpers/env.js";

/** Monday 2 March 2026, 09:00 in Paris. */
const START = "2026-03-02T08:00:00Z";

export interface World {
  bot: Bot;
  discord: DiscordEmulator;
  slack: SlackEmulator;
  clock: ManualClock;
  storeUrl: string;
  logs: () => string[];
  c: Collective;
  /** The animator on each platform (BOT_ADMINS). */
  animator: { discord: string; slack: string };
  /** Channel ids of « annonces » and « rencontres » on each platform. */
  channels: { discord: { annonces: string; rencontres: string }; slack: { annonces: string; rencontres: string } };
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the world. The live-render window is long by default so a spec decides when renders
 * happen (`c.live.flush()`): every vote cast before a flush is shown by exactly one edit.
 */
export async function startWorld(options: { liveWindowMs?: number } = {}): Promise<World> {
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  const clock = new ManualClock(START);
  const animator = {
    discord: discord.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id,
    slack: slack.addUser({ name: "sophie", realName: "Sophie Animatrice", firstName: "Sophie" }).id,
  };
  const channels = {
    discord: { annonces: discord.addChannel({ name: "annonces" }).id, rencontres: discord.addChannel({ name: "rencontres" }).id },
    slack: { annonces: slack.addChannel({ name: "annonces" }).id, rencontres: slack.addChannel({ name: "rencontres" }).id },
  };
  const memory = memoryLogger([discord.token, slack.botToken, slack.appToken]);
  const config = await testConfig({
    ...bothEnv(discord, slack),
    BOT_ADMINS: `discord:${animator.discord},slack:${animator.slack}`,
  });
  const featureOptions = { polls: { liveWindowMs: options.liveWindowMs ?? 60_000 } };
  const start = () => startBot({ config, log: memory.log, clock, scheduler: { timer: false }, featureOptions });
  const world: World = {
    bot: await start(),
    discord,
    slack,
    clock,
    storeUrl: config.DATABASE_URL,
    logs: memory.lines,
    c: undefined as unknown as Collective,
    animator,
    channels,
    async restart() {
      await world.bot.stop();
      world.bot = await start();
      world.c = world.bot.features.polls;
    },
    async stop() {
      await world.bot.stop();
      await discord.close();
      await slack.close();
    },
  };
  world.c = world.bot.features.polls;
  // The animators' records exist from BOT_ADMINS; both are the same person on two platforms here,
  // which does not matter for these specs.
  const admin = await world.bot.services.members.findByRef(animator.discord, "discord");
  for (const platform of ["discord", "slack"] as const) {
    for (const usage of ["annonces", "rencontres"] as const) {
      await world.bot.services.settings.setChannel(platform, usage, channels[platform][usage], admin.id);
    }
  }
  return world;
}

/** Runs a Slack command as `userId` and returns what Slack shows for it. */
export async function slackCommand(slack: SlackEmulator, userId: string, text: string) {
  const [name, ...rest] = text.split(" ");
  const h = slack.slashCommand({ userId, command: name!, text: rest.join(" ") });
  await h.ack();
  return h.final();
}

/**
 * What Slack shows the user after a button or a select: the bot answers through response_url
 * after the ack, possibly after registering a newcomer, so wait for that private answer.
 */
export function slackAnswer(h: { final(o?: { until?: (m: { ephemeral: boolean }) => boolean; timeoutMs?: number }): Promise<import("../emulators/slack/types.js").SlackMessage> }) {
  return h.final({ until: (m) => m.ephemeral, timeoutMs: 5000 });
}

/** What the bot posted in a Discord channel for everyone (not the private answers to interactions). */
export function postedIn(discord: DiscordEmulator, channelId: string): EmuMessage[] {
  return discord
    .messagesIn(channelId)
    .filter((m) => m.author.id === discord.botUserId && ((m.flags ?? 0) & 64) === 0 && (m as { interaction_metadata?: unknown }).interaction_metadata === undefined);
}

/** The latest message the bot posted for everyone in a Discord channel. */
export function lastDiscord(discord: DiscordEmulator, channelId: string): EmuMessage | undefined {
  return postedIn(discord, channelId).at(-1);
}

/**
 * Everything the bot ever showed anyone, as text: every message it authored on Discord (channels,
 * DMs, interaction replies, private or not) and on Slack (posts, DMs, ephemerals, response_url
 * answers, views), with component ids. Used to check that nothing leaks.
 */
export function everythingShown(world: Pick<World, "discord" | "slack">): string[] {
  const { discord, slack } = world;
  const discordStore = (discord as unknown as { store: { messages: Map<string, { message: EmuMessage }> } }).store;
  const fromDiscord = [...discordStore.messages.values()]
    .map((m) => m.message)
    .filter((m) => m.author.id === discord.botUserId || (m as { webhook_id?: string }).webhook_id !== undefined || (m as { interaction_metadata?: unknown }).interaction_metadata !== undefined)
    .map((m) => `${messageText(m)}\n${customIdsOf(m).join(" ")}`);
  const ws = (slack as unknown as { ws: { messages: { user: string; fullText: string; blocks?: unknown[] }[]; views: unknown[] } }).ws;
  const fromSlack = ws.messages.filter((m) => m.user === slack.botUserId).map((m) => `${m.fullText}\n${JSON.stringify(m.blocks ?? [])}`);
  const views = ws.views.map((v) => JSON.stringify((v as { view?: unknown }).view ?? v));
  return [...fromDiscord, ...fromSlack, ...views];
}

