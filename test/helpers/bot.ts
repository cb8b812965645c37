import { PassThrough } from "node:stream";
import { startBot, type Bot } from "../../src/app.js";
import type { CommandDef } from "../../src/bot/command.js";
import { loadConfig, type Config } from "../../src/config.js";
import { ManualClock } from "./clock.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { freshStoreUrl } from "../store/fixture.js";
import { reportBotOutput } from "./bot-output.js";

/** Log lines kept in memory so a test can assert what was (and was not) logged. */
export function memoryLogger(secrets: string[] = []): { log: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on("data", (c: Buffer) => chunks.push(c.toString()));
  const log = createLogger({ level: "debug", secrets, pretty: false, destination: stream });
  return { log, lines: () => chunks.join("").split("\n").filter(Boolean) };
}

/** A config as main.ts would read it, on a fresh migrated SQLite file. */
export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  // The site stays closed unless a test asks for it: parallel bots would fight over one port.
  return loadConfig({ DATABASE_URL: await freshStoreUrl(), LOG_LEVEL: "debug", WEB_PORT: "off", ...env }, "");
}

/**
 * Runs the real bot wiring with the console adapter on a script of lines, the way
 * `printf '…' | npm start` does, and returns everything it printed.
 */
export async function runConsole(
  lines: string[],
  opts: { env?: Record<string, string>; commands?: readonly CommandDef[]; setup?: (bot: Bot) => Promise<void>; config?: Config; at?: string } = {},
) {
  // Passing the config of an earlier run restarts the bot on the same database.
  const config = opts.config ?? (await testConfig(opts.env));
  const { log, lines: logLines } = memoryLogger();
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (c: Buffer) => (printed += c.toString()));
  const bot = await startBot({ config, log, input, output, clock: new ManualClock(opts.at ?? "2026-03-02T08:00:00Z"), commands: opts.commands });
  if (opts.setup) await opts.setup(bot);
  input.end(lines.map((l) => `${l}\n`).join(""));
  await bot.console!.closed;
  await bot.stop();
  reportBotOutput("console", printed);
  return { printed, logLines, config };
}

/** A command that always fails, to check a crash is answered and logged with a reference. */
export const crashingCommand: CommandDef = {
  name: "panne",
  description: "Échoue toujours (tests)",
  subcommands: [
    {
      name: "",
      description: "Échoue toujours",
      options: {},
      run() {
        throw new Error("disque plein (panne simulée)");
      },
    },
  ],
};
