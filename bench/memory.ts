/**
 * Memory of the bot as users run it (issue 16): `npm start` in a child process (the start script's
 * node flags on .build/src/main.js), Discord and Slack both connected to the emulators, SQLite
 * seeded with a year of 3,500 members. The RSS is read from /proc/<pid>/status of that node
 * process alone: idle after start, after 1,000 mixed commands, the peak while 30 feeds of 300
 * items are added and read, the peak while /tableau and /bilan run, and 60 s after the heavy work.
 *
 *   npx tsx bench/memory.ts                  (also wired into npm run bench; build first)
 *   BENCH_MEMORY_FLAGS="--liftoff-only --max-old-space-size=96" npx tsx bench/memory.ts
 */
import { pathToFileURL } from "node:url";

import { createServices } from "../src/core/services.js";
import { systemClock } from "../src/shared/clock.js";
import { createLogger } from "../src/logger.js";
import { JobStore } from "../src/scheduler/index.js";
import { openStore } from "../src/store/index.js";
import { startDiscordEmulator, type DiscordEmulator } from "../test/emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../test/emulators/slack/index.js";
import { bothEnv } from "../test/helpers/env.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { startProcess, startScriptEnv } from "./process.js";
import { PeakTracker, procMemory } from "./proc-memory.js";
import { seedNationalYear } from "./reporting.js";
import { percentile } from "./stats.js";
import { spawnFeedServer } from "./watch.js";

const COMMANDS = Number(process.env.BENCH_MEMORY_COMMANDS ?? 1000);
const FEEDS = 30;
const ITEMS = 300;
const USERS_PER_PLATFORM = 20;
const SETTLE_MS = 60_000;

interface MemoryFigures {
  flags: string;
  idleMb: number;
  afterCommandsMb: number;
  feedsPeakMb: number;
  reportingPeakMb: number;
  /** Sampled peak of the bot plus its one-shot child processes during each heavy phase. */
  withChildrenMb: { feeds: number; reporting: number };
  /** RSS 60 s after the heavy work, and every 10 s before it. */
  settledMb: number;
  settleTrail: number[];
  exactPeaks: boolean;
  /** Ack latency p50 of /annuaire in the process (ms), Discord then Slack. */
  annuaireP50: { discord: number; slack: number };
}

interface World {
  discord: DiscordEmulator;
  slack: SlackEmulator;
  admin: { discord: string; slack: string };
  users: { discord: string[]; slack: string[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** dd/mm/yyyy, `days` from today: dates the bot's parsers read. */
function dayFromNow(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${String(d.getDate()).padStart(2, "0")}/${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
}

/** The SQLite file of a real network: a seeded year, the admins, the channels, 500 members listed. */
async function prepareStore(world: World, channels: { discord: string; slack: string }): Promise<string> {
  const url = await freshStoreUrl();
  const store = await openStore(url);
  try {
    await seedNationalYear(store.prisma);
    await store.prisma.member.updateMany({ where: { id: { lte: 500 } }, data: { directoryConsent: true } });
    const services = createServices(store.prisma, systemClock, store.changes, { jobs: new JobStore(store.prisma, systemClock), log: createLogger({ level: "silent", pretty: false }) });
    const [admin] = await services.members.bootstrapAdmins([`discord:${world.admin.discord}`, `slack:${world.admin.slack}`]);
    for (const usage of ["annonces", "rencontres"] as const) {
      await services.settings.setChannel("discord", usage, channels.discord, admin!.id);
      await services.settings.setChannel("slack", usage, channels.slack, admin!.id);
    }
  } finally {
    await store.close();
  }
  return url;
}

async function discordCommand(world: World, userId: string, name: string, options?: Record<string, string | number>, subcommand?: string): Promise<string> {
  const final = await world.discord.sendCommand({ userId, name, subcommand, options } as Parameters<DiscordEmulator["sendCommand"]>[0]).final();
  return final.text;
}

async function slackCommand(world: World, userId: string, command: string, text: string): Promise<string> {
  return JSON.stringify(await world.slack.slashCommand({ userId, command, text }).final());
}

/** Waits for the bot's answer to a Slack click (response_url), not for the edits that follow it. */
async function slackClick(world: World, userId: string, actionId: string): Promise<void> {
  const h = world.slack.clickButton({ userId, actionId });
  await h.ack();
  for (const deadline = performance.now() + 15_000; h.responses.length === 0; await sleep(5)) {
    if (performance.now() > deadline) throw new Error(`pas de réponse Slack à ${actionId}`);
  }
}

/** A meeting and a poll, created by the animator, announced on both platforms with their buttons. */
async function createMeetingAndPoll(world: World): Promise<{ meetingId: number; pollId: number }> {
  const day = dayFromNow(20);
  const meeting = await discordCommand(world, world.admin.discord, "rencontre", { type: "departementale", titre: "Rencontre de mesure", debut: `${day} 14h`, lieu: "Épinal" }, "creer");
  const poll = await discordCommand(world, world.admin.discord, "sondage", { question: "Quel jour pour la formation ?", options: "Mardi ; Jeudi ; Vendredi ; Samedi", cloture: `${day} 18h` }, "creer");
  const meetingId = Number(/n° (\d+)/.exec(meeting)?.[1]);
  const announced = JSON.stringify(world.discord.store.messagesIn(world.discord.channel("annonces")!.id));
  const pollId = Number(/sondage:vote:(\d+):/.exec(announced)?.[1]);
  if (!meetingId || !pollId) throw new Error(`rencontre ou sondage non créés :\n${meeting}\n${poll}`);
  return { meetingId, pollId };
}

/** One of the mixed commands: directory, profile, meetings (list, details, answer), poll vote. */
async function mixedCommand(world: World, i: number, ids: { meetingId: number; pollId: number }): Promise<void> {
  const onDiscord = i % 2 === 0;
  const user = onDiscord ? world.users.discord[(i >> 1) % USERS_PER_PLATFORM]! : world.users.slack[(i >> 1) % USERS_PER_PLATFORM]!;
  const commune = `Commune ${i % 9}`;
  const choice = ["oui", "peutetre", "non"][i % 3]!;
  const option = 1 + (i % 4);
  switch (i % 6) {
    case 0:
      return void (onDiscord ? await discordCommand(world, user, "annuaire", { commune }) : await slackCommand(world, user, "/annuaire", `commune:"${commune}"`));
    case 1:
      return void (onDiscord ? await discordCommand(world, user, "profil", {}, "voir") : await slackCommand(world, user, "/profil", "voir"));
    case 2:
      return void (onDiscord ? await discordCommand(world, user, "rencontre", {}, "liste") : await slackCommand(world, user, "/rencontre", "liste"));
    case 3:
      return void (onDiscord ? await discordCommand(world, user, "rencontre", { rencontre: String(ids.meetingId) }, "details") : await slackCommand(world, user, "/rencontre", `details rencontre:${ids.meetingId}`));
    case 4:
      if (onDiscord) return void (await world.discord.clickButton({ userId: user, customId: `rencontre:rsvp:${ids.meetingId}:${choice}` }).final());
      return slackClick(world, user, `rencontre:rsvp:${ids.meetingId}:${choice}`);
    default:
      if (onDiscord) return void (await world.discord.clickButton({ userId: user, customId: `sondage:vote:${ids.pollId}:${option}` }).final());
      return slackClick(world, user, `sondage:vote:${ids.pollId}:${option}`);
  }
}

async function runCommands(world: World, count: number, width: number): Promise<void> {
  const ids = await createMeetingAndPoll(world);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < count; i = next++) await mixedCommand(world, i, ids);
  }));
}

/** Sequential /annuaire acknowledgements, as the in-process latency bench measures them. */
async function annuaireLatency(world: World, n: number): Promise<{ discord: number; slack: number }> {
  const discord: number[] = [];
  const slack: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = world.discord.sendCommand({ userId: world.users.discord[0]!, name: "annuaire", options: { commune: "Commune 1" } });
    await d.response();
    discord.push(d.responseLatencyMs ?? NaN);
    const s = world.slack.slashCommand({ userId: world.users.slack[0]!, command: "/annuaire", text: 'commune:"Commune 1"' });
    await s.ack();
    slack.push(s.ackLatencyMs);
  }
  await sleep(500);
  return { discord: percentile(discord, 50), slack: percentile(slack, 50) };
}

/** The animator adds 30 feeds (each read at once), then reads the week and the digest preview. */
async function feedsPhase(world: World, origin: string): Promise<void> {
  for (let s = 0; s < FEEDS; s++) {
    const text = await discordCommand(world, world.admin.discord, "veille", { url: `${origin}/feed/${s}.xml`, nom: `Source ${s}`, categorie: s % 2 ? "reglementation" : "mineurs" }, "source-ajouter");
    if (!text.includes("Source ajoutée")) throw new Error(`flux ${s} non ajouté : ${text}`);
  }
  await discordCommand(world, world.admin.discord, "veille", {}, "apercu");
  await slackCommand(world, world.admin.slack, "/veille", "semaine");
}

async function reportingPhase(world: World): Promise<void> {
  const year = new Date().getFullYear();
  const tableau = await discordCommand(world, world.admin.discord, "tableau");
  const bilan = await discordCommand(world, world.admin.discord, "bilan", { annee: year });
  if (!tableau.includes(String(year)) || !bilan.includes(String(year))) throw new Error(`tableau ou bilan sans réponse :\n${tableau}\n${bilan}`);
  await slackCommand(world, world.admin.slack, "/tableau", "");
  await slackCommand(world, world.admin.slack, "/bilan", `annee:${year}`);
}

async function openWorld(): Promise<World> {
  const discord = await startDiscordEmulator();
  const slack = await startSlackEmulator();
  return {
    discord,
    slack,
    admin: { discord: discord.addUser({ username: "animatrice", globalName: "Animatrice" }).id, slack: slack.addUser({ name: "animatrice", realName: "Animatrice" }).id },
    users: {
      discord: Array.from({ length: USERS_PER_PLATFORM }, (_, i) => discord.addUser({ username: `promeneur${i}`, globalName: `Promeneur D${i}` }).id),
      slack: Array.from({ length: USERS_PER_PLATFORM }, (_, i) => slack.addUser({ name: `promeneur${i}`, realName: `Promeneur S${i}` }).id),
    },
  };
}

/** The environment variables npm start's script sets before `node` (e.g. MALLOC_ARENA_MAX=2). */
function startEnv(): Record<string, string> {
  const extra = process.env.BENCH_MEMORY_ENV?.split(/\s+/).filter(Boolean) ?? [];
  return Object.fromEntries([...startScriptEnv(), ...extra].map((pair) => pair.split("=", 2) as [string, string]));
}

export async function benchMemory(nodeFlags?: string[]): Promise<MemoryFigures> {
  const world = await openWorld();
  const feeds = await spawnFeedServer(["--sources", String(FEEDS), "--items", String(ITEMS), "--now"]);
  try {
    const channels = { discord: world.discord.addChannel({ name: "annonces" }).id, slack: world.slack.addChannel({ name: "annonces" }).id };
    const url = await prepareStore(world, channels);
    const bot = await startProcess({ DATABASE_URL: url, ...bothEnv(world.discord, world.slack), WEB_PORT: "0", WATCH_ALLOW_PRIVATE_HOSTS: "1", ...startEnv() }, nodeFlags);
    try {
      await sleep(5000);
      const idleMb = procMemory(bot.pid).rssMb;
      await runCommands(world, COMMANDS, 4);
      const annuaireP50 = await annuaireLatency(world, 100);
      await sleep(2000);
      const afterCommandsMb = procMemory(bot.pid).rssMb;
      const tracker = new PeakTracker(bot.pid);
      tracker.start();
      await feedsPhase(world, feeds.origin);
      const feedsPeak = tracker.stop();
      tracker.start();
      await reportingPhase(world);
      const reportingPeak = tracker.stop();
      const settleTrail: number[] = [];
      for (let t = 0; t < SETTLE_MS; t += 10_000) {
        await sleep(10_000);
        settleTrail.push(procMemory(bot.pid).rssMb);
      }
      return {
        flags: (nodeFlags ?? []).join(" ") || "(celles de npm start)",
        idleMb,
        afterCommandsMb,
        feedsPeakMb: feedsPeak.peakMb,
        reportingPeakMb: reportingPeak.peakMb,
        withChildrenMb: { feeds: feedsPeak.withChildrenMb, reporting: reportingPeak.withChildrenMb },
        settledMb: settleTrail.at(-1)!,
        settleTrail,
        exactPeaks: feedsPeak.exact,
        annuaireP50,
      };
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- journal du bot (fin) ---\n${bot.output().slice(-4000)}`);
    } finally {
      await bot.stop("SIGTERM");
    }
  } finally {
    await feeds.close();
    await world.discord.close();
    await world.slack.close();
  }
}

const mb = (v: number) => `${Math.round(v)} Mo`;

/** The issue's targets, each printed OK/KO. */
export function memoryVerdicts(f: MemoryFigures): string[] {
  const line = (label: string, value: number, max: number) => `${value <= max ? "OK " : "KO "} RSS ${label} ≤ ${max} Mo — ${mb(value)}`;
  return [
    line("au repos après démarrage (Discord + Slack)", f.idleMb, 140),
    line(`après ${COMMANDS} commandes mêlées`, f.afterCommandsMb, 150),
    line(`pic pendant l'ajout et la lecture de ${FEEDS} flux de ${ITEMS} articles`, f.feedsPeakMb, 200),
    line("pic pendant /tableau et /bilan (3 500 membres)", f.reportingPeakMb, 200),
    line("60 s après le travail lourd", f.settledMb, 160),
  ];
}

export function memoryRows(f: MemoryFigures): { name: string; value: string }[] {
  const peak = f.exactPeaks ? "pic exact (VmHWM)" : "pic échantillonné toutes les 20 ms";
  return [
    { name: "drapeaux node", value: f.flags },
    { name: "RSS au repos, 5 s après « bot prêt »", value: mb(f.idleMb) },
    { name: `RSS après ${COMMANDS} commandes (annuaire, profil, rencontres, réponses, votes ; Discord et Slack)`, value: mb(f.afterCommandsMb) },
    { name: `${FEEDS} flux de ${ITEMS} articles ajoutés et lus, ${peak}`, value: mb(f.feedsPeakMb) },
    { name: `/tableau et /bilan sur Discord et Slack, ${peak}`, value: mb(f.reportingPeakMb) },
    { name: "pic du bot + ses processus de rendu ponctuels (échantillonné), flux / tableau et bilan", value: `${mb(f.withChildrenMb.feeds)} / ${mb(f.withChildrenMb.reporting)}` },
    { name: "RSS toutes les 10 s après le travail lourd", value: f.settleTrail.map(mb).join(" → ") },
    { name: "p50 d'acquittement /annuaire dans ce processus (Discord / Slack)", value: `${f.annuaireP50.discord.toFixed(2)} ms / ${f.annuaireP50.slack.toFixed(2)} ms` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flags = process.env.BENCH_MEMORY_FLAGS?.split(/\s+/).filter(Boolean);
  const figures = await benchMemory(flags);
  process.stdout.write(`\n## Mémoire du processus npm start\n\n| mesure | valeur |\n|---|---|\n${memoryRows(figures).map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n\n${memoryVerdicts(figures).join("\n")}\n`);
  process.exit(0);
}
