/**
 * The baseline bot for latency comparisons: a plain discord.js client with the options a
 * real bot would use, answering every slash command with "pong" and nothing else.
 */
import { Client, Events, GatewayIntentBits } from "discord.js";
import type { DiscordEmulator } from "./index.js";

export interface BareDiscordBot {
  client: Client;
  /** Failures of `interaction.reply` (kept rather than thrown so a benchmark can report them). */
  errors: unknown[];
  stop(): Promise<void>;
}

export async function startBareDiscordBot(emu: Pick<DiscordEmulator, "apiUrl" | "token">): Promise<BareDiscordBot> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    interaction.reply("pong").catch((err: unknown) => errors.push(err));
  });
  // Resolve only once the guild is cached, so callers can inject commands right away.
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(emu.token);
  await ready;
  return {
    client,
    errors,
    async stop() {
      await client.destroy();
    },
  };
}
