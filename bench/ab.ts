/**
 * `npm run bench:ab`: the same benchmarks run from two trees, « before » and « after », one child
 * process per benchmark and side, interleaved (each benchmark runs on both sides back to back,
 * round after round) so that whatever else loads the machine weighs on both sides alike. The side
 * that goes first alternates by round (A B, then B A, …): a second run is not favoured either way.
 * Prints, per figure, each side's median and spread over the rounds, the ratio of the medians and
 * a verdict; the report is also written to bench/results/ after every round, so a run cut short
 * still leaves the rounds it finished.
 *
 * Verdict rule: « dans le bruit » when the two spreads (min–max) overlap, i.e. the ratio's
 * interval [min after ÷ max before, max after ÷ min before] holds 1; the ±10 % column says
 * separately whether the ratio of the medians is within 10 % of 1.
 *
 * BENCH_BEFORE=<path> (required): a checkout of the « before » commit with its node_modules and
 * its Prisma client generated (`git worktree add --detach ../before <commit> && cd ../before &&
 * cp -a <this tree>/node_modules . && node scripts/prisma-generate.mjs`). BENCH_AFTER defaults to
 * this tree. Each tree is built (`node scripts/build.mjs`) before the first round.
 * BENCH_AB_ROUNDS (3), BENCH_N (200 acks per latency figure), BENCH_AB_STARTUP_RUNS (3),
 * BENCH_AB_ONLY=discord,slack,startup,scheduler,meetings,polls (all by default).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { compare, comparisonTable, textDifferences, unpaired, type Figure, type SideResult } from "./ab-figures.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SIDE_SCRIPT = path.join(HERE, "ab-side.ts");
const ALL = ["discord", "slack", "startup", "scheduler", "meetings", "polls"];

function settings() {
  const before = process.env.BENCH_BEFORE;
  if (!before || !existsSync(path.join(before, "bench"))) {
    process.stderr.write("BENCH_BEFORE doit désigner l'arbre « avant » (un checkout avec node_modules et son client Prisma généré).\n");
    process.exit(2);
  }
  return {
    trees: { avant: path.resolve(before), après: path.resolve(process.env.BENCH_AFTER ?? path.join(HERE, "..")) },
    rounds: Number(process.env.BENCH_AB_ROUNDS ?? 3),
    n: process.env.BENCH_N ?? "200",
    startupRuns: process.env.BENCH_AB_STARTUP_RUNS ?? "3",
    benchmarks: (process.env.BENCH_AB_ONLY ?? ALL.join(",")).split(",").filter(Boolean),
  };
}

type Side = "avant" | "après";

/** Runs one benchmark in `tree` as a child process (its own temp folder, removed after) and reads its figures. */
function runSide(tree: string, benchmark: string, args: string[]): Promise<SideResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-ab-"));
  return new Promise<SideResult>((resolve, reject) => {
    const child = spawn("npx", ["tsx", SIDE_SCRIPT, benchmark, ...args], { cwd: tree, env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("AB-RESULT "));
      if (code === 0 && line) resolve(JSON.parse(line.slice("AB-RESULT ".length)) as SideResult);
      else reject(new Error(`${benchmark} dans ${tree} : code ${code}\n${err.slice(-2000)}`));
    });
  }).finally(() => rmSync(tmp, { recursive: true, force: true }));
}

function build(tree: string): void {
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: tree, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`la compilation de ${tree} a échoué`);
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(", ");

interface Runs {
  figures: Record<Side, Figure[]>;
  texts: Record<Side, Record<string, string>[]>;
  loads: string[];
}

function report(s: ReturnType<typeof settings>, runs: Runs, rounds: number, minutes: number): string {
  const { figures, texts } = runs;
  return [
    `# Avant / après (${rounds} tours alternés, n = ${s.n}, démarrages = ${s.startupRuns})`,
    `avant : ${s.trees.avant}\naprès : ${s.trees.après}\ndurée : ${minutes.toFixed(1)} min ; charge (1, 5, 15 min) : ${runs.loads.join(" ; ")}`,
    "Verdict : « dans le bruit » quand les étendues (min–max) des deux côtés se chevauchent (l'intervalle du rapport contient 1).",
    comparisonTable(compare(figures.avant, figures.après)),
    ["## Mesures d'un seul côté", ...unpaired(figures.avant, figures.après)].join("\n"),
    ["## Textes (plans, comptes, contrôles) qui varient", ...textDifferences(texts.avant, texts.après)].join("\n"),
  ].join("\n\n");
}

async function main(): Promise<void> {
  const s = settings();
  for (const tree of Object.values(s.trees)) build(tree);
  const runs: Runs = { figures: { avant: [], après: [] }, texts: { avant: [], après: [] }, loads: [] };
  const started = Date.now();
  runs.loads.push(`début ${new Date(started).toISOString()} : ${loadAverage()}`);
  mkdirSync(path.join(HERE, "results"), { recursive: true });
  const file = path.join(HERE, "results", `ab-${new Date(started).toISOString().replace(/[:.]/g, "-")}.md`);
  for (let round = 1; round <= s.rounds; round++) {
    for (const benchmark of s.benchmarks) {
      for (const side of round % 2 ? (["avant", "après"] as const) : (["après", "avant"] as const)) {
        const t0 = performance.now();
        const result = await runSide(s.trees[side], benchmark, [s.n, s.startupRuns]);
        runs.figures[side].push(...result.figures);
        runs.texts[side].push(result.texts);
        process.stderr.write(`tour ${round}/${s.rounds} ${benchmark} ${side} : ${((performance.now() - t0) / 1000).toFixed(0)} s (charge ${loadAverage()})\n`);
      }
    }
    runs.loads.push(`fin du tour ${round} : ${loadAverage()}`);
    writeFileSync(file, `${report(s, runs, round, (Date.now() - started) / 60000)}\n`);
  }
  process.stdout.write(`${report(s, runs, s.rounds, (Date.now() - started) / 60000)}\n`);
}

await main();
