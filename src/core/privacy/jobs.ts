// The retention durations, applied every night at 03:30 (BOT_TIMEZONE) as a durable recurring
// job: a night missed while the bot was down is caught up at the next start.
import type { JobContext } from "../../scheduler/index.js";
import type { Privacy } from "./privacy.js";

export async function applyRetentionJob(privacy: Privacy, ctx: JobContext): Promise<void> {
  const outcome = await privacy.applyRetention();
  if (outcome.skipped.length) ctx.log.warn({ skipped: outcome.skipped.map((s) => s.memberId) }, "conservation : membres non effacés (dernier administrateur)");
  ctx.log.info({ ...outcome, skipped: outcome.skipped.length }, "durées de conservation appliquées");
}
