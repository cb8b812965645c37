import { writeFileSync } from "node:fs";
import { loadConfig } from "../src/config.js";
import { systemClock } from "../src/shared/clock.js";
import { UserError } from "../src/core/errors.js";
import { buildEvaluation } from "../src/core/reporting/workbook.js";
import { botRunsOn, openStore } from "../src/store/index.js";

const USAGE = "Usage : npm run bilan -- --annee 2026 [--out bilan-2026.xlsx]\n";

/** Reads `--name value` or `--name=value`. */
function argOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes("=") ? argv[i]!.slice(name.length + 3) : argv[i + 1];
}

/**
 * `npm run bilan -- --annee 2026 --out bilan-2026.xlsx`: writes the yearly evaluation workbook and,
 * beside it, its Markdown summary (same name, .md). Run by whoever holds the database: it has the
 * animator's view (participation figures included).
 */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const year = Number(argOf(argv, "annee"));
  if (!Number.isInteger(year)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const out = argOf(argv, "out") ?? `bilan-${year}.xlsx`;
  const config = loadConfig();
  const store = await openStore(config.DATABASE_URL, (msg) => process.stderr.write(`${msg}\n`), { backupDir: config.BACKUP_DIR, courteous: botRunsOn(config.DATABASE_URL) });
  try {
    const { xlsx, markdown } = await buildEvaluation(store.prisma, { year, timeZone: config.BOT_TIMEZONE, now: systemClock.now(), viewerRole: "ANIMATEUR" });
    writeFileSync(out, xlsx);
    const md = out.replace(/\.xlsx$/i, "") + ".md";
    writeFileSync(md, markdown);
    process.stdout.write(`Évaluation ${year} écrite : ${out} (${xlsx.length} octets) et ${md}.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`Bilan impossible : ${err instanceof UserError || err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
