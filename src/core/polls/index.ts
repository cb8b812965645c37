/**
 * The services of announcements, polls, practice-analysis scheduling and the training survey,
 * built once per bot from its core Services. Commands and job handlers both reach them through
 * `collective(services, …)`, so they share one instance — which matters for the live renders,
 * whose coalescing state lives in memory.
 */
import type { Logger } from "../../logger.js";
import { AnnouncementService } from "../announcements/index.js";
import type { Clock } from "../clock.js";
import type { Services } from "../services.js";
import { AvailabilityService } from "./availability.js";
import { PostedMessages } from "../publication.js";
import { LiveRenders } from "./live.js";
import { PollService } from "./service.js";
import type { PracticeMeetings } from "./practice-meetings.js";
import { TrainingSurveyService } from "./training.js";

export interface Collective {
  posted: PostedMessages;
  live: LiveRenders;
  polls: PollService;
  availability: AvailabilityService;
  training: TrainingSurveyService;
  announcements: AnnouncementService;
}

interface CollectiveDeps {
  clock: Clock;
  timezone: string;
  log: Logger;
}

const built = new WeakMap<Services, Collective>();
const meetingPorts = new WeakMap<Services, PracticeMeetings>();
const stoppingChecks = new WeakMap<Services, () => boolean>();

/** Options tests and the benchmark may set before the first use (e.g. a shorter render window). */
export const collectiveTuning = { liveWindowMs: 500 };

export function collective(services: Services, deps: CollectiveDeps): Collective {
  let c = built.get(services);
  if (c) return c;
  const log = deps.log.child({ feature: "collectif" });
  const posted = new PostedMessages(services.db, () => deps.clock.now());
  const live = new LiveRenders(
    (key) => render(key),
    log,
    collectiveTuning.liveWindowMs,
    () => stoppingChecks.get(services)?.() ?? false,
  );
  const base = { db: services.db, services, clock: deps.clock, timezone: deps.timezone, log, posted, live };
  const polls = new PollService(base);
  const availability = new AvailabilityService({ ...base, meetings: () => meetingPorts.get(services) });
  const training = new TrainingSurveyService(base);
  const announcements = new AnnouncementService(base);
  c = { posted, live, polls, availability, training, announcements };
  built.set(services, c);
  async function render(key: string): Promise<void> {
    const [subject, id] = key.split(":");
    const n = Number(id);
    if (subject === "poll") await polls.render(n);
    else if (subject === "availability") await availability.render(n);
    else if (subject === "survey") await training.render(n);
  }
  return c;
}

/**
 * Connects the meetings feature: from then on a chosen practice-analysis slot becomes a meeting
 * with its reminders. Until it is called, the slot is announced and the animator is told the
 * meeting was not created.
 */
export function connectPracticeMeetings(services: Services, port: PracticeMeetings): void {
  meetingPorts.set(services, port);
}

/** Tells pending live renders to stand down once the bot is stopping (the store is about to close). */
export function setStoppingCheck(services: Services, check: () => boolean): void {
  stoppingChecks.set(services, check);
}
