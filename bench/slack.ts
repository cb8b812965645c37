import { commands } from "../commands/index.js";
import { startBot } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startBareSlackBot } from "../test/emulators/slack/bare-bot.js";
import { startSlackEmulator } from "../test/emulators/slack/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { seedNetwork } from "./seed.js";
import { bursts, sequential, summarise, type LatencyRow } from "./stats.js";
import { slackEnv } from "../test/helpers/env.js";

/** Slash-command ack latency on the Slack emulator: bare Bolt `pong` vs our `/annuaire`. */
export async function benchSlack(n: number): Promise<LatencyRow[]> {
  const emu = await startSlackEmulator();
  const user = emu.addUser({ name: "bench", realName: "Bench" }).id;
  const ack = async (command: string, text: string) => {
    const h = emu.slashCommand({ userId: user, command, text });
    await h.ack();
    return h.ackLatencyMs;
  };
  const rows: LatencyRow[] = [];
  try {
    const bare = await startBareSlackBot(emu);
    rows.push(summarise("Slack · bot nu (pong)", await sequential(n, 300, () => ack("/ping", ""))));
    rows.push(summarise("Slack · bot nu ×20 concurrents", await bursts(Math.ceil(n / 20), 20, () => ack("/ping", ""))));
    await bare.stop();

    const config = loadConfig({ DATABASE_URL: await freshStoreUrl(), ...slackEnv(emu), WEB_PORT: "off" }, "");
    const bot = await startBot({ config, log: createLogger({ level: "silent", pretty: false }), commands });
    await seedNetwork(bot.services);
    rows.push(summarise("Slack · /annuaire", await sequential(n, 300, () => ack("/annuaire", "commune:epinal"))));
    rows.push(summarise("Slack · /annuaire ×20 concurrents", await bursts(Math.ceil(n / 20), 20, () => ack("/annuaire", "commune:epinal"))));
    await bot.stop();
  } finally {
    await emu.close();
  }
  return rows;
}
