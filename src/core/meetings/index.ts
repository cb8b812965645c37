// Network meetings (issue #3): the feature as the app builds it, and the public API for commands
// and the other features.
import { defineFeature } from "../feature.js";
import { meetingJobHandlers } from "./jobs.js";
import { MeetingService } from "./service.js";

export * from "./model.js";
export * from "./service.js";
export * from "./views.js";
export * from "./command-views.js";
export * from "./when.js";
export { buildCalendar } from "./ics.js";

/**
 * One MeetingService per bot, shared by /rencontre, the job handlers and the features that need
 * it (polls, onboarding), so edits of a meeting's posts coalesce across all of them.
 */
export const meetingsFeature = defineFeature({
  name: "meetings",
  needs: [],
  create: ({ db, clock, jobs, services, timeZone, log }) => new MeetingService({ db, clock, jobs, notifications: services.notifications, timeZone, log }),
  jobs: (meetings) => meetingJobHandlers(meetings),
});
