/**
 * Poll figures: vote handling latency when 35 members on Discord and 35 on Slack all vote within
 * one second (launches spread evenly over the second), how many message edits that burst costs
 * with the coalesced live render (one edit per message per 500 ms window), and the cost of one
 * re-render (tally + neutral reply alone, then with the edits on both platforms).
 *
 * In-process on the loopback emulators, like the other latency figures of `npm run bench`.
 */
import { performance } from "node:perf_hooks";

import { startBot } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { ManualClock } from "../test/helpers/clock.js";
import type { Interaction } from "../src/core/interaction.js";
import { pollMessage } from "../src/core/polls/views.js";
import { createLogger } from "../src/logger.js";
import { startDiscordEmulator } from "../test/emulators/discord/index.js";
import { startSlackEmulator } from "../test/emulators/slack/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { ms, percentile } from "./stats.js";
import { bothEnv } from "../test/helpers/env.js";

const MEMBERS_PER_PLATFORM = 35;
const WINDOW_MS = 1000;

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export async function benchPolls(): Promise<{ name: string; value: string }[]> {
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const animator = discord.addUser({ username: "animatrice", globalName: "Animatrice" }).id;
  const annoncesD = discord.addChannel({ name: "annonces" }).id;
  const annoncesS = slack.addChannel({ name: "annonces" }).id;
  const config = loadConfig(
    {
      DATABASE_URL: await freshStoreUrl(),
      ...bothEnv(discord, slack),
      WEB_PORT: "off",
      BOT_ADMINS: `discord:${animator}`,
    },
    "",
  );
  const log = createLogger({ level: "silent", pretty: false });
  const bot = await startBot({ config, log, clock, scheduler: { timer: false }, featureOptions: { polls: { liveWindowMs: 500 } } });
  const rows: { name: string; value: string }[] = [];
  try {
    const c = bot.features.polls;
    const admin = await bot.services.members.findByRef(animator, "discord");
    await bot.services.settings.setChannel("discord", "annonces", annoncesD, admin.id);
    await bot.services.settings.setChannel("slack", "annonces", annoncesS, admin.id);

    // Server-side handling time of each vote (router in, reply out), next to what users wait for.
    const handling: number[] = [];
    const route = bot.router.handle.bind(bot.router);
    bot.router.handle = async (interaction: Interaction) => {
      const t0 = performance.now();
      const reply = await route(interaction);
      if (interaction.type === "component" && interaction.customId.startsWith("sondage:vote:2:")) handling.push(performance.now() - t0);
      return reply;
    };

    const dUsers = Array.from({ length: MEMBERS_PER_PLATFORM }, (_, i) => discord.addUser({ username: `promeneur${i}`, globalName: `Promeneur D${i}` }).id);
    const sUsers = Array.from({ length: MEMBERS_PER_PLATFORM }, (_, i) => slack.addUser({ name: `promeneur${i}`, realName: `Promeneur S${i}` }).id);
    const create = (n: number) =>
      discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: `Sondage de mesure ${n}`, options: "Mardi ; Jeudi ; Vendredi ; Samedi", cloture: "vendredi 18h" } }).final();
    await create(1);
    // Warm-up on poll 1: registers every member (first contact) and warms caches and JIT.
    await Promise.all([
      ...dUsers.map((u) => discord.clickButton({ userId: u, customId: "sondage:vote:1:1" }).final()),
      ...sUsers.map((u) => answered(slack.clickButton({ userId: u, actionId: "sondage:vote:1:1" }))),
    ]);
    await c.live.flush();
    await create(2);

    const editsBefore = { d: discordEdits(discord), s: slack.callsTo("chat.update").length, renders: c.live.stats.renders };
    const started = performance.now();
    const discordLatency: number[] = [];
    const slackLatency: number[] = [];
    const voters = [...dUsers.map((u) => ({ platform: "discord" as const, u })), ...sUsers.map((u) => ({ platform: "slack" as const, u }))];
    await Promise.all(
      voters.map(async ({ platform, u }, i) => {
        await sleep((i * WINDOW_MS) / voters.length);
        const option = 1 + (i % 4);
        if (platform === "discord") {
          const h = discord.clickButton({ userId: u, customId: `sondage:vote:2:${option}` });
          await h.final();
          discordLatency.push(h.responseLatencyMs ?? NaN);
        } else {
          const t0 = Date.now();
          const h = slack.clickButton({ userId: u, actionId: `sondage:vote:2:${option}` });
          await answered(h);
          slackLatency.push((h.responses[0]?.at ?? NaN) - t0);
        }
      }),
    );
    const burstMs = performance.now() - started;
    await c.live.idle();
    const settledMs = performance.now() - started;
    const edits = { d: discordEdits(discord) - editsBefore.d, s: slack.callsTo("chat.update").length - editsBefore.s, renders: c.live.stats.renders - editsBefore.renders };
    const poll = await c.polls.get(2);
    const tally = await c.polls.tally(poll);

    const p = (values: number[]) => `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))} (n = ${values.length})`;
    rows.push({ name: `vote Discord, ${MEMBERS_PER_PLATFORM} + ${MEMBERS_PER_PLATFORM} votants en 1 s (clic → réponse)`, value: p(discordLatency) });
    rows.push({ name: `vote Slack, ${MEMBERS_PER_PLATFORM} + ${MEMBERS_PER_PLATFORM} votants en 1 s (clic → réponse privée)`, value: p(slackLatency) });
    rows.push({ name: "traitement d'un vote dans le bot (routeur → réponse)", value: p(handling) });
    rows.push({
      name: `modifications des messages du sondage pour ${voters.length} votes`,
      value: `${edits.renders} rendus, ${edits.d} sur Discord, ${edits.s} sur Slack (sans regroupement : ${voters.length} par plateforme) ; rafale ${ms(burstMs)}, dernier affichage à jour après ${ms(settledMs)}`,
    });
    rows.push({ name: "décompte final affiché", value: `${tally.voters} votants (${tally.options.map((o) => o.count).join(" / ")})` });

    // Re-render cost: the tally and the neutral reply alone, then with the edits on both platforms.
    const compute: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const fresh = await c.polls.get(2);
      pollMessage(fresh, await c.polls.tally(fresh), config.BOT_TIMEZONE);
      compute.push(performance.now() - t0);
    }
    const full: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await c.polls.render(2);
      full.push(performance.now() - t0);
    }
    rows.push({ name: "re-rendu : décompte + réponse neutre (70 votes)", value: p(compute) });
    rows.push({ name: "re-rendu complet : décompte + modification Discord et Slack", value: p(full) });
  } finally {
    await bot.stop();
    await discord.close();
    await slack.close();
  }
  return rows;
}

/** Waits for the bot's response_url answer to a Slack click (the poll's own edits may come after it). */
async function answered(h: { responses: readonly unknown[] }): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (h.responses.length === 0) {
    if (performance.now() > deadline) throw new Error("pas de réponse Slack au vote en 10 s");
    await sleep(2);
  }
}

function discordEdits(discord: Awaited<ReturnType<typeof startDiscordEmulator>>): number {
  return discord.requests.filter((r) => r.method === "PATCH" && /^\/channels\/\d+\/messages\/\d+$/.test(r.path)).length;
}

// `npx tsx bench/polls.ts` prints the figures on their own.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchPolls()) process.stdout.write(`| ${row.name} | ${row.value} |\n`);
}
