import type { Config } from "./config.js";
import type { Clock } from "./core/clock.js";
import type { Services } from "./core/services.js";
import type { Logger } from "./logger.js";
import type { Dispatcher, RecurringSchedules } from "./scheduler/index.js";
import { watchJobs } from "./core/watch/jobs.js";
import { onboardingFeature } from "./core/onboarding/feature.js";
import { meetingJobs } from "./core/meetings/jobs.js";
import { collectiveJobs } from "./core/polls/jobs.js";
import { activityJobs } from "./core/activity/jobs.js";
import { backupJobs } from "./core/backups/jobs.js";
import { privacyJobs } from "./core/privacy/jobs.js";
import { jobFailureReports } from "./core/job-failures.js";

/**
 * A feature with durable jobs registers its handlers (and its recurring schedules) here, the
 * way commands/index.ts lists commands. startBot calls each once the adapters are connected
 * and before the scheduler's first tick, so jobs missed while the bot was down run at start-up.
 */
export interface JobFeatureContext {
  dispatcher: Dispatcher;
  recurring: RecurringSchedules;
  services: Services;
  config: Config;
  clock: Clock;
  log: Logger;
}

export interface JobFeature {
  name: string;
  register(ctx: JobFeatureContext): void | Promise<void>;
}

export const jobFeatures: readonly JobFeature[] = [watchJobs(), onboardingFeature, meetingJobs, collectiveJobs, activityJobs, backupJobs, privacyJobs, jobFailureReports];
