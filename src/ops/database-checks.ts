// What the diagnostic checks in the database, on SQLite and on PostgreSQL alike: reachable and
// migrated, the channels set with /config canal, the failing watch sources. Only backups differ:
// the bot makes SQLite's itself (their age is checked), PostgreSQL's are pg_dump's (the command is given).
import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Config } from "../config.js";
import { ago } from "../core/dates.js";
import { plural } from "../shared/plural.js";
import { isPostgresUrl, listBackups, pendingMigrations, pendingPostgresMigrations, queryRows, sqliteFileFromUrl, withPostgres } from "../store/index.js";
import type { SetupCheck as Check } from "../core/setup-check.js";
import { pgDumpAdvice, withoutPassword } from "./postgres.js";
import { failingSourcesFrom, FAILING_SOURCES_SQL, type FailingSource } from "./watch-check.js";

/** Past this age the nightly backup has missed at least one night. */
const BACKUP_MAX_AGE_HOURS = 36;

const LABEL = "Base de données";
const CHANNEL_SETTINGS_SQL = `SELECT "key", "value" FROM "Setting" WHERE "key" LIKE 'channel:%'`;
const MIGRATE_FIX = "Redémarrez le bot : il applique les migrations au démarrage.";

interface DatabaseState {
  checks: Check[];
  /** The channel settings (`channel:<platform>:<usage>` → id), when the database could be read. */
  settings?: Map<string, string>;
  failingSources?: FailingSource[];
}

export function databaseChecks(config: Config, now: Date): Promise<DatabaseState> {
  return isPostgresUrl(config.DATABASE_URL) ? postgresChecks(config, now) : Promise.resolve(sqliteChecks(config, now));
}

function pendingCheck(pending: string[], upToDate: string, fix: string): Check {
  return pending.length === 0
    ? { label: LABEL, ok: true, detail: upToDate }
    : { label: LABEL, ok: false, detail: `${plural(pending.length, "migration non appliquée", "migrations non appliquées")} : ${pending.join(", ")}`, fix };
}

function sqliteChecks(config: Config, now: Date): DatabaseState {
  const file = sqliteFileFromUrl(config.DATABASE_URL);
  if (!existsSync(file)) {
    return { checks: [{ label: LABEL, ok: false, detail: `fichier introuvable : ${path.resolve(file)}`, fix: "Démarrez le bot une fois (npm start) : il crée la base, ou corrigez DATABASE_URL." }] };
  }
  const checks: Check[] = [];
  let settings: Map<string, string> | undefined;
  let failingSources: FailingSource[] | undefined;
  try {
    checks.push(pendingCheck(pendingMigrations(file), `${path.resolve(file)}, à jour`, "Redémarrez le bot : il sauvegarde la base puis applique les migrations."));
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 50 });
    try {
      settings = settingsFrom(db.prepare(CHANNEL_SETTINGS_SQL).all() as Record<string, unknown>[]);
      // SQLite stores booleans as 0/1.
      failingSources = failingSourcesFrom(db.prepare(FAILING_SOURCES_SQL.replace(":active", "1")).all() as Record<string, unknown>[]);
    } finally {
      db.close();
    }
  } catch (err) {
    checks.push({ label: LABEL, ok: false, detail: `illisible : ${err instanceof Error ? err.message : String(err)}`, fix: "Restaurez la dernière sauvegarde : npm run restauration -- <fichier>." });
  }
  checks.push(sqliteBackupCheck(file, config.BACKUP_DIR, now));
  return { checks, settings, failingSources };
}

async function postgresChecks(config: Config, now: Date): Promise<DatabaseState> {
  const url = config.DATABASE_URL;
  const where = withoutPassword(url);
  const backup = postgresBackupCheck(config, now);
  let pending: string[];
  try {
    pending = await pendingPostgresMigrations(url);
  } catch (err) {
    const fix = "Vérifiez que PostgreSQL tourne (sudo systemctl status postgresql), que la base existe et que DATABASE_URL (hôte, port, base, utilisateur, mot de passe) est juste.";
    return { checks: [{ label: LABEL, ok: false, detail: `PostgreSQL injoignable (${where}) : ${postgresReason(err)}`, fix }, backup] };
  }
  const checks = [pendingCheck(pending, `PostgreSQL ${where}, à jour`, MIGRATE_FIX)];
  try {
    const { settings, failingSources } = await withPostgres(url, async (db) => ({
      settings: settingsFrom(await queryRows(db, CHANNEL_SETTINGS_SQL)),
      failingSources: failingSourcesFrom(await queryRows(db, FAILING_SOURCES_SQL.replace(":active", "true"))),
    }));
    return { checks: [...checks, backup], settings, failingSources };
  } catch (err) {
    checks.push({ label: LABEL, ok: false, detail: `illisible : ${postgresReason(err)}`, fix: `${MIGRATE_FIX} Si l'erreur reste, restaurez la dernière sauvegarde avec pg_restore.` });
    return { checks: [...checks, backup] };
  }
}

/** The adapter's errors carry the useful part (the refused address, the missing database) in `cause`. */
function postgresReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : typeof cause === "object" && cause !== null ? JSON.stringify(cause) : "";
  return detail && !err.message.includes(detail) ? `${err.message} (${detail})` : err.message;
}

function settingsFrom(rows: Record<string, unknown>[]): Map<string, string> {
  return new Map(rows.map((r) => [String(r["key"]), String(r["value"])]));
}

function sqliteBackupCheck(dbFile: string, backupDir: string, now: Date): Check {
  const newest = listBackups(dbFile, backupDir)[0];
  const fix = "Lancez npm run sauvegarde, et vérifiez que le bot tourne (la sauvegarde se fait chaque nuit à 3 h).";
  if (!newest) return { label: "Dernière sauvegarde", ok: false, detail: `aucune dans ${path.resolve(backupDir)}`, fix };
  const hours = (now.getTime() - newest.at.getTime()) / 3_600_000;
  const detail = `${newest.file}, ${ago(newest.at, now)}`;
  return hours <= BACKUP_MAX_AGE_HOURS ? { label: "Dernière sauvegarde", ok: true, detail } : { label: "Dernière sauvegarde", ok: false, detail: `trop ancienne : ${detail}`, fix };
}

/** PostgreSQL is backed up with its own tools, outside the bot: the check gives the command to schedule. */
function postgresBackupCheck(config: Config, now: Date): Check {
  const advice = pgDumpAdvice(config.DATABASE_URL, path.resolve(config.BACKUP_DIR), now).split("\n");
  return { label: "Sauvegardes", ok: true, detail: `base PostgreSQL, sauvegardée par pg_dump hors du bot (à planifier chaque nuit, par exemple avec cron) :${advice.slice(1).join("")}` };
}
