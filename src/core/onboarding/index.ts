// The journey's part of the running bot: its job handlers and its join/leave listeners,
// registered through src/jobs.ts once the adapters are up.
import type { JobFeature } from "../feature.js";
import type { Logger } from "../../logger.js";
import type { Clock } from "../clock.js";
import type { Services } from "../services.js";
import { Arrivals } from "./arrivals.js";
import { onboardingContent } from "./content.js";
import { JourneyDelivery } from "./delivery.js";
import { OnboardingJobs } from "./jobs.js";
import { JOB_KINDS, JourneyPlanner, type MessagePayload, type NudgePayload } from "./planning.js";
import { Onboarding } from "./service.js";

/** The journey's parts, built from the core's services: rules, job handlers, arrivals. */
export function createOnboarding(deps: { services: Services; clock: Clock; timezone: string; log: Logger }) {
  const { services, clock, timezone, log } = deps;
  const journeys = new Onboarding({ services, clock, timezone, log });
  const delivery = new JourneyDelivery({ db: services.db, notifications: services.notifications, log });
  const jobs = new OnboardingJobs({ onboarding: journeys, delivery, planner: new JourneyPlanner(services.jobs, timezone), db: services.db, clock });
  return { journeys, jobs, arrivals: new Arrivals(journeys, services, log) };
}

export const onboardingFeature: JobFeature = {
  name: "onboarding",
  register({ dispatcher, services, config, clock, log }) {
    // Read now so a mistake in steps.fr.yaml stops the start-up with its French message,
    // rather than the first newcomer's welcome.
    onboardingContent();
    const { jobs, arrivals } = createOnboarding({ services, clock, timezone: config.BOT_TIMEZONE, log });
    dispatcher.register<MessagePayload>(JOB_KINDS.message, (job, ctx) => jobs.runMessage(job, ctx));
    dispatcher.register<NudgePayload>(JOB_KINDS.nudge, (job, ctx) => jobs.runNudge(job, ctx));
    // Not awaited by the platform's event: a journey's start (a profile lookup, a transaction)
    // must not hold up the other features' listeners. What it writes is durable once done, and
    // two arrivals of the same person racing are settled by the journey's unique member id.
    const later = (what: string, work: Promise<void>) => void work.catch((err: unknown) => log.error({ err }, `${what} : échec du parcours d'accueil`));
    services.events.on("joined", (event) => later("arrivée", arrivals.onJoined(event)));
    services.events.on("left", (event) => later("départ", arrivals.onLeft(event)));
  },
};
