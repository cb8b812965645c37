// The daily backup at 03:00 (BOT_TIMEZONE), then the rotation; a failed backup, or one missing
// for more than a day and a half, is told once to the animator in « animation ».
import path from "node:path";

import type { JobFeature, JobFeatureContext } from "../../jobs.js";
import type { RecurringPayload } from "../../scheduler/index.js";
import { backupDatabase, isPostgresUrl, listBackups, planRotation, sqliteFileFromUrl } from "../../store/index.js";
import { formatDateTime } from "../dates.js";
import type { Reply } from "../reply.js";
import { rmSync } from "node:fs";

export const BACKUP_KIND = "sauvegarde.quotidienne";
export const BACKUP_CRON = "0 3 * * *";
export const MISSING_BACKUP_KIND = "sauvegarde.manquante";
/** A daily backup older than this is missing (a day, plus slack for a late or retried run). */
export const BACKUP_MAX_AGE_MS = 36 * 3600_000;

export const backupJobs: JobFeature = {
  name: "sauvegardes",
  async register(ctx) {
    // PostgreSQL is backed up with its own tools (see `npm run sauvegarde`).
    if (isPostgresUrl(ctx.config.DATABASE_URL)) return;
    const dbFile = sqliteFileFromUrl(ctx.config.DATABASE_URL);
    const backupDir = path.resolve(ctx.config.BACKUP_DIR);
    registerDailyBackup(ctx, dbFile, backupDir);
    registerMissingAlert(ctx);
    await ctx.recurring.ensureNext(BACKUP_KIND, BACKUP_CRON, ctx.config.BOT_TIMEZONE, ctx.clock.now());
    const newest = listBackups(dbFile, backupDir)[0];
    // Keyed by the newest backup: the same gap is told once, across restarts too.
    if (newest && ctx.clock.now().getTime() - newest.at.getTime() > BACKUP_MAX_AGE_MS) {
      await ctx.services.jobs.schedule({ kind: MISSING_BACKUP_KIND, dueAt: ctx.clock.now(), payload: { last: newest.at.toISOString() }, dedupeKey: `${MISSING_BACKUP_KIND}@${path.basename(newest.file)}` });
    }
  },
};

function registerDailyBackup({ dispatcher, services, config, clock }: JobFeatureContext, dbFile: string, backupDir: string): void {
  dispatcher.register<RecurringPayload>(BACKUP_KIND, async (_job, ctx) => {
    try {
      const backup = await backupDatabase(dbFile, backupDir, clock.now());
      const { remove } = planRotation(listBackups(dbFile, backupDir), config.BOT_TIMEZONE);
      for (const old of remove) rmSync(old.file, { force: true });
      ctx.log.info({ file: backup.file, bytes: backup.bytes, removed: remove.length }, "sauvegarde quotidienne écrite");
    } catch (err) {
      // deliverOnce: the job is retried, the animator is told once.
      await ctx.deliverOnce("animation", () => tellAnimator(services, ctx.log, {
        title: "Sauvegarde échouée",
        text: `La sauvegarde quotidienne de la base n'a pas pu être écrite dans ${backupDir} : ${err instanceof Error ? err.message : String(err)}.\n` +
          "Le bot réessaie ; vérifiez l'espace disque et les droits du dossier, puis `npm run diagnostic` sur le serveur.",
        tone: "warning",
      }));
      throw err;
    }
  });
}

function registerMissingAlert({ dispatcher, services, config }: JobFeatureContext): void {
  dispatcher.register<{ last: string }>(MISSING_BACKUP_KIND, async (job, ctx) => {
    await ctx.deliverOnce("animation", () => tellAnimator(services, ctx.log, {
      title: "Sauvegarde manquante",
      text: `La dernière sauvegarde de la base date du ${formatDateTime(new Date(job.payload.last), config.BOT_TIMEZONE)}. ` +
        "Vérifiez que le bot tourne la nuit et que le dossier des sauvegardes est accessible (`npm run diagnostic` sur le serveur), ou faites-en une : `npm run sauvegarde`.",
      tone: "warning",
    }));
  });
}

async function tellAnimator(services: JobFeatureContext["services"], log: JobFeatureContext["log"], reply: Reply): Promise<void> {
  const { refs, failures } = await services.notifications.toChannel("animation", reply);
  if (refs.length === 0) log.warn({ failures, message: reply.text }, "alerte de sauvegarde non transmise (aucun salon « animation »)");
}
