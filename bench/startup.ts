import { startDiscordEmulator } from "../test/emulators/discord/index.js";
import { startSlackEmulator } from "../test/emulators/slack/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { startProcess } from "./process.js";
import { percentile } from "./stats.js";
import { bothEnv } from "../test/helpers/env.js";

interface StartupFigures {
  consoleReadyMs: number[];
  consoleRssMb: number;
  bothReadyMs: number;
  bothRssMb: number;
  sigtermStopMs: number;
  sigtermCode: number | null;
}

/**
 * Start-up as `npm start` runs it (compiled files, same node flags), in separate processes:
 * console mode to « bot prêt », then Discord + Slack connected to the emulators, its RSS, and
 * how long SIGTERM takes to stop it cleanly.
 */
export async function benchStartup(runs: number): Promise<StartupFigures> {
  const consoleReadyMs: number[] = [];
  let consoleRssMb = 0;
  const url = await freshStoreUrl();
  for (let i = 0; i < runs; i++) {
    const p = await startProcess({ DATABASE_URL: url });
    consoleReadyMs.push(p.readyMs);
    consoleRssMb = Math.max(consoleRssMb, p.rssMb);
    const { code } = await p.stop("eof");
    if (code !== 0) throw new Error(`console exited with ${code}`);
  }
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  try {
    const p = await startProcess({
      DATABASE_URL: url,
      ...bothEnv(discord, slack),
    });
    const stopped = await p.stop("SIGTERM");
    return { consoleReadyMs, consoleRssMb, bothReadyMs: p.readyMs, bothRssMb: p.rssMb, sigtermStopMs: stopped.ms, sigtermCode: stopped.code };
  } finally {
    await discord.close();
    await slack.close();
  }
}

export const median = (values: number[]) => percentile(values, 50);
