/**
 * Upgrading a bot whose database still holds jobs of the old French kinds (`activite.rappel`,
 * `onboarding.relance`, `sauvegarde.*`, `confidentialite.conservation`): the migration
 * rename_job_kinds gives them their `<feature>.<what>` names, dedupe keys included, so that after
 * the upgrade the same rows run under the new handlers and no recurring occurrence is planned twice;
 * then recurring_payload_time_zone spells the zone of their payloads `timeZone` (it was `tz`), so
 * that the start-up finds each pending occurrence planned by the same schedule and leaves it alone;
 * and rename_audit_actions gives the watch's audit rows (`veille.*`) their `watch.*` names.
 * On SQLite and on PostgreSQL (the "postgresql" project of vitest.config.ts).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { activityFeature } from "../../src/core/activity/index.js";
import { backupsFeature } from "../../src/core/backups/index.js";
import { onboardingFeature } from "../../src/core/onboarding/index.js";
import { privacyFeature } from "../../src/core/privacy/index.js";
import { applyMigrations } from "../../src/store/migrate.js";
import { MIGRATIONS_DIR } from "../../src/store/paths.js";
import { PROVIDER_FILES } from "../../src/store/providers.js";
import { openStore } from "../../src/store/index.js";
import { ManualClock } from "../helpers/clock.js";
import { memoryLogger } from "../helpers/bot.js";
import { emptyPostgresUrl, postgresUnavailable } from "../store/postgres-fixture.js";

const MIGRATION = "rename_job_kinds";
const onPostgres = process.env["PROMENEURS_TEST_STORE"] === "postgresql";
const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-kinds-"));
let bot: Bot | undefined;
afterEach(async () => bot?.stop());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A database migrated up to the migration before rename_job_kinds (later ones left out too), on this project's provider. */
async function databaseBeforeRenaming(): Promise<string> {
  const migrations = onPostgres ? PROVIDER_FILES.postgresql.migrationsDir : MIGRATIONS_DIR;
  const renaming = readdirSync(migrations).find((name) => name.endsWith(`_${MIGRATION}`))!;
  const before = mkdtempSync(path.join(tmp, "migrations-"));
  cpSync(migrations, before, { recursive: true, filter: (source) => path.relative(migrations, source).split(path.sep)[0]! < renaming });
  const url = onPostgres ? await emptyPostgresUrl() : `file:${path.join(tmp, "promeneurs.db")}`;
  await applyMigrations(url, () => {}, { migrationsDir: before });
  return url;
}

const PARIS = "Europe/Paris";
const at = (iso: string) => new Date(iso);
const recurring = (cron: string, occurrence: string) => JSON.stringify({ cron, tz: PARIS, occurrence });

/** Rows an older bot left, as it wrote them: kind, payload and dedupe key of the old names. */
const OLD_JOBS = [
  { kind: "activite.rappel", state: "done", dueAt: "2026-03-01T08:00:00.000Z", payload: recurring("0 9 1 * *", "2026-03-01T08:00:00.000Z"), dedupeKey: "activite.rappel@2026-03-01T08:00Z" },
  { kind: "activite.rappel", state: "pending", dueAt: "2026-04-01T07:00:00.000Z", payload: recurring("0 9 1 * *", "2026-04-01T07:00:00.000Z"), dedupeKey: "activite.rappel@2026-04-01T07:00Z" },
  { kind: "confidentialite.conservation", state: "pending", dueAt: "2026-04-01T01:30:00.000Z", payload: recurring("30 3 * * *", "2026-04-01T01:30:00.000Z"), dedupeKey: "confidentialite.conservation@2026-04-01T01:30Z" },
  { kind: "sauvegarde.quotidienne", state: "pending", dueAt: "2026-04-01T01:00:00.000Z", payload: recurring("0 3 * * *", "2026-04-01T01:00:00.000Z"), dedupeKey: "sauvegarde.quotidienne@2026-04-01T01:00Z" },
  { kind: "sauvegarde.manquante", state: "pending", dueAt: "2026-03-31T19:00:00.000Z", payload: JSON.stringify({ last: "2026-03-28T01:00:00.000Z" }), dedupeKey: "sauvegarde.manquante@promeneurs-2026-03-28.db" },
  { kind: "onboarding.relance", state: "pending", dueAt: "2026-03-31T19:00:00.000Z", payload: JSON.stringify({ journeyId: 999, sequence: 1, index: 0 }), dedupeKey: "onboarding:999:1:relance:0" },
];

/** The watch's audit actions an older bot wrote, and their names after the upgrade. */
const OLD_AUDIT_ACTIONS = { "veille.horaire": "watch.schedule", "veille.source.ajout": "watch.source.add", "veille.source.retrait": "watch.source.remove" };

async function writeOldJobs(url: string): Promise<number[]> {
  const store = await openStore(url, undefined, { migrate: false });
  try {
    const ids: number[] = [];
    for (const job of OLD_JOBS) {
      const now = at("2026-03-01T08:00:00Z");
      const row = await store.prisma.job.create({ data: { ...job, dueAt: at(job.dueAt), createdAt: now, updatedAt: now } });
      ids.push(row.id);
    }
    for (const action of Object.keys(OLD_AUDIT_ACTIONS)) await store.prisma.auditLog.create({ data: { action, targetType: "watchSource", targetId: "1" } });
    return ids;
  } finally {
    await store.close();
  }
}

describe.skipIf(onPostgres && postgresUnavailable !== null)(`the upgrade to ${MIGRATION} (${onPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  it("renames the old kinds and their dedupe keys (and the zone of recurring payloads), and the same rows then run under the new handlers, planned once", { timeout: 60_000 }, async () => {
    const url = await databaseBeforeRenaming();
    const ids = await writeOldJobs(url);
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: "debug", WEB_PORT: "off", BOT_TIMEZONE: PARIS, BACKUP_DIR: path.join(tmp, "sauvegardes") }, "");
    const clock = new ManualClock("2026-03-31T20:00:00Z");
    const features = [activityFeature, privacyFeature, backupsFeature, onboardingFeature];
    bot = await startBot({ config, log: memoryLogger().log, clock, input: new PassThrough(), output: new PassThrough(), scheduler: { timer: false }, features });
    const jobs = bot.store.prisma.job;

    const renamed = await jobs.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    expect(renamed.map((job) => [job.kind, job.dedupeKey])).toEqual([
      ["activity.reminder", "activity.reminder@2026-03-01T08:00Z"],
      ["activity.reminder", "activity.reminder@2026-04-01T07:00Z"],
      ["privacy.retention", "privacy.retention@2026-04-01T01:30Z"],
      ["backup.daily", "backup.daily@2026-04-01T01:00Z"],
      ["backup.missing", "backup.missing@promeneurs-2026-03-28.db"],
      ["onboarding.followup", "onboarding:999:1:relance:0"],
    ]);
    // Starting ensured each recurring schedule's next occurrence: it found the renamed row.
    const pendingOccurrences = await jobs.findMany({ where: { kind: { in: ["activity.reminder", "privacy.retention", "backup.daily"] }, state: "pending" }, orderBy: { id: "asc" } });
    expect(pendingOccurrences.map((job) => job.id)).toEqual([ids[1], ids[2], ids[3]]);
    // Left as they were written (not cancelled as another schedule's, then revived), their zone renamed.
    expect(pendingOccurrences.map((job) => [job.updatedAt.toISOString(), Object.keys(JSON.parse(job.payload) as object)])).toEqual(
      pendingOccurrences.map(() => ["2026-03-01T08:00:00.000Z", ["cron", "timeZone", "occurrence"]]),
    );

    clock.set("2026-04-01T07:00:00Z");
    while ((await bot.scheduler.tick()).claimed > 0);
    const after = await jobs.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    // PostgreSQL is backed up by pg_dump, not by the bot: there the backup kinds have no handler.
    const backupState = onPostgres ? "pending" : "done";
    expect(after.map((job) => [job.kind, job.state])).toEqual([
      ["activity.reminder", "done"],
      ["activity.reminder", "done"],
      ["privacy.retention", "done"],
      ["backup.daily", backupState],
      ["backup.missing", backupState],
      ["onboarding.followup", "done"],
    ]);
    expect(await jobs.count({ where: { kind: { in: OLD_JOBS.map((job) => job.kind) } } })).toBe(0);
    const audit = await bot.store.prisma.auditLog.findMany({ where: { targetType: "watchSource" }, orderBy: { id: "asc" } });
    expect(audit.map((row) => row.action)).toEqual(Object.values(OLD_AUDIT_ACTIONS));
  });
});
