// The daily backup at 03:00 (BOT_TIMEZONE), then the rotation; a failed backup, or one missing
// for more than a day and a half, is told once to the animator in « animation ».
import path from "node:path";
import { rmSync } from "node:fs";

import type { JobContext, RecurringPayload, RunningJob } from "../../scheduler/index.js";
import { backupDatabase, listBackups, planRotation } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import { formatDateTime } from "../dates.js";
import type { Reply } from "../reply.js";
import type { Services } from "../services.js";

export const BACKUP_KIND = "backup.daily";
export const BACKUP_CRON = "0 3 * * *";
export const MISSING_BACKUP_KIND = "backup.missing";

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [BACKUP_KIND]: RecurringPayload;
    [MISSING_BACKUP_KIND]: { last: string };
  }
}
/** A daily backup older than this is missing (a day, plus slack for a late or retried run). */
const BACKUP_MAX_AGE_MS = 36 * 3600_000;

/** The SQLite file and its backups' folder; PostgreSQL is backed up with its own tools (`npm run sauvegarde`). */
export interface Backups {
  dbFile: string;
  backupDir: string;
  services: Services;
  clock: Clock;
  timeZone: string;
}

export async function writeDailyBackup(b: Backups, ctx: JobContext): Promise<void> {
  try {
    const backup = await backupDatabase(b.dbFile, b.backupDir, b.clock.now());
    const { remove } = planRotation(listBackups(b.dbFile, b.backupDir), b.timeZone);
    for (const old of remove) rmSync(old.file, { force: true });
    ctx.log.info({ file: backup.file, bytes: backup.bytes, removed: remove.length }, "sauvegarde quotidienne écrite");
  } catch (err) {
    // deliverOnce: the job is retried, the animator is told once.
    await ctx.deliverOnce("animation", () => tellAnimator(b.services, ctx.log, {
      title: "Sauvegarde échouée",
      text: `La sauvegarde quotidienne de la base n'a pas pu être écrite dans ${b.backupDir} : ${err instanceof Error ? err.message : String(err)}.\n` +
        "Le bot réessaie ; vérifiez l'espace disque et les droits du dossier, puis `npm run diagnostic` sur le serveur.",
      tone: "warning",
    }));
    throw err;
  }
}

export async function tellMissingBackup(b: Backups, job: RunningJob<{ last: string }>, ctx: JobContext): Promise<void> {
  await ctx.deliverOnce("animation", () => tellAnimator(b.services, ctx.log, {
    title: "Sauvegarde manquante",
    text: `La dernière sauvegarde de la base date du ${formatDateTime(new Date(job.payload.last), b.timeZone)}. ` +
      "Vérifiez que le bot tourne la nuit et que le dossier des sauvegardes est accessible (`npm run diagnostic` sur le serveur), ou faites-en une : `npm run sauvegarde`.",
    tone: "warning",
  }));
}

/** At start-up: the daily schedule, and the missing-backup alert when the newest one is too old. */
export async function planBackups(b: Backups): Promise<void> {
  const jobs = b.services.jobs;
  const newest = listBackups(b.dbFile, b.backupDir)[0];
  // Keyed by the newest backup: the same gap is told once, across restarts too.
  if (newest && b.clock.now().getTime() - newest.at.getTime() > BACKUP_MAX_AGE_MS) {
    await jobs.schedule({ kind: MISSING_BACKUP_KIND, dueAt: b.clock.now(), payload: { last: newest.at.toISOString() }, dedupeKey: `${MISSING_BACKUP_KIND}@${path.basename(newest.file)}` });
  }
}

async function tellAnimator(services: Services, log: JobContext["log"], reply: Reply): Promise<void> {
  const { refs, failures } = await services.notifications.toChannel("animation", reply);
  if (refs.length === 0) log.warn({ failures, message: reply.text }, "alerte de sauvegarde non transmise (aucun salon « animation »)");
}
