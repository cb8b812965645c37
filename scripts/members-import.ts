import { readFileSync } from "node:fs";
import { loadConfig } from "../src/config.js";
import { systemClock } from "../src/shared/clock.js";
import { importMembers } from "../src/core/member-import.js";
import { botRunsOn, openStore } from "../src/store/index.js";
import { plural } from "../src/shared/plural.js";

/** `npm run members:import -- annuaire.csv`: imports or updates the departmental directory. */
async function main(): Promise<number> {
  const file = process.argv.slice(2).find((a) => !a.startsWith("-"));
  if (!file) {
    process.stderr.write("Usage : npm run members:import -- <fichier.csv>\n");
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    process.stderr.write(`Fichier introuvable ou illisible : ${file}\n`);
    return 2;
  }
  const config = loadConfig();
  const store = await openStore(config.DATABASE_URL, (msg) => process.stderr.write(`${msg}\n`), { backupDir: config.BACKUP_DIR, courteous: botRunsOn(config.DATABASE_URL) });
  try {
    const report = await importMembers(store.prisma, systemClock, bytes);
    for (const e of report.errors) process.stdout.write(`Ligne ${e.line} refusée : ${e.message}\n`);
    process.stdout.write(
      `Import terminé : ${plural(report.created, "créé", "créés")}, ${report.updated} mis à jour, ${plural(report.unchanged, "inchangé", "inchangés")}, ${plural(report.errors.length, "ligne refusée", "lignes refusées")}.\n`,
    );
    return report.errors.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`Import impossible : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
