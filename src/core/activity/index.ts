// The monthly activity reports, as the app builds them: one ActivityService per bot, and the
// reminder on the 1st of each month.
import { defineFeature, handle } from "../feature.js";
import type { RecurringPayload } from "../../scheduler/index.js";
import { ACTIVITY_REMINDER_CRON, ACTIVITY_REMINDER_KIND, remindMissingReports } from "./jobs.js";
import { ActivityService } from "./service.js";

export const activityFeature = defineFeature({
  name: "activity",
  needs: [],
  create: ({ db, clock, timeZone }) => new ActivityService(db, clock, timeZone),
  jobs: (activity, { services, timeZone }) => ({
    // After the 10th the month can no longer be filed: a reminder would only frustrate.
    [ACTIVITY_REMINDER_KIND]: handle<RecurringPayload>((job, ctx) => remindMissingReports(activity, services, timeZone, job, ctx), { skipIfLateBy: 9 * 24 * 3600_000 }),
  }),
  start: async (_activity, { recurring, timeZone, clock }) => {
    await recurring.ensureNext(ACTIVITY_REMINDER_KIND, ACTIVITY_REMINDER_CRON, timeZone, clock.now());
  },
});
