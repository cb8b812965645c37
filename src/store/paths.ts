// Where the store's files live, and how a `file:` database URL maps to a path.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Resolved from this file rather than the cwd: the bot, the tests and the scripts are not
// always started from the repo root. Keep in sync with prisma.config.ts.
// `npm start` runs a compiled copy under .build/, so walk up to the folder that holds the schema.
export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`prisma/schema.prisma introuvable au-dessus de ${from}`);
  }
}
export const SCHEMA_PATH = path.join(REPO_ROOT, "prisma", "schema.prisma");
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");

/** The default used when DATABASE_URL is unset (same value as in prisma.config.ts). */
export const DEFAULT_DATABASE_URL = "file:./data/promeneurs.db";

/**
 * How long a connection opened at start-up (migrations, WAL switch) waits on a locked file. The
 * serving connection waits a few ms only (see busy.ts): nothing is served yet at start-up.
 */
export const STARTUP_BUSY_TIMEOUT_MS = 5_000;

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/**
 * Absolute path of the SQLite file named by a `file:` URL. Relative paths are taken from the
 * cwd (Prisma's own convention for `file:./x.db`), `file:///abs` URLs are decoded, and a
 * `?query` suffix (e.g. `?connection_limit=1` from older Prisma URLs) is ignored because the
 * better-sqlite3 adapter would otherwise treat it as part of the file name.
 */
export function sqliteFileFromUrl(databaseUrl: string, cwd: string = process.cwd()): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(
      `URL de base de données non prise en charge : « ${databaseUrl} ». ` +
        `Attendu : file:./chemin/vers/fichier.db (SQLite).`,
    );
  }
  const withoutQuery = databaseUrl.replace(/\?.*$/, "");
  const filePath = withoutQuery.startsWith("file://")
    ? fileURLToPath(withoutQuery)
    : withoutQuery.slice("file:".length);
  if (filePath === "" || filePath === ":memory:") {
    throw new Error(
      `URL de base de données invalide : « ${databaseUrl} » (un fichier SQLite est nécessaire).`,
    );
  }
  return path.resolve(cwd, filePath);
}
