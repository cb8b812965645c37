// Every feature of the bot, the way commands/index.ts lists the commands. The app builds them
// once, dependencies first, and commands reach them typed as `ctx.features.<name>`.
import { activityFeature } from "./core/activity/index.js";
import { backupsFeature } from "./core/backups/index.js";
import { reportingFeature } from "./core/reporting/index.js";
import { type FeatureOptionsOf, type FeaturesOf } from "./core/feature.js";
import { jobFailuresFeature } from "./core/job-failures/index.js";
import { announcementsFeature } from "./core/announcements/index.js";
import { meetingsFeature } from "./core/meetings/index.js";
import { onboardingFeature } from "./core/onboarding/index.js";
import { pollsFeature } from "./core/polls/index.js";
import { privacyFeature } from "./core/privacy/index.js";
import { questionsFeature } from "./core/questions/index.js";
import { watchFeature } from "./core/watch/index.js";

export const FEATURES = [
  watchFeature,
  onboardingFeature,
  meetingsFeature,
  pollsFeature,
  announcementsFeature,
  activityFeature,
  questionsFeature,
  backupsFeature,
  privacyFeature,
  jobFailuresFeature,
  reportingFeature,
] as const;

/** The built features, as commands and job handlers see them. */
export type Features = FeaturesOf<typeof FEATURES>;

/** Build-time options per feature (tests and the benchmark pass them to startBot). */
export type FeatureOptions = FeatureOptionsOf<typeof FEATURES>;
