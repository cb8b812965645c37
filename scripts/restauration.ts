import path from "node:path";
import { ConfigError, loadConfig } from "../src/config.js";
import { pgRestoreAdvice } from "../src/ops/postgres.js";
import { BackupError, DatabaseInUse, isPostgresUrl, restoreDatabase, sqliteFileFromUrl } from "../src/store/index.js";

/** `npm run restauration -- <fichier>`: puts a backup back, bot stopped, keeping the current base aside. */
async function main(): Promise<number> {
  const file = process.argv.slice(2).find((a) => !a.startsWith("-"));
  if (!file) {
    process.stderr.write("Usage : npm run restauration -- <fichier de sauvegarde .db>\n");
    return 2;
  }
  const config = loadConfig();
  if (isPostgresUrl(config.DATABASE_URL)) {
    process.stdout.write(`${pgRestoreAdvice(config.DATABASE_URL, path.resolve(file))}\n`);
    return 2;
  }
  const dbFile = sqliteFileFromUrl(config.DATABASE_URL);
  try {
    const result = restoreDatabase(dbFile, path.resolve(file), new Date());
    process.stdout.write(
      `Sauvegarde restaurée : ${result.restored}.\n` +
        (result.keptAside ? `L'ancienne base est gardée de côté : ${result.keptAside}.\n` : "") +
        "Redémarrez le bot : sudo systemctl start promeneurs-bot (ou npm start). Les migrations manquantes s'appliqueront au démarrage.\n",
    );
    return 0;
  } catch (err) {
    if (err instanceof DatabaseInUse) {
      process.stderr.write(`${err.message}\nArrêtez-le d'abord (sudo systemctl stop promeneurs-bot), puis relancez la restauration. Rien n'a été modifié.\n`);
      return 3;
    }
    if (err instanceof BackupError) {
      process.stderr.write(`${err.message}\nRien n'a été modifié.\n`);
      return 1;
    }
    throw err;
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Restauration impossible : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
