// The daily backups of a SQLite store, as the app builds them (nothing on PostgreSQL).
import path from "node:path";

import type { RecurringPayload } from "../../scheduler/index.js";
import { isPostgresUrl, sqliteFileFromUrl } from "../../store/index.js";
import { defineFeature, handle, type JobHandlers } from "../feature.js";
import { BACKUP_CRON, BACKUP_KIND, MISSING_BACKUP_KIND, planBackups, tellMissingBackup, writeDailyBackup, type Backups } from "./jobs.js";

export const backupsFeature = defineFeature({
  name: "backups",
  needs: [],
  /** null on PostgreSQL: it is backed up with its own tools (see `npm run sauvegarde`). */
  create: ({ config, services, clock, timeZone }): Backups | null =>
    isPostgresUrl(config.DATABASE_URL) ? null : { dbFile: sqliteFileFromUrl(config.DATABASE_URL), backupDir: path.resolve(config.BACKUP_DIR), services, clock, timeZone },
  jobs: (backups): JobHandlers =>
    backups
      ? {
          [BACKUP_KIND]: handle<RecurringPayload>((_job, ctx) => writeDailyBackup(backups, ctx)),
          [MISSING_BACKUP_KIND]: handle<{ last: string }>((job, ctx) => tellMissingBackup(backups, job, ctx)),
        }
      : {},
  start: async (backups, { recurring, timeZone, clock }) => {
    if (!backups) return;
    await recurring.ensureNext(BACKUP_KIND, BACKUP_CRON, timeZone, clock.now());
    await planBackups(backups);
  },
});
