import { startBot } from "./app.js";
import { ConfigError, loadConfig, platformsOf, secretsOf } from "./config.js";
import { createLogger } from "./logger.js";
import { DatabaseInUse } from "./store/index.js";
import { ProcessGuards } from "./process-guards.js";

/**
 * Entry point of `npm start`: console adapter with no token (stops at end of input),
 * Discord and/or Slack otherwise (stops on SIGTERM/SIGINT).
 */
async function main(): Promise<number> {
  // First: a failure anywhere below (config, start-up, a handler) is logged with a reference.
  const guards = new ProcessGuards();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nCorrigez ces variables (environnement ou fichier .env) puis relancez.\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger({ level: config.LOG_LEVEL, secrets: secretsOf(config) });
  guards.useLogger(log);
  const startedAt = performance.now();
  let bot;
  try {
    bot = await startBot({ config, log });
  } catch (err) {
    if (!(err instanceof DatabaseInUse)) throw err;
    process.stderr.write(`${err.message}\nArrêtez-le d'abord (par exemple : sudo systemctl stop promeneurs-bot) ou choisissez une autre DATABASE_URL.\n`);
    return err.exitCode;
  }
  guards.onFatalStop(() => bot.stop());
  const platforms = platformsOf(config);
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "arrêt demandé");
      const force = setTimeout(() => resolve(1), 8000);
      force.unref();
      bot.stop().then(() => resolve(0), (err) => {
        log.error({ err }, "arrêt incomplet");
        resolve(1);
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    if (bot.console && !platforms.discord && !platforms.slack) {
      void bot.console.closed.then(() => stop("fin de l'entrée"));
    }
  });
  // Said once the signals are handled: a supervisor may send SIGTERM as soon as it reads this line,
  // and a signal with no listener yet would kill the process at once, without a clean stop.
  log.info(
    { ms: Math.round(performance.now() - startedAt), rssMb: Math.round(process.memoryUsage().rss / 1048576), platforms: bot.adapters.map((a) => a.name) },
    "bot prêt",
  );
  return stopped;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Libraries may keep sockets or timers referenced after a clean stop; do not hang on them.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err) => {
    process.stderr.write(`Le bot n'a pas pu démarrer : ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
