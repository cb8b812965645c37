/**
 * What node flags cost in latency: the npm start process (compiled bot, Discord and Slack on the
 * emulators) started with each set of flags in turn, A B A B, and its /annuaire acknowledgement
 * p50 measured the same way each time. On a loaded machine the rounds alternate so that a busy
 * moment does not land on one variant only.
 *
 *   npx tsx bench/flags.ts
 */
import { pathToFileURL } from "node:url";

import { startDiscordEmulator } from "../test/emulators/discord/index.js";
import { startSlackEmulator } from "../test/emulators/slack/index.js";
import { bothEnv } from "../test/helpers/env.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { startCommand, startProcess } from "./process.js";
import { percentile, sequential } from "./stats.js";

interface FlagVariant {
  label: string;
  flags: string[];
}

interface FlagLatency {
  label: string;
  /** Median over the rounds of each round's p50, in ms. */
  discordP50: number;
  slackP50: number;
}

export async function benchFlags(variants: FlagVariant[], rounds = 2, n = 300): Promise<FlagLatency[]> {
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  const dUser = discord.addUser({ username: "mesure" }).id;
  const sUser = slack.addUser({ name: "mesure", realName: "Mesure" }).id;
  const samples = new Map(variants.map((v) => [v.label, { discord: [] as number[], slack: [] as number[] }]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const variant of variants) {
        const bot = await startProcess({ DATABASE_URL: await freshStoreUrl(), ...bothEnv(discord, slack), WEB_PORT: "0" }, variant.flags);
        try {
          const d = await sequential(n, 100, async () => {
            const h = discord.sendCommand({ userId: dUser, name: "annuaire", options: { commune: "Épinal" } });
            await h.response();
            return h.responseLatencyMs ?? NaN;
          });
          const s = await sequential(n, 100, async () => {
            const h = slack.slashCommand({ userId: sUser, command: "/annuaire", text: "commune:Épinal" });
            await h.ack();
            return h.ackLatencyMs;
          });
          samples.get(variant.label)!.discord.push(percentile(d, 50));
          samples.get(variant.label)!.slack.push(percentile(s, 50));
        } finally {
          await bot.stop("SIGTERM");
        }
      }
    }
  } finally {
    await discord.close();
    await slack.close();
  }
  return variants.map((v) => ({ label: v.label, discordP50: percentile(samples.get(v.label)!.discord, 50), slackP50: percentile(samples.get(v.label)!.slack, 50) }));
}

/** npm start's flags, and the same without one of them: what that flag costs. */
export function withoutFlag(flag: string): FlagVariant[] {
  const start = startCommand().slice(0, -1);
  return [
    { label: `npm start (${start.join(" ")})`, flags: start },
    { label: `sans ${flag}`, flags: start.filter((f) => f !== flag) },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const variants: FlagVariant[] = process.env.BENCH_FLAGS_A
    ? [{ label: "A", flags: process.env.BENCH_FLAGS_A.split(/\s+/) }, { label: "B", flags: (process.env.BENCH_FLAGS_B ?? "").split(/\s+/).filter(Boolean) }]
    : withoutFlag("--optimize-for-size");
  for (const r of await benchFlags(variants)) process.stdout.write(`| ${r.label} | ${r.discordP50.toFixed(2)} ms | ${r.slackP50.toFixed(2)} ms |\n`);
  process.exit(0);
}
