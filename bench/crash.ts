/**
 * `npm run bench:crash`: exactly once through 100 crashes, and the due-to-sent latency of
 * reminders (issue 18). The compiled bot runs as its own process, started like `npm start`, on
 * the Discord and Slack emulators (this process); what counts is what the emulators received.
 * - baseline: 6 meetings × 35 members = 210 reminders, no crash: p50 / p99 from each reminder's
 *   due time to its creation on the emulator (target p99 ≤ 2 s);
 * - crashes: 36 meetings × 35 members = 1,260 reminders due 25 s apart (enough sending for 100 kills), the bot SIGKILLed 100 times (alternately
 *   while DMs go out and during the catch-up after a restart) and restarted at once: every
 *   reminder exactly once, and each meeting's last reminder within 45 s of its due time.
 * CRASH_KILLS / CRASH_MEETINGS / CRASH_SEED change the run; the crash figures are also given as
 * ratios to the baseline of the same run. CRASH_INSTANCES=2 CRASH_STORE=postgresql runs two bots
 * on one PostgreSQL database (issue 14): each kill hits one of them at random, the other carries
 * on, and each kill of the one holding Discord's gateway times the other's answer to /aide.
 */
import { crashRun, type CrashRunReport } from "../test/e2e/fixtures/crash-run.js";
import { startCommand } from "./process.js";
import { percentile } from "./stats.js";

const KILLS = Number(process.env.CRASH_KILLS ?? 100);
const MEETINGS = Number(process.env.CRASH_MEETINGS ?? 36);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
const INSTANCES = Number(process.env.CRASH_INSTANCES ?? 1);
const STORE = process.env.CRASH_STORE === "postgresql" ? "postgresql" : "sqlite";
const MEMBERS = 35;
const s = (v: number) => `${(v / 1000).toFixed(2)} s`;

function summary(title: string, r: CrashRunReport): string[] {
  return [
    `| ${title} : reçus exactement une fois | ${r.exactlyOnce}/${r.expected} (doublons ${r.doubled.length}, manquants ${r.missing.length}, livraisons non « sent » ${r.unfinishedDeliveries}) |`,
    `| ${title} : échéance → reçu, p50 / p99 / max (n = ${r.latencies.length}) | ${s(percentile(r.latencies, 50))} / ${s(percentile(r.latencies, 99))} / ${s(Math.max(...r.latencies))} |`,
    `| ${title} : dernier rappel de chaque rencontre, pire cas (toutes : ${r.lastPerMeeting.map((v) => (v / 1000).toFixed(1)).join(" ; ")}) | ${s(Math.max(...r.lastPerMeeting))} |`,
    `| ${title} : arrêts SIGKILL (pendant l'envoi / pendant la reprise) | ${r.kills.filter((k) => k.moment === "envoi").length} / ${r.kills.filter((k) => k.moment === "reprise").length} |`,
    ...(r.takeovers.length > 0 ? [`| ${title} : relève de Discord (arrêt → /aide répondu), min / médiane / max (n = ${r.takeovers.length}) | ${takeoverFigures(r.takeovers)} |`] : []),
    `| ${title} : durée | ${s(r.durationMs)} |`,
  ];
}

function takeoverFigures(takeovers: number[]): string {
  const answered = takeovers.filter((t) => Number.isFinite(t));
  const unanswered = takeovers.length - answered.length;
  if (answered.length === 0) return `aucune réponse en 60 s (${unanswered})`;
  const figures = `${s(Math.min(...answered))} / ${s(percentile(answered, 50))} / ${s(Math.max(...answered))}`;
  return unanswered > 0 ? `${figures} ; sans réponse en 60 s : ${unanswered}` : figures;
}

const botArgs = startCommand();
const progress = process.env.CRASH_PROGRESS ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
const cluster = { instances: INSTANCES, store: STORE } as const;
const baseline = await crashRun({ meetings: 6, members: MEMBERS, kills: 0, firstDueInMs: 8000, spacingMs: 3000, botArgs, seed: SEED, progress, ...cluster });
const crashes = await crashRun({ meetings: MEETINGS, members: MEMBERS, kills: KILLS, firstDueInMs: 8000, spacingMs: 25_000, botArgs, seed: SEED, settleTimeoutMs: 180_000, progress, ...cluster });

const lines = [
  `\n## Exactement une fois, à travers ${KILLS} arrêts brutaux (graine ${SEED}, ${INSTANCES} instance${INSTANCES > 1 ? "s" : ""} sur ${STORE === "postgresql" ? "PostgreSQL" : "SQLite"})\n`,
  "| mesure | valeur |",
  "|---|---|",
  ...summary("sans arrêt (référence)", baseline),
  ...summary(`${KILLS} SIGKILL`, crashes),
  `| p99 avec arrêts / p99 de référence | ${(percentile(crashes.latencies, 99) / percentile(baseline.latencies, 99)).toFixed(1)} |`,
];
if (crashes.doubled.length + crashes.missing.length > 0) lines.push(`\nDoublons : ${crashes.doubled.join(", ") || "aucun"}\nManquants : ${crashes.missing.join(", ") || "aucun"}`);
const checks = [
  [`${KILLS} SIGKILL faits (${crashes.kills.length})`, crashes.kills.length === KILLS],
  [`tous les rappels reçus exactement une fois malgré ${crashes.kills.length} SIGKILL`, crashes.exactlyOnce === crashes.expected && crashes.doubled.length === 0 && baseline.exactlyOnce === baseline.expected],
  [`p99 échéance → reçu sans arrêt ≤ 2 s (${s(percentile(baseline.latencies, 99))})`, percentile(baseline.latencies, 99) <= 2000],
  [`chaque rencontre servie en entier ≤ 45 s après l'échéance malgré les arrêts (${s(Math.max(...crashes.lastPerMeeting))})`, Math.max(...crashes.lastPerMeeting) <= 45_000],
  ...(INSTANCES > 1 ? ([[`Discord repris par une autre instance en moins de 30 s à chaque fois (${takeoverFigures(crashes.takeovers)})`, crashes.takeovers.every((t) => t < 30_000)]] as const) : []),
] as const;
lines.push("", ...checks.map(([label, ok]) => `${ok ? "OK " : "KO "} ${label}`));
process.stdout.write(`${lines.join("\n")}\n`);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
