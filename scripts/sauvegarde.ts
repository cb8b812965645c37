import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../src/config.js";
import { pgDumpAdvice } from "../src/ops/postgres.js";
import { backupDatabase, isPostgresUrl, sqliteFileFromUrl } from "../src/store/index.js";

/** `npm run sauvegarde`: one backup now, also while the bot runs (SQLite's online backup). */
async function main(): Promise<number> {
  const config = loadConfig();
  const backupDir = path.resolve(config.BACKUP_DIR);
  if (isPostgresUrl(config.DATABASE_URL)) {
    process.stdout.write(`${pgDumpAdvice(config.DATABASE_URL, backupDir, new Date())}\n`);
    return 2;
  }
  const dbFile = sqliteFileFromUrl(config.DATABASE_URL);
  if (!existsSync(dbFile)) {
    process.stderr.write(`Base introuvable : ${dbFile}. Vérifiez DATABASE_URL (fichier .env).\n`);
    return 1;
  }
  const backup = await backupDatabase(dbFile, backupDir, new Date());
  process.stdout.write(`Sauvegarde écrite : ${backup.file} (${formatSize(backup.bytes)}), vérifiée.\n`);
  return 0;
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} Ko`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Sauvegarde impossible : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
