// PostgreSQL is backed up and restored with its own tools; the bot only prints the commands.
import path from "node:path";

/** The configured URL with its password hidden (pg_dump reads it from PGPASSWORD or ~/.pgpass). */
export function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password = "";
  return url.toString();
}

export function pgDumpAdvice(databaseUrl: string, backupDir: string, now: Date): string {
  const file = path.join(backupDir, `promeneurs-${now.toISOString().slice(0, 10)}.dump`);
  return [
    "La base est PostgreSQL : sauvegardez-la avec pg_dump (le mot de passe est lu dans PGPASSWORD ou ~/.pgpass) :",
    `  mkdir -p '${backupDir}' && pg_dump --format=custom --file='${file}' --dbname='${withoutPassword(databaseUrl)}'`,
  ].join("\n");
}

export function pgRestoreAdvice(databaseUrl: string, file: string): string {
  return [
    "La base est PostgreSQL : restaurez-la avec pg_restore, bot arrêté (sudo systemctl stop promeneurs-bot) :",
    `  pg_restore --clean --if-exists --no-owner --dbname='${withoutPassword(databaseUrl)}' '${file}'`,
    "puis redémarrez le bot (sudo systemctl start promeneurs-bot).",
  ].join("\n");
}
