// The journey's part of the running bot: its job handlers and its join/leave listeners,
// registered through src/jobs.ts once the adapters are up.
import type { JobFeature } from "../feature.js";
import { onboardingContent } from "./content.js";
import { JOB_KINDS, Onboarding, type MessagePayload, type NudgePayload } from "./service.js";

export const onboardingFeature: JobFeature = {
  name: "onboarding",
  register({ dispatcher, services, config, clock, log }) {
    // Read now so a mistake in steps.fr.yaml stops the start-up with its French message,
    // rather than the first newcomer's welcome.
    onboardingContent();
    const onboarding = new Onboarding({ services, clock, timezone: config.BOT_TIMEZONE, log });
    dispatcher.register<MessagePayload>(JOB_KINDS.message, (job, ctx) => onboarding.runMessage(job, ctx));
    dispatcher.register<NudgePayload>(JOB_KINDS.nudge, (job, ctx) => onboarding.runNudge(job, ctx));
    // Not awaited by the platform's event: a journey's start (a profile lookup, a transaction)
    // must not hold up the other features' listeners. What it writes is durable once done, and
    // two arrivals of the same person racing are settled by the journey's unique member id.
    const later = (what: string, work: Promise<void>) => void work.catch((err: unknown) => log.error({ err }, `${what} : échec du parcours d'accueil`));
    services.events.on("joined", (event) => later("arrivée", onboarding.onJoined(event)));
    services.events.on("left", (event) => later("départ", onboarding.onLeft(event)));
  },
};
