import { commands } from "../commands/index.js";
import { startBot } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startBareDiscordBot } from "../test/emulators/discord/bare-bot.js";
import { startDiscordEmulator } from "../test/emulators/discord/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { seedNetwork } from "./seed.js";
import { bursts, sequential, summarise, type LatencyRow } from "./stats.js";
import { discordEnv } from "../test/helpers/env.js";

/**
 * Interaction acknowledgement latency on the Discord emulator (INTERACTION_CREATE sent on the
 * gateway → callback request received): bare discord.js `pong` vs our `/annuaire`.
 */
export async function benchDiscord(n: number): Promise<LatencyRow[]> {
  const emu = await startDiscordEmulator();
  const user = emu.addUser({ username: "bench" }).id;
  const rows: LatencyRow[] = [];
  const measure = async (name: string, options?: Record<string, string>) => {
    const h = emu.sendCommand({ userId: user, name, options });
    await h.response();
    if (h.responseLatencyMs === undefined) throw new Error("no latency recorded");
    return h.responseLatencyMs;
  };
  try {
    const bare = await startBareDiscordBot(emu);
    rows.push(summarise("Discord · bot nu (pong)", await sequential(n, 300, () => measure("ping"))));
    rows.push(summarise("Discord · bot nu ×20 concurrents", await bursts(Math.ceil(n / 20), 20, () => measure("ping"))));
    await bare.stop();

    const config = loadConfig(
      { DATABASE_URL: await freshStoreUrl(), ...discordEnv(emu), WEB_PORT: "off" },
      "",
    );
    const bot = await startBot({ config, log: createLogger({ level: "silent", pretty: false }), commands });
    await seedNetwork(bot.services);
    const opts = { commune: "epinal" };
    rows.push(summarise("Discord · /annuaire", await sequential(n, 300, () => measure("annuaire", opts))));
    rows.push(summarise("Discord · /annuaire ×20 concurrents", await bursts(Math.ceil(n / 20), 20, () => measure("annuaire", opts))));
    await bot.stop();
  } finally {
    await emu.close();
  }
  return rows;
}
