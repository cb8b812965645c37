// Discord, Slack and Matrix at once, for the stories that merge what people do on all three (a poll
// voted on each platform): the two emulators, the Matrix world with the bot, Sophie the animator on
// Discord (an administrator, as Nora is on Matrix), and an « annonces » channel on Discord and Slack.
import { afterEach } from "vitest";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { bothEnv } from "../helpers/env.js";
import { startMatrixWorld, type MatrixWorld } from "./matrix-world.js";

interface ThreePlatforms {
  w: MatrixWorld;
  discord: DiscordEmulator;
  slack: SlackEmulator;
  /** Sophie's Discord id. */
  animator: string;
  /** The « annonces » channel of each of Discord and Slack. */
  annonces: { discord: string; slack: string };
}

/** Registers the stop of everything after each test; returns the function that starts a fresh world. */
export function useThreePlatforms(): () => Promise<ThreePlatforms> {
  let running: ThreePlatforms | undefined;
  afterEach(async () => {
    await running?.w.bot.stop();
    await running?.discord.close();
    await running?.slack.close();
    running = undefined;
  });
  return async () => {
    const discord = await startDiscordEmulator();
    const slack = await startSlackEmulator();
    const animator = discord.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
    const annonces = { discord: discord.addChannel({ name: "annonces" }).id, slack: slack.addChannel({ name: "annonces" }).id };
    const env = { ...bothEnv(discord, slack), BOT_ADMINS: `discord:${animator},matrix:@nora:emu.test` };
    const w = await startMatrixWorld({ env, featureOptions: { polls: { liveWindowMs: 60_000 } } });
    running = { w, discord, slack, animator, annonces };
    const admin = await w.bot.services.members.findByRef(animator, "discord");
    for (const platform of ["discord", "slack"] as const) await w.bot.services.settings.setChannel(platform, "annonces", annonces[platform], admin.id);
    return running;
  };
}
