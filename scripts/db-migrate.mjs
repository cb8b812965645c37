#!/usr/bin/env node
// Creates a new migration from the changes made to prisma/schema.prisma.
//
//   npm run db:migrate -- --name add_event_table
//
// Stands in for `prisma migrate dev --create-only`, whose native engine cannot be downloaded
// offline: the migrations already in prisma/migrations are applied to a throw-away SQLite file
// by Prisma's wasm schema engine, that database is diffed against the schema, and the SQL goes
// to prisma/migrations/<UTC timestamp>_<name>/migration.sql (Prisma's own layout, so the
// Prisma CLI and the bot's start-up migration both accept it). Nothing is applied to the real
// database here: the bot applies pending migrations when it starts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// tsx's API so this plain-Node script can reuse the TypeScript engine wrapper of the bot
// (one implementation of the wasm loading and of the migrations folder format).
import { tsImport } from "tsx/esm/api";

const USAGE = "Usage : npm run db:migrate -- --name <nom>   (lettres minuscules, chiffres et _)";

function fail(message) {
  console.error(message);
  process.exit(1);
}

let args;
try {
  args = parseArgs({ options: { name: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const name = args.name;
if (name === undefined || name === "") fail(`Le nom de la migration est obligatoire.\n${USAGE}`);
if (!/^[a-z0-9_]+$/.test(name)) {
  fail(`Nom de migration invalide : « ${name} ».\n${USAGE}`);
}
if (name.length > 80) fail(`Nom de migration trop long (${name.length} caractères, 80 au plus).`);

const here = path.dirname(fileURLToPath(import.meta.url));
const paths = await tsImport("../src/store/paths.ts", import.meta.url);
const engine = await tsImport("../src/store/schema-engine.ts", import.meta.url);
const { MIGRATIONS_DIR, SCHEMA_PATH, REPO_ROOT } = paths;

const providers = await tsImport("../src/store/providers.ts", import.meta.url);
const postgres = await tsImport("../src/store/postgres.ts", import.meta.url);
const pgFiles = providers.PROVIDER_FILES.postgresql;
// Where the PostgreSQL migration is computed: a throw-away database on this server.
const scratchServer = process.env.PROMENEURS_SCRATCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const sqliteDiff = await sqliteMigrationDiff();
// The PostgreSQL schema is derived from the same source before its migration is computed.
mkdirSync(path.dirname(pgFiles.schemaPath), { recursive: true });
writeFileSync(pgFiles.schemaPath, providers.postgresqlSchema(readFileSync(SCHEMA_PATH, "utf8")), "utf8");
const pgDiff = await postgresMigrationDiff();

if (sqliteDiff.empty && pgDiff.empty) {
  console.log("Aucun changement : prisma/schema.prisma correspond déjà aux migrations existantes.");
  process.exit(0);
}

// Prisma's naming: UTC YYYYMMDDHHMMSS_name. Folders are applied in name order, so the new one
// must sort after every existing one (it would not if the clock went backwards). Both providers
// get the same folder name.
const timestamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const folder = `${timestamp}_${name}`;
for (const [dir, diff, provider] of [
  [MIGRATIONS_DIR, sqliteDiff, "sqlite"],
  [pgFiles.migrationsDir, pgDiff, "postgresql"],
]) {
  if (diff.empty) continue;
  const last = engine.listMigrationNames(dir).at(-1);
  if (last !== undefined && folder.localeCompare(last) <= 0) {
    fail(`La migration « ${folder} » serait rangée avant « ${last} » : vérifiez l'horloge de la machine.`);
  }
  const folderPath = path.join(dir, folder);
  if (existsSync(folderPath)) fail(`Le dossier ${path.relative(REPO_ROOT, folderPath)} existe déjà.`);
  mkdirSync(folderPath, { recursive: true });
  writeFileSync(path.join(folderPath, "migration.sql"), diff.sql, "utf8");
  // Rewritten every time, like `prisma migrate dev` does.
  writeFileSync(path.join(dir, engine.MIGRATION_LOCK_FILE), engine.migrationLockContent(provider), "utf8");
  console.log(`Migration créée (${provider}) : ${path.relative(REPO_ROOT, path.join(folderPath, "migration.sql"))}`);
  if (/DROP TABLE|DROP COLUMN|-- RedefineTables/.test(diff.sql)) {
    console.log("Attention : elle supprime ou recrée des tables/colonnes ; relisez-la avant de la committer.");
  }
}
console.log("Elle sera appliquée au prochain démarrage du bot.");

async function sqliteMigrationDiff() {
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), "promeneurs-db-migrate-"));
  try {
    return await engine.diffMigrationsToSchema({
      migrationsDir: MIGRATIONS_DIR,
      schemaPath: SCHEMA_PATH,
      scratchFile: path.join(scratchDir, "scratch.db"),
    });
  } catch (error) {
    fail(`Impossible de calculer la migration :\n${error instanceof Error ? error.message : error}`);
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function postgresMigrationDiff() {
  const scratch = `promeneurs_migrate_${process.pid}_${Date.now()}`;
  try {
    await postgres.createDatabase(scratchServer, scratch);
  } catch (error) {
    fail(
      `La migration PostgreSQL se calcule sur un serveur PostgreSQL (${scratchServer}), injoignable :\n` +
        `${error instanceof Error ? error.message : error}\n` +
        "Démarrez PostgreSQL ou indiquez-en un avec PROMENEURS_SCRATCH_POSTGRES_URL=postgresql://…",
    );
  }
  try {
    return await engine.diffMigrationsToSchema({
      migrationsDir: pgFiles.migrationsDir,
      schemaPath: pgFiles.schemaPath,
      scratchFile: postgres.withDatabase(scratchServer, scratch),
    });
  } catch (error) {
    fail(`Impossible de calculer la migration PostgreSQL :\n${error instanceof Error ? error.message : error}`);
  } finally {
    await postgres.dropDatabase(scratchServer, scratch).catch(() => undefined);
  }
}

// The schema changed, so the generated client must follow (as `prisma migrate dev` does).
const generate = spawnSync(process.execPath, [path.join(here, "prisma-generate.mjs")], { stdio: "inherit" });
if (generate.status !== 0) fail("La génération du client Prisma a échoué (voir ci-dessus).");
console.log("Client Prisma régénéré dans src/store/generated/.");
