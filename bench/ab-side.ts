/**
 * One side of `bench/ab.ts`: runs one benchmark of the tree it is started in (the working
 * directory, « before » or « after ») and prints its figures as one `AB-RESULT <json>` line.
 * The benchmark is imported from that tree, so each side measures its own code with its own
 * bench file; only this reading of the results is shared.
 *
 *   cd <tree> && npx tsx <this file> <benchmark> <n> <startup runs>
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import { resultOfRows, type SideResult } from "./ab-figures.js";

interface LatencyRow {
  name: string;
  p50: number;
  p99: number;
}

interface StartupFigures {
  consoleReadyMs: number[];
  consoleRssMb: number;
  bothReadyMs: number;
  bothRssMb: number;
  sigtermStopMs: number;
  sigtermCode: number | null;
}

type Rows = { name: string; value: string }[];

const [benchmark = "", n = "200", startupRuns = "3"] = process.argv.slice(2);
const fromTree = (file: string) => import(pathToFileURL(path.join(process.cwd(), "bench", file)).href);

const latency = (rows: LatencyRow[]): SideResult => ({
  figures: rows.flatMap((r) => [
    { name: `${r.name} · p50`, value: r.p50, unit: "ms", lowerIsBetter: true },
    { name: `${r.name} · p99`, value: r.p99, unit: "ms", lowerIsBetter: true },
  ]),
  texts: {},
});

function startup(s: StartupFigures): SideResult {
  const sorted = [...s.consoleReadyMs].sort((a, b) => a - b);
  const ms = (name: string, value: number) => ({ name, value, unit: "ms", lowerIsBetter: true });
  const mb = (name: string, value: number) => ({ name, value, unit: "Mo", lowerIsBetter: true });
  return {
    figures: [
      ms(`démarrage : console → « bot prêt » (médiane de ${sorted.length})`, sorted[Math.floor(sorted.length / 2)]!),
      mb("démarrage : RSS console prête", s.consoleRssMb),
      ms("démarrage : Discord + Slack connectés → « bot prêt »", s.bothReadyMs),
      mb("démarrage : RSS Discord + Slack connectés", s.bothRssMb),
      ms("démarrage : arrêt sur SIGTERM", s.sigtermStopMs),
    ],
    texts: { "démarrage : code de sortie après SIGTERM": String(s.sigtermCode) },
  };
}

/** The benchmarks both trees have, with the same signature (checked with `git diff e9e0e70 main -- bench/`). */
const BENCHMARKS: Record<string, () => Promise<SideResult>> = {
  discord: async () => latency(await (await fromTree("discord.ts")).benchDiscord(Number(n))),
  slack: async () => latency(await (await fromTree("slack.ts")).benchSlack(Number(n))),
  startup: async () => startup(await (await fromTree("startup.ts")).benchStartup(Number(startupRuns))),
  scheduler: async () => resultOfRows((await (await fromTree("scheduler.ts")).benchScheduler()) as Rows),
  meetings: async () => resultOfRows((await (await fromTree("meetings.ts")).benchMeetings()) as Rows),
  polls: async () => resultOfRows((await (await fromTree("polls.ts")).benchPolls()) as Rows),
};

const run = BENCHMARKS[benchmark];
if (!run) {
  process.stderr.write(`Mesure inconnue « ${benchmark} » ; au choix : ${Object.keys(BENCHMARKS).join(", ")}.\n`);
  process.exit(2);
}
const result = await run();
process.stdout.write(`\nAB-RESULT ${JSON.stringify(result)}\n`);
// Some benchmarks leave emulator sockets or timers behind; the figures are out, the process is done.
process.exit(0);
