// The monthly reminder: on the 1st at 09:00 (BOT_TIMEZONE), each active Promeneur who has not
// filed the month before gets one private message. Each message goes through deliverOnce, keyed
// by member, so a retried or restarted job never sends it twice.
import type { JobContext, RecurringPayload, RunningJob } from "../../scheduler/index.js";
import type { Services } from "../services.js";
import { lastMonth, monthLabel, EDIT_DAY_LIMIT, type ActivityService } from "./service.js";

export const ACTIVITY_REMINDER_KIND = "activity.reminder";

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [ACTIVITY_REMINDER_KIND]: RecurringPayload;
  }
}
export const ACTIVITY_REMINDER_CRON = "0 9 1 * *";

export async function remindMissingReports(activity: ActivityService, services: Services, timeZone: string, job: RunningJob<RecurringPayload>, ctx: JobContext): Promise<void> {
  // The month before the occurrence, not before "now": a late run still reminds the right month.
  const month = lastMonth(new Date(job.payload.occurrence), timeZone);
  const ids = await activity.missing(month);
  let sent = 0;
  for (const id of ids) {
    const member = await services.members.get(id);
    if (!member) continue;
    const outcome = await ctx.deliverOnce(`member:${id}`, async () => {
      const result = await services.notifications.toMember(member, {
        title: `Votre bilan d'activité de ${monthLabel(month)}`,
        text:
          `Bonjour ${member.firstName}, votre bilan de ${monthLabel(month)} n'est pas encore rempli : ` +
          `\`/activite declarer mois:${month} heures:…\` (modifiable jusqu'au ${EDIT_DAY_LIMIT} du mois).`,
        tone: "info",
      });
      if (result.refs.length === 0 && result.failures.some((f) => f.cause !== undefined)) throw new Error(result.failures.map((f) => f.error).join(" ; "));
    });
    if (outcome === "sent") sent++;
  }
  ctx.log.info({ month, missing: ids.length, sent }, "rappel des bilans d'activité envoyé");
}
