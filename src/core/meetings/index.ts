// Network meetings (issue #3): the public API for commands and jobs.
import type { Logger } from "../../logger.js";
import type { Clock } from "../clock.js";
import type { Services } from "../services.js";
import { MeetingService } from "./service.js";

export * from "./model.js";
export * from "./service.js";
export * from "./views.js";
export * from "./command-views.js";
export * from "./when.js";
export type { Counts, RosterEntry } from "./reading.js";
export type { PublishResult } from "./posts.js";
export type { SheetEntry } from "./attendance.js";
export type { ReminderPlan } from "./planning.js";
export { buildCalendar } from "./ics.js";
export { nextReminderAt } from "./reminders-ahead.js";

const instances = new WeakMap<Services, MeetingService>();

/**
 * The meetings service of a running bot. One per Services, shared by the command handlers and
 * the job handlers, so edits of a meeting's posts coalesce across both.
 */
export function meetingsOf(services: Services, clock: Clock, timeZone: string, log: Logger): MeetingService {
  let service = instances.get(services);
  if (!service) {
    service = new MeetingService({ db: services.db, clock, jobs: services.jobs, notifications: services.notifications, timeZone, log: log.child({ feature: "meetings" }) });
    instances.set(services, service);
  }
  return service;
}
