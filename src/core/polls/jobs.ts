/**
 * Durable jobs of polls, practice-analysis scheduling and the training survey. Each handler is
 * idempotent: closings are conditional updates, result posts are claimed before they are made
 * and go through deliverOnce, as private messages do.
 */
import { handle, type JobHandlers } from "../feature.js";
import type { JobContext } from "../../scheduler/index.js";
import { audienceMembers, type Audience } from "../audiences.js";
import { AVAILABILITY_JOBS, type AvailabilityService } from "./availability.js";
import { OUTCOME_JOB, type OutcomePayload } from "./availability-outcome.js";
import { POLL_JOBS, type PollPayload } from "./planning.js";
import type { PollService } from "./service.js";
import { reminderRecipient, voterKey } from "./voter-key.js";
import { SURVEY_JOBS, type TrainingSurveyService } from "./training.js";
import { pollReminder } from "./views.js";

/** The handlers of the polls' job kinds, for the feature description (./index.ts). */
export function collectiveJobHandlers(c: { polls: PollService; availability: AvailabilityService; training: TrainingSurveyService }): JobHandlers {
  return {
    [POLL_JOBS.close]: handle<PollPayload>((job, ctx) => closeDue(c.polls, job.payload.pollId, ctx)),
    // A reminder that could not go out before closing has no use any more.
    [POLL_JOBS.remind]: handle<PollPayload>((job, ctx) => remindNonVoters(c.polls, job.payload.pollId, ctx), { skipIfLateBy: 20 * 3600_000 }),
    [AVAILABILITY_JOBS.close]: handle<{ pollId: number }>((job) => c.availability.closeDue(job.payload.pollId)),
    [OUTCOME_JOB]: handle<OutcomePayload>((job, ctx) => c.availability.tellOutcome(job.payload, ctx)),
    [SURVEY_JOBS.close]: handle<{ surveyId: number }>((job) => c.training.closeDue(job.payload.surveyId)),
  };
}

/** The closing job: closes (if still open) and posts the result (if not yet posted). */
async function closeDue(polls: PollService, pollId: number, ctx: Pick<JobContext, "deliverOnce">): Promise<void> {
  const poll = await polls.find(pollId);
  if (!poll) return;
  if (poll.state === "open") await polls.close(poll, null);
  // A run killed between claiming the result and posting it left the delivery `sending`: the
  // next run posts it under the same delivery key (no duplicate if the first post had left).
  await ctx.deliverOnce("resultat", (attempt) => polls.publishResult(poll.id, attempt.resumedSince !== undefined));
}

/**
 * The reminder job: a private message, with the vote buttons, to each member of the public
 * who has not voted yet. Whether someone voted is known only through their HMAC key; for an
 * anonymous poll the delivery record is keyed by another HMAC, so not even the job's
 * bookkeeping lists who had not voted.
 */
async function remindNonVoters(polls: PollService, pollId: number, ctx: JobContext): Promise<void> {
  const { db, services, timeZone } = polls.deps;
  const poll = await polls.find(pollId);
  if (!poll || poll.state !== "open" || !poll.voterSalt || poll.closesAt.getTime() <= ctx.now.getTime()) return;
  const salt = poll.voterSalt;
  const voted = new Set((await db.vote.findMany({ where: { pollId }, select: { voterKey: true }, distinct: ["voterKey"] })).map((v) => v.voterKey));
  const connected = new Set(services.notifications.platforms.map((p) => p.toUpperCase()));
  const members = (await audienceMembers(db, poll.audience as Audience)).filter((m) => m.accounts.some((a) => connected.has(a.platform)));
  const reply = pollReminder(poll, timeZone);
  let sent = 0;
  for (const member of members) {
    if (ctx.signal.aborted) throw new Error("arrêt du bot pendant les rappels (reprise au prochain démarrage)");
    if (voted.has(voterKey(salt, member.id))) continue;
    const outcome = await ctx.deliverOnce(reminderRecipient({ anonymous: poll.anonymous, voterSalt: salt }, member.id), async () => {
      // Being reminded says « has not voted »: for an anonymous poll nothing but the DM itself may say it.
      const sensitivity = poll.anonymous ? "secret" : "private";
      const result = await services.notifications.toMember(member, reply, { sensitivity, inboxKey: `sondage:${poll.id}:rappel` });
      if (result.refs.length === 0 && !result.inbox) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ") || "aucun compte joignable");
    });
    if (outcome === "sent") sent++;
  }
  ctx.log.info({ pollId, sent }, "rappel du sondage envoyé aux membres qui n'ont pas voté");
}
