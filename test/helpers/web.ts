import { PassThrough } from "node:stream";
import { startBot, type Bot } from "../../src/app.js";
import { ManualClock } from "./clock.js";
import { memoryLogger, testConfig } from "./bot.js";

export interface WebBot {
  bot: Bot;
  /** The site's base address (an ephemeral port unless the test chose one). */
  url: string;
  clock: ManualClock;
  logLines: () => string[];
  /** Sends one console line as the local animator and resolves with what the bot printed. */
  say(line: string): Promise<string>;
  stop(): Promise<void>;
}

/** The whole bot (console adapter) with its site on an ephemeral port. */
export async function startWebBot(env: Record<string, string> = {}, at = "2026-03-02T08:00:00Z"): Promise<WebBot> {
  const config = await testConfig({ WEB_PORT: "0", ...env });
  const { log, lines } = memoryLogger();
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (c: Buffer) => (printed += c.toString()));
  const clock = new ManualClock(at);
  const bot = await startBot({ config, log, input, output, clock, scheduler: { timer: false } });
  const say = async (line: string) => {
    const before = printed.length;
    input.write(`${line}\n`);
    // The console answers in one go: wait for the first word, then for a quiet moment.
    const deadline = Date.now() + 5000;
    while (printed.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    let seen = -1;
    while (seen !== printed.length && Date.now() < deadline) {
      seen = printed.length;
      await new Promise((r) => setTimeout(r, 80));
    }
    return printed.slice(before);
  };
  return {
    bot,
    url: bot.web?.url ?? "",
    clock,
    logLines: lines,
    say,
    stop: async () => {
      input.end();
      await bot.stop();
    },
  };
}
