/**
 * Operations (issue 12):
 * (a) the bot's event loop and commands while `npm run members:import` (3,500 lines) and
 *     `npm run sauvegarde` (once, started with the import) run as real child processes on
 *     its SQLite file, against the same run without them: longest stall, failed commands, p99 ratio;
 * (b) backup and restore of a database holding 3,500 members and a year of activity.
 */
import { rmSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { backupDatabase, openStore, restoreDatabase, sqliteFileFromUrl } from "../src/store/index.js";
import { commandsBesideCli, runScript, type CliBesideBotRun } from "../test/helpers/cli-beside-bot.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { seedNationalYear } from "./reporting.js";
import { ms, percentile } from "./stats.js";

const LINES = Number(process.env.BENCH_IMPORT_LINES ?? 3500);
const COMMANDS = Number(process.env.BENCH_CLI_COMMANDS ?? 500);
/** Discord's acknowledgement window: a command answered later is a failed command. */
const DISCORD_DEADLINE_MS = 3000;
/** 4 commands every 250 ms: a busy evening of a whole department's network, steady rather than flat out. */
const PACE = { concurrency: 4, waveEveryMs: 250 } as const;

interface OperationsFigures {
  rows: { name: string; value: string }[];
  maxStallMs: number;
  maxOnCpuStallMs: number;
  failed: number;
  p99Ratio: number;
}

function describeRun(label: string, run: CliBesideBotRun): { name: string; value: string }[] {
  return [
    { name: `${label} : commandes envoyées / échouées`, value: `${run.sent} / ${run.failures.length}` },
    { name: `${label} : acquittement p50 / p99`, value: `${ms(percentile(run.latenciesMs, 50))} / ${ms(percentile(run.latenciesMs, 99))}` },
    { name: `${label} : blocage de la boucle d'événements max / p99`, value: `${ms(run.maxStallMs)} / ${ms(run.p99StallMs)}` },
    { name: `${label} : plus long blocage compté en temps processeur du processus`, value: ms(run.maxOnCpuStallMs) },
  ];
}

export async function benchOperations(): Promise<OperationsFigures> {
  const baseline = await commandsBesideCli({ lines: 0, commands: COMMANDS, deadlineMs: DISCORD_DEADLINE_MS, ...PACE });
  const loaded = await commandsBesideCli({ lines: LINES, commands: COMMANDS, deadlineMs: DISCORD_DEADLINE_MS, backups: "once", ...PACE });
  // Control: the same CLIs on another file. On a small (or shared) machine they also take CPU from
  // the bot; this run tells that part from what sharing the SQLite file costs.
  const control = await commandsBesideCli({ lines: LINES, commands: COMMANDS, deadlineMs: DISCORD_DEADLINE_MS, backups: "once", cliOnOtherDatabase: true, ...PACE });
  const p99Ratio = percentile(loaded.latenciesMs, 99) / percentile(baseline.latenciesMs, 99);
  const backup = await benchBackup();
  const okBackups = loaded.backups.filter((b) => b.code === 0).length;
  return {
    rows: [
      ...describeRun("sans CLI", baseline),
      ...describeRun(`avec import de ${LINES} lignes + sauvegarde`, loaded),
      { name: "import (processus séparé, tsx compris)", value: `${ms(loaded.imported?.ms ?? NaN)} (code ${loaded.imported?.code})` },
      { name: "npm run sauvegarde lancée avec l'import", value: loaded.backups.map((b) => `${ms(b.ms)} (code ${b.code})`).join(", ") },
      ...describeRun("témoin : mêmes CLI sur une autre base", control),
      { name: "p99 d'acquittement avec CLI / sans CLI", value: p99Ratio.toFixed(2) },
      { name: "p99 d'acquittement avec CLI / témoin (part due au partage du fichier)", value: (percentile(loaded.latenciesMs, 99) / percentile(control.latenciesMs, 99)).toFixed(2) },
      ...(loaded.failures.length ? [{ name: "premier échec", value: loaded.failures[0]!.replace(/\|/g, "/") }] : []),
      ...backup,
    ],
    maxStallMs: loaded.maxStallMs,
    maxOnCpuStallMs: loaded.maxOnCpuStallMs,
    failed: loaded.failures.length + (loaded.imported?.code === 0 ? 0 : 1) + (loaded.backups.length - okBackups),
    p99Ratio,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} Mo`;

/** The year of reporting.ts (3,500 members, 36,000 reports, 22,500 attendance rows…), backed up then restored. */
async function benchBackup(): Promise<{ name: string; value: string }[]> {
  const url = await freshStoreUrl();
  const dbFile = sqliteFileFromUrl(url);
  const store = await openStore(url);
  try {
    await seedNationalYear(store.prisma);
  } finally {
    await store.close();
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "pdn-bench-backup-"));
  try {
    const t0 = performance.now();
    const backup = await backupDatabase(dbFile, dir, new Date());
    const backupMs = performance.now() - t0;
    const cli = await runScript("sauvegarde", [], { DATABASE_URL: url, BACKUP_DIR: path.join(dir, "cli") });
    const t1 = performance.now();
    restoreDatabase(dbFile, backup.file, new Date());
    const restoreMs = performance.now() - t1;
    return [
      { name: "année de 3 500 membres : taille de la base / de la sauvegarde", value: `${mb(statSync(dbFile).size)} / ${mb(backup.bytes)}` },
      { name: "sauvegarde (API de sauvegarde SQLite + integrity_check)", value: ms(backupMs) },
      { name: "npm run sauvegarde de bout en bout (démarrage tsx compris)", value: `${ms(cli.ms)} (code ${cli.code})` },
      { name: "restauration (copie, vérification, mise de côté, remplacement)", value: ms(restoreMs) },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
