// npm run db:copier -- --vers postgresql://… [--depuis file:./data/promeneurs.db]
// Copies the SQLite database (DATABASE_URL by default) into an empty PostgreSQL database.
// Stop the bot first: writes made during the copy would not be copied.
import { parseArgs } from "node:util";

import { CopyError, copySqliteToPostgres } from "../src/store/copy.js";
import { DEFAULT_DATABASE_URL, isPostgresUrl } from "../src/store/index.js";

const USAGE = "Usage : npm run db:copier -- --vers postgresql://… [--depuis file:./data/promeneurs.db]";

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({ options: { vers: { type: "string" }, depuis: { type: "string" } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const source = values.depuis ?? process.env["DATABASE_URL"] ?? DEFAULT_DATABASE_URL;
  const target = values.vers;
  if (!target || !isPostgresUrl(target)) {
    console.error(`--vers doit être l'URL d'une base PostgreSQL (postgresql://…).\n${USAGE}`);
    return 2;
  }
  if (!source.startsWith("file:")) {
    console.error(`La base source doit être une base SQLite (file:…), pas « ${source} ».\n${USAGE}`);
    return 2;
  }
  try {
    const copied = await copySqliteToPostgres(source, target, (msg) => console.log(msg));
    const total = copied.reduce((sum, table) => sum + table.rows, 0);
    console.log(`Copie terminée : ${copied.length} tables, ${total} lignes, comptes vérifiés des deux côtés.`);
    console.log(`Démarrez le bot avec DATABASE_URL=${target.replace(/:[^:@/]*@/, ":***@")}`);
    return 0;
  } catch (error) {
    console.error(error instanceof CopyError ? error.message : `Échec de la copie : ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
