/**
 * `npm run bench`: the foundation's figures, each against a baseline measured in the same run.
 * Latencies are in-process on loopback emulators (bot and emulator share one event loop, for
 * the bare bot as for ours); start-up and memory are separate processes started like `npm start`.
 */
import { benchDiscord } from "./discord.js";
import { benchSlack } from "./slack.js";
import { benchMatrix } from "./matrix.js";
import { benchMeetings } from "./meetings.js";
import { benchPolls } from "./polls.js";
import { benchReporting } from "./reporting.js";
import { benchScheduler } from "./scheduler.js";
import { benchStores } from "./stores.js";
import { benchWatch } from "./watch.js";
import { benchWeb } from "./web.js";
import { benchOperations } from "./operations.js";
import { benchStartup, median } from "./startup.js";
import { benchMemory, memoryRows, memoryVerdicts } from "./memory.js";
import { benchFlags, withoutFlag } from "./flags.js";
import { ms, type LatencyRow } from "./stats.js";

const N = Number(process.env.BENCH_N ?? 400);

// BENCH_ONLY=operations: the CLIs beside the bot, backup and restore, alone.
if (process.env.BENCH_ONLY === "operations") {
  const ops = await benchOperations();
  process.stdout.write(`\n## Exploitation\n\n| mesure | valeur |\n|---|---|\n${ops.rows.map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n\n${operationsVerdicts(ops).join("\n")}\n`);
  process.exit(0);
}

function operationsVerdicts(ops: Awaited<ReturnType<typeof benchOperations>>): string[] {
  return [
    verdict("CLI à côté du bot : blocage max de la boucle ≤ 50 ms", ops.maxStallMs <= 50, ms(ops.maxStallMs)),
    verdict("CLI à côté du bot : blocage max en temps processeur ≤ 50 ms (hors attente d'un cœur)", ops.maxOnCpuStallMs <= 50, ms(ops.maxOnCpuStallMs)),
    verdict("CLI à côté du bot : 0 commande échouée", ops.failed === 0, String(ops.failed)),
    verdict("CLI à côté du bot : p99 ≤ 2 × sans CLI", ops.p99Ratio <= 2, ops.p99Ratio.toFixed(2)),
  ];
}

// BENCH_ONLY=web: the site's figures alone (a minute instead of the whole run).
if (process.env.BENCH_ONLY === "web") {
  const web = await benchWeb();
  process.stdout.write(`\n## Site du réseau\n\n| mesure | valeur |\n|---|---|\n${web.rows.map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n`);
  process.stdout.write(`\n${web.ratio <= 1.2 ? "OK " : "KO "} site : dégradation du p99 du chat ≤ 1,20 — ${web.ratio.toFixed(2)}\n`);
  process.exit(0);
}

// BENCH_ONLY=stores: SQLite and PostgreSQL with 100,000 pending jobs, side by side (a few minutes).
if (process.env.BENCH_ONLY === "stores") {
  const stores = await benchStores();
  process.stdout.write(`\n## SQLite et PostgreSQL\n\n| mesure | valeur |\n|---|---|\n${stores.map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n`);
  process.exit(0);
}

// BENCH_ONLY=memory: the npm start process's memory alone (about three minutes).
if (process.env.BENCH_ONLY === "memory") {
  const memory = await benchMemory();
  process.stdout.write(`\n## Mémoire du processus npm start\n\n| mesure | valeur |\n|---|---|\n${memoryRows(memory).map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n`);
  process.stdout.write(`\n${memoryVerdicts(memory).join("\n")}\n`);
  process.exit(0);
}

function table(rows: LatencyRow[]): string {
  const lines = ["| mesure | p50 | p99 | n |", "|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${r.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.n} |`);
  return lines.join("\n");
}

function verdict(label: string, ok: boolean, detail: string): string {
  return `${ok ? "OK " : "KO "} ${label} — ${detail}`;
}

// BENCH_ONLY=matrix: a command's round trip on the Matrix emulator, next to Discord's and Slack's acks in the same run.
if (process.env.BENCH_ONLY === "matrix") {
  const rows = [...(await benchDiscord(N)), ...(await benchSlack(N)), ...(await benchMatrix(N))];
  process.stdout.write(`\n## Discord, Slack et Matrix (n = ${N} ; Matrix : 200 au plus, aller-retour complet)\n\n${table(rows)}\n`);
  process.exit(0);
}

const discord = await benchDiscord(N);
const slack = await benchSlack(N);
const startup = await benchStartup(5);
const scheduler = await benchScheduler();
const stores = await benchStores();
// Feature benchmarks; BENCH_ONLY=foundation skips them for a quick run.
const features = process.env.BENCH_ONLY === "foundation" ? [] : [
  ["Rencontres et rappels", await benchMeetings()],
  ["Sondages et votes", await benchPolls()],
  ["Veille", await benchWatch()],
  ["Tableau de bord et bilan (année synthétique de 3 500 membres)", await benchReporting()],
] as const;
const site = process.env.BENCH_ONLY === "foundation" ? undefined : await benchWeb();
// The process as users run it: npm start with both platforms, a seeded year, the heavy commands.
const memory = await benchMemory();
const operations = process.env.BENCH_ONLY === "foundation" ? undefined : await benchOperations();
// What --optimize-for-size (kept for memory) costs in chat latency, npm start with and without it.
const [withFlag, without] = await benchFlags(withoutFlag("--optimize-for-size"));

const figures = (title: string, rows: { name: string; value: string }[]) =>
  `\n## ${title}\n\n| mesure | valeur |\n|---|---|\n${rows.map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n`;

process.stdout.write(`\n## Latence d'acquittement (n = ${N} séquentielles, puis rafales de 20)\n\n${table([...discord, ...slack])}\n`);
process.stdout.write(
  `\n## Démarrage et mémoire (processus lancés comme npm start)\n\n` +
    `| mesure | valeur |\n|---|---|\n` +
    `| console → « bot prêt » (médiane de ${startup.consoleReadyMs.length}) | ${ms(median(startup.consoleReadyMs))} |\n` +
    `| RSS console prête | ${startup.consoleRssMb} Mo |\n` +
    `| Discord + Slack connectés → « bot prêt » | ${ms(startup.bothReadyMs)} |\n` +
    `| RSS Discord + Slack connectés | ${startup.bothRssMb} Mo |\n` +
    `| arrêt sur SIGTERM | ${ms(startup.sigtermStopMs)} (code ${startup.sigtermCode}) |\n`,
);

const byName = (rows: LatencyRow[], name: string) => rows.find((r) => r.name.includes(name))!;
const checks = [
  verdict("Discord p50 /annuaire − bot nu ≤ 1,5 ms", byName(discord, "/annuaire").p50 - byName(discord, "pong").p50 <= 1.5, ms(byName(discord, "/annuaire").p50 - byName(discord, "pong").p50)),
  verdict("Slack p50 /annuaire − bot nu ≤ 1,5 ms", byName(slack, "/annuaire").p50 - byName(slack, "pong").p50 <= 1.5, ms(byName(slack, "/annuaire").p50 - byName(slack, "pong").p50)),
  verdict("Discord p99 à 20 concurrents < 25 ms", byName(discord, "/annuaire ×20").p99 < 25, ms(byName(discord, "/annuaire ×20").p99)),
  verdict("Slack p99 à 20 concurrents < 25 ms", byName(slack, "/annuaire ×20").p99 < 25, ms(byName(slack, "/annuaire ×20").p99)),
  verdict("démarrage console < 2 s", median(startup.consoleReadyMs) < 2000, ms(median(startup.consoleReadyMs))),
  verdict("RSS Discord + Slack < 150 Mo", startup.bothRssMb < 150, `${startup.bothRssMb} Mo`),
  verdict("arrêt propre sur SIGTERM en quelques secondes", startup.sigtermCode === 0 && startup.sigtermStopMs < 5000, ms(startup.sigtermStopMs)),
];
process.stdout.write(figures("Planificateur durable", scheduler));
process.stdout.write(figures("SQLite et PostgreSQL (100 000 tâches en attente)", stores));
for (const [title, rows] of features) process.stdout.write(figures(title, rows));
if (site) {
  process.stdout.write(figures("Site du réseau (/annuaire, 3 500 membres, autocannon)", site.rows));
  checks.push(verdict("site : dégradation du p99 du chat sous charge web ≤ 1,20", site.ratio <= 1.2, site.ratio.toFixed(2)));
}
process.stdout.write(figures("Mémoire du processus npm start (Discord + Slack, SQLite, année de 3 500 membres)", memoryRows(memory)));
checks.push(...memoryVerdicts(memory));
if (operations) {
  process.stdout.write(figures("Exploitation : CLI à côté du bot, sauvegarde et restauration", operations.rows));
  checks.push(...operationsVerdicts(operations));
}
process.stdout.write(figures("Drapeaux de node : p50 d'acquittement /annuaire du processus npm start (médiane de 2 passes alternées)", [withFlag!, without!].map((r) => ({ name: r.label, value: `Discord ${ms(r.discordP50)}, Slack ${ms(r.slackP50)}` }))));
const flagCost = Math.max(withFlag!.discordP50 - without!.discordP50, withFlag!.slackP50 - without!.slackP50);
checks.push(verdict("--optimize-for-size : p50 du chat ≤ 1 ms de plus que sans", flagCost <= 1, ms(flagCost)));
process.stdout.write(`\n## Objectifs\n\n${checks.join("\n")}\n`);
