/**
 * Polls, practice-analysis scheduling and the training survey, as the app builds them: one
 * instance per bot, shared by the commands and the job handlers — which matters for the live
 * renders, whose coalescing state lives in memory. A practice-analysis slot, once chosen,
 * becomes an « analyse de pratique » meeting through the meetings feature (practice-meetings.ts).
 */
import { defineFeature, type FeatureDeps } from "../feature.js";
import { meetingsFeature } from "../meetings/index.js";
import { PostedMessages } from "../publication.js";
import { AvailabilityService } from "./availability.js";
import { collectiveJobHandlers } from "./jobs.js";
import { LiveRenders } from "./live.js";
import { practiceMeetingsFromMeetings } from "./meetings-link.js";
import { PollService } from "./service.js";
import { TrainingSurveyService } from "./training.js";

export interface Collective {
  posted: PostedMessages;
  live: LiveRenders;
  polls: PollService;
  availability: AvailabilityService;
  training: TrainingSurveyService;
}

/** Build-time options (tests and the benchmark pass them through `startBot({ featureOptions: { polls } })`). */
interface CollectiveOptions {
  /** How long a live render waits to gather votes (default 500 ms). */
  liveWindowMs: number;
}

function createCollective({ db, services, clock, timeZone, log, stopping, options, needs }: FeatureDeps<[typeof meetingsFeature], CollectiveOptions>): Collective {
  const posted = new PostedMessages(db, () => clock.now());
  const live = new LiveRenders((key) => render(key), log, options.liveWindowMs ?? 500, stopping);
  const base = { db, services, clock, timeZone, log, posted, live };
  const polls = new PollService(base);
  // A chosen practice-analysis slot becomes a meeting through the meetings feature.
  const practice = practiceMeetingsFromMeetings(needs.meetings, services.members);
  const availability = new AvailabilityService({ ...base, meetings: () => practice });
  const training = new TrainingSurveyService(base);
  async function render(key: string): Promise<void> {
    const [subject, id] = key.split(":");
    const n = Number(id);
    if (subject === "poll") await polls.render(n);
    else if (subject === "availability") await availability.render(n);
    else if (subject === "survey") await training.render(n);
  }
  return { posted, live, polls, availability, training };
}

export const pollsFeature = defineFeature({
  name: "polls",
  needs: [meetingsFeature],
  create: createCollective,
  jobs: (collective) => collectiveJobHandlers(collective),
  start: async ({ polls, live }) => {
    // Votes cast just before the last stop may not have reached the posted messages yet.
    for (const pollId of await polls.stale()) live.request(`poll:${pollId}`);
  },
});
