// The monthly reminder: on the 1st at 09:00 (BOT_TIMEZONE), each active Promeneur who has not
// filed the month before gets one private message. Each message goes through deliverOnce, keyed
// by member, so a retried or restarted job never sends it twice.
import type { JobFeature } from "../../jobs.js";
import type { RecurringPayload } from "../../scheduler/index.js";
import { ActivityService, lastMonth, monthLabel, EDIT_DAY_LIMIT } from "./service.js";

export const ACTIVITY_REMINDER_KIND = "activite.rappel";
export const ACTIVITY_REMINDER_CRON = "0 9 1 * *";

export const activityJobs: JobFeature = {
  name: "activite",
  async register({ dispatcher, recurring, services, config, clock }) {
    const tz = config.BOT_TIMEZONE;
    const activity = new ActivityService(services.db, clock, tz);
    dispatcher.register<RecurringPayload>(
      ACTIVITY_REMINDER_KIND,
      async (job, ctx) => {
        // The month before the occurrence, not before "now": a late run still reminds the right month.
        const month = lastMonth(new Date(job.payload.occurrence), tz);
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
      },
      // After the 10th the month can no longer be filed: a reminder would only frustrate.
      { skipIfLateBy: 9 * 24 * 3600_000 },
    );
    await recurring.ensureNext(ACTIVITY_REMINDER_KIND, ACTIVITY_REMINDER_CRON, tz, clock.now());
  },
};
