/**
 * Meetings figures (issue #3):
 * - the dispatcher's claim query with 100,000 pending reminders not yet due and 1,000 due
 *   (target < 20 ms), and a whole tick running those 1,000 real reminder handlers without any
 *   platform connected (so: no platform calls);
 * - one reminder fanned out to 35 members on the Discord and Slack emulators: time, and whether
 *   any platform limit was broken (429s seen, request rates);
 * - the RSS of the compiled bot started like `npm start` on a database holding 100,000 pending jobs.
 *
 * `tsx bench/meetings.ts` prints the rows alone (run `npm run build` first for the RSS figure).
 */
import { ManualClock } from "../test/helpers/clock.js";
import { MeetingService, parseOffsets } from "../src/core/meetings/index.js";
import { meetingJobHandlers } from "../src/core/meetings/jobs.js";
import { handlerEntries } from "../src/core/feature.js";
import { createServices } from "../src/core/services.js";
import { createLogger } from "../src/logger.js";
import { Scheduler } from "../src/scheduler/index.js";
import { openStore } from "../src/store/index.js";
import { commands } from "../commands/index.js";
import { startBot } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { startDiscordEmulator } from "../test/emulators/discord/index.js";
import { startSlackEmulator } from "../test/emulators/slack/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { startProcess } from "./process.js";
import { ms, percentile } from "./stats.js";
import { bothEnv } from "../test/helpers/env.js";

const PENDING = 100_000;
const DUE = 1_000;
const FAN_OUT = 35;

const silent = createLogger({ level: "silent", pretty: false, destination: process.stderr });

export async function benchMeetings(): Promise<{ name: string; value: string }[]> {
  const rows: { name: string; value: string }[] = [];
  const url = await freshStoreUrl();
  const tick = await tickCost(url);
  rows.push({ name: `requête de réservation (lot de 20), ${PENDING} rappels à venir + ${DUE} dus`, value: `p50 ${ms(tick.claimP50)}, p95 ${ms(tick.claimP95)}, p99 ${ms(tick.claimP99)} (objectif < 20 ms)` });
  rows.push({ name: `réservation des ${DUE} rappels dus en une requête`, value: ms(tick.claimAllMs) });
  rows.push({ name: `tour complet : ${DUE} rappels dus exécutés (vrais gestionnaires, sans plateforme)`, value: `${ms(tick.tickMs)} (${ms(tick.tickMs / DUE)} par rappel), ${tick.done} terminés` });
  rows.push({ name: "plan SQLite de la recherche des rappels dus", value: tick.plan });
  const fan = await fanOut();
  rows.push({ name: `un rappel à ${FAN_OUT} membres (20 Discord, 15 Slack) sur les émulateurs`, value: `${ms(fan.ms)} ; ${fan.delivered}/${FAN_OUT} reçus` });
  rows.push({ name: "limites des plateformes pendant cet envoi", value: fan.limits });
  const rss = await rssWithPending(url);
  rows.push({ name: "RSS du bot (npm start, console) : base vide → 100 000 tâches en attente", value: rss });
  return rows;
}

/** Seeds 100k future reminders and 1k due ones (for 1k real meetings), then measures claims and a tick. */
async function tickCost(url: string) {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const store = await openStore(url);
  const now = clock.now();
  try {
    const prisma = store.prisma;
    await prisma.meeting.createMany({
      data: Array.from({ length: DUE }, (_, i) => ({
        type: "departementale",
        title: `Rencontre ${i}`,
        startsAt: new Date(now.getTime() + 86_400_000),
        endsAt: new Date(now.getTime() + 86_400_000 + 7_200_000),
        place: "MJC Épinal",
        audience: "tous",
        reminders: "7j,1j,2h",
        invitedAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    });
    const meetings = await prisma.meeting.findMany({ select: { id: true } });
    const rows = (from: number, count: number, due: (i: number) => Date, key: (i: number) => string, meetingId: (i: number) => number) =>
      Array.from({ length: count }, (_, k) => {
        const i = from + k;
        return { kind: "meeting.reminder", dueAt: due(i), payload: JSON.stringify({ meetingId: meetingId(i), sequence: 0, offset: "1j" }), dedupeKey: key(i), createdAt: now, updatedAt: now };
      });
    for (let i = 0; i < PENDING; i += 5_000) {
      await prisma.job.createMany({
        data: rows(i, 5_000, (n) => new Date(now.getTime() + 3_600_000 + n * 60_000), (n) => `bench:futur:${n}`, () => meetings[0]!.id),
      });
    }
    await prisma.job.createMany({
      data: rows(0, DUE, (n) => new Date(now.getTime() - n * 1000), (n) => `meeting:${meetings[n]!.id}:s0:rappel:1j`, (n) => meetings[n]!.id),
    });
    const plan = (
      await prisma.$queryRawUnsafe<{ detail: string }[]>(
        `EXPLAIN QUERY PLAN SELECT id FROM "Job" WHERE state = 'pending' AND "dueAt" <= ? AND kind IN ('meeting.reminder') ORDER BY "dueAt", id LIMIT 20`,
        now.getTime(),
      )
    )
      .map((r) => r.detail)
      .join(" ; ");

    const scheduler = new Scheduler({ prisma, clock, log: silent, timer: false, heartbeatMs: 0 });
    const services = createServices(prisma, clock, store.changes, { jobs: scheduler.jobs, log: silent });
    // Claim latency: claim a batch, give it back, many times (the table stays as seeded).
    const samples: number[] = [];
    for (let i = 0; i < 210; i++) {
      const t0 = performance.now();
      const claimed = await scheduler.jobs.claimDue(now, { limit: 20, leaseMs: 120_000, workerId: "bench", kinds: ["meeting.reminder"] });
      samples.push(performance.now() - t0);
      await scheduler.jobs.release(claimed);
    }
    const t1 = performance.now();
    const all = await scheduler.jobs.claimDue(now, { limit: DUE, leaseMs: 120_000, workerId: "bench", kinds: ["meeting.reminder"] });
    const claimAllMs = performance.now() - t1;
    await scheduler.jobs.release(all);

    // The real handlers, with no platform connected: what a tick costs besides the platforms.
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent", WEB_PORT: "off" }, "");
    const service = new MeetingService({ db: prisma, clock, jobs: scheduler.jobs, notifications: services.notifications, timeZone: config.BOT_TIMEZONE, log: silent });
    for (const [kind, entry] of handlerEntries(meetingJobHandlers(service))) scheduler.dispatcher.register(kind, entry.run, entry.options);
    const t2 = performance.now();
    const report = await scheduler.tick();
    const tickMs = performance.now() - t2;
    await scheduler.stop();
    const measured = samples.slice(10); // the first claims warm Prisma's and SQLite's caches
    return { claimP50: percentile(measured, 50), claimP95: percentile(measured, 95), claimP99: percentile(measured, 99), claimAllMs, tickMs, done: report.done, plan };
  } finally {
    await store.close();
  }
}

/** One reminder to 35 members through the real bot on both emulators. */
async function fanOut() {
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const config = loadConfig(
    {
      DATABASE_URL: await freshStoreUrl(),
      ...bothEnv(discord, slack),
      LOG_LEVEL: "silent",
      WEB_PORT: "off",
    },
    "",
  );
  const bot = await startBot({ config, log: silent, clock, commands, scheduler: { timer: false, heartbeatMs: 0 } });
  try {
    await bot.scheduler.tick();
    const { members } = bot.services;
    const animator = await members.create({ firstName: "Sophie", role: "ANIMATEUR" }, null);
    const meetings = bot.features.meetings;
    const { meeting } = await meetings.create(
      { type: "departementale", title: "Rencontre départementale", start: new Date("2026-03-12T13:00:00Z"), minutes: 120, place: "Épinal", audience: "tous", capacity: null, offsets: (parseOffsets("1j") as { ok: true; value: never }).value },
      animator,
    );
    const users: { platform: "discord" | "slack"; id: string }[] = [];
    for (let i = 0; i < FAN_OUT; i++) {
      const platform = i < 20 ? "discord" : "slack";
      const id = platform === "discord" ? discord.addUser({ username: `pdn${i}` }).id : slack.addUser({ name: `pdn${i}` }).id;
      const m = await members.create({ firstName: `Promeneur${i}` }, null);
      await members.link(m.id, { platform, externalId: id }, animator.id);
      await meetings.answer(meeting.id, m, "oui");
      users.push({ platform, id });
    }
    clock.set("2026-03-11T13:00:00Z");
    const discordBefore = discord.requests.length;
    const slackBefore = slack.calls.length;
    const t0 = performance.now();
    await bot.scheduler.tick();
    const elapsed = performance.now() - t0;
    const delivered = users.filter((u) => (u.platform === "discord" ? discord.dmsTo(u.id).length : slack.dmsTo(u.id).length) === 1).length;
    const dReq = discord.requests.slice(discordBefore);
    const sCalls = slack.calls.slice(slackBefore);
    const perSecond = (stamps: number[]) => {
      let max = 0;
      for (let i = 0, j = 0; i < stamps.length; i++) {
        while (stamps[i]! - stamps[j]! >= 1000) j++;
        max = Math.max(max, i - j + 1);
      }
      return max;
    };
    const posts = sCalls.filter((c) => c.method === "chat.postMessage");
    const perChannel = new Map<string, number>();
    for (const c of posts) {
      const channel = String(c.args.channel ?? "");
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    }
    const limits = [
      `Discord : ${dReq.length} requêtes, ${dReq.filter((r) => r.status === 429).length} × 429, au plus ${perSecond(dReq.map((r) => r.at))} par seconde (limite globale 50/s)`,
      `Slack : ${sCalls.length} appels, ${sCalls.filter((c) => !c.ok && c.error === "ratelimited").length} × ratelimited, ${posts.length} chat.postMessage dont au plus ${Math.max(0, ...perChannel.values())} par conversation (limite ≈ 1/s par conversation)`,
    ].join(" ; ");
    return { ms: elapsed, delivered, limits };
  } finally {
    await bot.stop();
    await discord.close();
    await slack.close();
  }
}

/** RSS of the compiled bot at « bot prêt »: empty jobs table, then the bench's 100k pending jobs. */
async function rssWithPending(url: string): Promise<string> {
  try {
    const empty = await startProcess({ DATABASE_URL: await freshStoreUrl() });
    await empty.stop("eof");
    const full = await startProcess({ DATABASE_URL: url });
    await full.stop("eof");
    return `${empty.rssMb} Mo → ${full.rssMb} Mo`;
  } catch (err) {
    return `non mesuré (${String((err as Error).message).split("\n")[0]} ; lancez npm run build)`;
  }
}

async function main() {
  for (const row of await benchMeetings()) process.stdout.write(`| ${row.name} | ${row.value} |\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
