/**
 * Durable jobs of announcements, polls, practice-analysis scheduling and the training survey,
 * registered through src/jobs.ts. Each handler is idempotent: closings are conditional updates,
 * result posts are claimed before they are made and go through deliverOnce, as private messages do.
 */
import type { JobFeature } from "../feature.js";
import { ANNOUNCEMENT_JOBS } from "../announcements/announcements.js";
import { AVAILABILITY_JOBS } from "./availability.js";
import { OUTCOME_JOB, type OutcomePayload } from "./availability-outcome.js";
import { collective, connectPracticeMeetings, setStoppingCheck } from "./index.js";
import { practiceMeetingsFromMeetings } from "./meetings-link.js";
import { POLL_JOBS } from "./polls.js";
import { SURVEY_JOBS } from "./training.js";

export const collectiveJobs: JobFeature = {
  name: "collectif",
  async register({ dispatcher, services, config, clock, log }) {
    const c = collective(services, { clock, timezone: config.BOT_TIMEZONE, log });
    setStoppingCheck(services, () => dispatcher.stopping);
    // A chosen practice-analysis slot becomes a meeting through the meetings feature.
    connectPracticeMeetings(services, practiceMeetingsFromMeetings(services, clock, config.BOT_TIMEZONE, log));
    dispatcher.register<{ pollId: number }>(POLL_JOBS.close, (job, ctx) => c.polls.closeDue(job.payload.pollId, ctx));
    // A reminder that could not go out before closing has no use any more.
    dispatcher.register<{ pollId: number }>(POLL_JOBS.remind, (job, ctx) => c.polls.remindNonVoters(job.payload.pollId, ctx), { skipIfLateBy: 20 * 3600_000 });
    dispatcher.register<{ announcementId: number }>(ANNOUNCEMENT_JOBS.copies, (job, ctx) => c.announcements.sendCopies(job.payload.announcementId, ctx));
    dispatcher.register<{ pollId: number }>(AVAILABILITY_JOBS.close, (job) => c.availability.closeDue(job.payload.pollId));
    dispatcher.register<OutcomePayload>(OUTCOME_JOB, (job, ctx) => c.availability.tellOutcome(job.payload, ctx));
    dispatcher.register<{ surveyId: number }>(SURVEY_JOBS.close, (job) => c.training.closeDue(job.payload.surveyId));
    // Votes cast just before the last stop may not have reached the posted messages yet.
    for (const pollId of await c.polls.stale()) c.live.request(`poll:${pollId}`);
  },
};
