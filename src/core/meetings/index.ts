// Network meetings (issue #3): the feature as the app builds it, and the public API for commands
// and the other features.
import type { Logger } from "../../logger.js";
import type { Clock } from "../../shared/clock.js";
import { defineFeature } from "../feature.js";
import type { Services } from "../services.js";
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
  create: ({ db, clock, jobs, services, timeZone, log }) => {
    const meetings = new MeetingService({ db, clock, jobs, notifications: services.notifications, timeZone, log });
    legacy.set(services, meetings);
    return meetings;
  },
  jobs: (meetings) => meetingJobHandlers(meetings),
});

const legacy = new WeakMap<Services, MeetingService>();

/**
 * Transitional, for onboarding's welcome meeting only (src/core/onboarding/welcome-meeting.ts)
 * until onboarding is a feature description with `needs: [meetingsFeature]`: the instance the
 * app built, or one made on the spot where no app built it. Delete with that last caller.
 */
export function meetingsOf(services: Services, clock: Clock, timeZone: string, log: Logger): MeetingService {
  let service = legacy.get(services);
  if (!service) {
    service = new MeetingService({ db: services.db, clock, jobs: services.jobs, notifications: services.notifications, timeZone, log: log.child({ feature: "meetings" }) });
    legacy.set(services, service);
  }
  return service;
}
