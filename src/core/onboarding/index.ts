// The welcome journey of new Promeneurs, as the app builds it: its rules (journeys), its job
// handlers (the messages a change causes, the nudge chain) and its listeners of arrivals and
// departures. Built once; commands reach it as `ctx.features.onboarding`.
import type { Logger } from "../../logger.js";
import type { PrismaClient } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import { defineFeature, handle } from "../feature.js";
import { meetingsFeature, type MeetingService } from "../meetings/index.js";
import type { Services } from "../services.js";
import { Arrivals } from "./arrivals.js";
import { JourneyDelivery } from "./delivery.js";
import { OnboardingJobs } from "./jobs.js";
import { JOB_KINDS, JourneyPlanner, type MessagePayload, type NudgePayload } from "./planning.js";
import { Onboarding } from "./service.js";
import { welcomeMeetingsFor } from "./welcome-meeting.js";

interface OnboardingParts {
  db: PrismaClient;
  services: Services;
  clock: Clock;
  timeZone: string;
  log: Logger;
  /** The meetings feature: the journey's « rencontre » step offers its next welcome meeting. */
  meetings: MeetingService;
}

/** The journey's parts, built from the core's services and the meetings: rules, job handlers, arrivals. */
export function createOnboarding(deps: OnboardingParts) {
  const { db, services, clock, timeZone, log } = deps;
  // Reads steps.fr.yaml now: a mistake there stops the start-up with its French message,
  // rather than the first newcomer's welcome.
  const journeys = new Onboarding({ db, services, clock, timeZone, log, meetings: welcomeMeetingsFor(deps.meetings, timeZone) });
  const delivery = new JourneyDelivery({ db, notifications: services.notifications, log });
  const jobs = new OnboardingJobs({ onboarding: journeys, delivery, planner: new JourneyPlanner(services.jobs, timeZone), db, clock });
  return { journeys, jobs, arrivals: new Arrivals(journeys, db, services, log) };
}

export const onboardingFeature = defineFeature({
  name: "onboarding",
  needs: [meetingsFeature],
  create: ({ db, services, clock, timeZone, log, needs }) => createOnboarding({ db, services, clock, timeZone, log, meetings: needs.meetings }),
  jobs: ({ jobs }) => ({
    [JOB_KINDS.message]: handle<MessagePayload>((job, ctx) => jobs.runMessage(job, ctx)),
    [JOB_KINDS.nudge]: handle<NudgePayload>((job, ctx) => jobs.runNudge(job, ctx)),
  }),
  listeners: ({ arrivals }, { log }) => {
    // Not awaited by the platform's event: a journey's start (a profile lookup, a transaction)
    // must not hold up the other features' listeners. What it writes is durable once done, and
    // two arrivals of the same person racing are settled by the journey's unique member id.
    const later = (what: string, work: Promise<void>) => void work.catch((err: unknown) => log.error({ err }, `${what} : échec du parcours d'accueil`));
    return {
      joined: (event) => later("arrivée", arrivals.onJoined(event)),
      left: (event) => later("départ", arrivals.onLeft(event)),
    };
  },
});
