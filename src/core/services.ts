import type { PrismaClient } from "../store/index.js";
import type { StoreChanges } from "../store/changes.js";
import type { Clock } from "../shared/clock.js";
import { DirectoryService } from "./directory.js";
import { MemberService } from "./members.js";
import { SettingsService } from "./settings.js";
import { Notifications } from "./notifier.js";
import { InboxService } from "./inbox.js";
import { PlatformEvents } from "./events.js";
import type { JobStore } from "../scheduler/index.js";
import type { Logger } from "../logger.js";
import type { SetupChecker } from "./setup-check.js";

/** The core, as handlers see it. No platform types cross this line. */
export interface Services {
  members: MemberService;
  directory: DirectoryService;
  settings: SettingsService;
  /** Private notifications waiting for their member (closed DMs), read with /messages. */
  inbox: InboxService;
  /** Outbound messages (DMs, channel posts, edits) through every connected platform. */
  notifications: Notifications;
  /** Joins and departures seen on the platforms (onboarding listens). */
  events: PlatformEvents;
  /** The installation check (`/config verifier`); set by the bot once it is wired, absent in bare test setups. */
  setupCheck?: SetupChecker;
  /** Durable jobs: a feature schedules its reminders here, in the same transaction as its rows. */
  jobs: JobStore;
  /** The public site's address (WEB_PUBLIC_URL), for the links the bot gives; undefined when the site is off. */
  siteUrl?: string;
}

export function createServices(db: PrismaClient, clock: Clock, changes: StoreChanges, deps: { jobs: JobStore; log: Logger; siteUrl?: string }): Services {
  const settings = new SettingsService(db, clock);
  const inbox = new InboxService(db, clock);
  return {
    members: new MemberService(db, clock, changes),
    directory: new DirectoryService(db, changes),
    settings,
    inbox,
    notifications: new Notifications(settings, inbox, deps.log),
    events: new PlatformEvents(deps.log),
    jobs: deps.jobs,
    siteUrl: deps.siteUrl,
  };
}
