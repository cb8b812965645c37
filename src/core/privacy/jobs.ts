// The retention durations, applied every night at 03:30 (BOT_TIMEZONE) as a durable recurring
// job: a night missed while the bot was down is caught up at the next start.
import type { JobFeature } from "../../jobs.js";
import { applyRetention, RETENTION_CRON, RETENTION_KIND } from "./retention.js";

export const privacyJobs: JobFeature = {
  name: "confidentialite",
  async register({ dispatcher, recurring, services, config, clock }) {
    dispatcher.register(RETENTION_KIND, async (_job, ctx) => {
      const outcome = await applyRetention(services.db, clock);
      if (outcome.skipped.length) ctx.log.warn({ skipped: outcome.skipped.map((s) => s.memberId) }, "conservation : membres non effacés (dernier administrateur)");
      ctx.log.info({ ...outcome, skipped: outcome.skipped.length }, "durées de conservation appliquées");
    });
    await recurring.ensureNext(RETENTION_KIND, RETENTION_CRON, config.BOT_TIMEZONE, clock.now());
  },
};
