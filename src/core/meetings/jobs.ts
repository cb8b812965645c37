/**
 * The meetings' durable jobs: reminders, notices (change, cancellation, seat from the waiting
 * list), a post retried after an outage, and the end of a meeting. Each re-reads the meeting when
 * it runs, so a job made stale by a change or a cancellation does nothing.
 */
import { handle, type JobHandlers } from "../feature.js";
import { AlreadyReported, type JobContext, type RunningJob } from "../../scheduler/index.js";
import { plural } from "../../shared/plural.js";
import { platformLabel } from "../../platforms/catalog.js";
import { fanOut, type Recipient, type RecipientOutcome } from "./delivery.js";
import { inNetwork, type Answer, type MeetingRecord } from "./model.js";
import { JOB_KINDS, reminderKey, storedOffsets, type MeetingPayload, type NoticePayload, type ReminderPayload } from "./planning.js";
import type { MeetingService } from "./service.js";
import { animatorReport, meetingName, noticeName, noticeReply, reminderReply } from "./views.js";


/** The handlers of the meetings' job kinds, for the feature description (./index.ts). */
export function meetingJobHandlers(meetings: MeetingService): JobHandlers {
  return {
    [JOB_KINDS.reminder]: handle<ReminderPayload>((job, ctx) => remind(meetings, job, ctx)),
    [JOB_KINDS.notice]: handle<NoticePayload>((job, ctx) => notify(meetings, job, ctx)),
    [JOB_KINDS.publish]: handle<MeetingPayload>((job, ctx) => republish(meetings, job, ctx)),
    [JOB_KINDS.ended]: handle<MeetingPayload>((job, ctx) => ended(meetings, job, ctx)),
  };
}

/**
 * A reminder: by private message to those who said « Je viens » or « Peut-être »; the first one
 * that runs also invites the meeting's public who have not answered. Missed while the bot was
 * down, it is sent once if the meeting has not started (and only the latest of several missed
 * ones), and skipped with a log line if it has.
 */
async function remind(meetings: MeetingService, job: RunningJob<ReminderPayload>, ctx: JobContext): Promise<void> {
  const { meetingId, sequence, offset } = job.payload;
  const log = ctx.log.child({ meetingId, offset });
  const meeting = await meetings.get(meetingId);
  if (!meeting || meeting.status !== "scheduled" || meeting.sequence !== sequence) {
    log.info("rappel sans objet : la rencontre a été annulée ou modifiée depuis");
    return;
  }
  if (ctx.now >= meeting.startsAt) {
    log.info({ lateBy: ctx.lateBy }, "rappel ignoré : la rencontre a déjà commencé (bot arrêté à l'heure du rappel)");
    // Retried after an outage until the start: whoever it never reached is named to the animator.
    const failed = await meetings.deps.db.delivery.findMany({ where: { jobId: job.id, state: "failed" } });
    const names = [...(await meetings.membersById(failed.map((d) => Number(/^m(\d+):/.exec(d.recipient)?.[1])).filter(Boolean))).values()].map((m) => m.displayName);
    if (names.length > 0) await report(meetings, meeting, ctx, `Le rappel « ${offset} » de « ${meetingName(meeting)} » n'a pas pu joindre avant le début : ${[...new Set(names)].join(", ")}.`);
    return;
  }
  // Two reminders missed during downtime both fall due at restart: only the one nearest the meeting
  // goes out. The later reminders' keys are known, so this reads them by the unique index.
  const offsets = storedOffsets(meeting);
  const mine = offsets.find((o) => o.label === offset);
  const later = offsets.filter((o) => mine && o.minutes < mine.minutes).map((o) => reminderKey(meetingId, sequence, o.label));
  const newer =
    later.length === 0
      ? 0
      : await meetings.deps.db.job.count({
          where: { dedupeKey: { in: later }, dueAt: { gt: job.dueAt, lte: ctx.now }, state: { in: ["pending", "running", "done"] } },
        });
  if (newer > 0) {
    log.info({ lateBy: ctx.lateBy }, "rappel ignoré : un rappel plus proche de la rencontre est dû aussi (bot arrêté entre-temps)");
    return;
  }
  const roster = await meetings.roster(meetingId);
  const recipients: Recipient[] = roster
    .filter((r) => (r.rsvp.answer === "yes" || r.rsvp.answer === "maybe") && inNetwork(r.member))
    .map((r) => ({ member: r.member, reply: reminderReply(meeting, r.rsvp.answer as Answer, ctx.now, meetings.timeZone) }));
  const inviting = meeting.invitedAt === null;
  if (inviting) {
    const answered = new Set(roster.map((r) => r.member.id));
    for (const member of await meetings.audienceOf(meeting)) {
      // The animator who created it knows about it: no invitation to their own meeting.
      if (!answered.has(member.id) && member.id !== meeting.createdById) recipients.push({ member, reply: reminderReply(meeting, undefined, ctx.now, meetings.timeZone) });
    }
  }
  const outcomes = await fanOut(ctx, meetings.deps.notifications, recipients);
  await settle(meetings, meeting, job, ctx, outcomes, `Le rappel « ${offset} » de « ${meetingName(meeting)} »`);
  if (inviting) await meetings.deps.db.meeting.updateMany({ where: { id: meetingId, invitedAt: null }, data: { invitedAt: ctx.now } });
  log.info({ sent: outcomes.filter((o) => o.outcome === "sent").length, recipients: recipients.length }, "rappel envoyé");
}

/** Tells members that the meeting changed, was cancelled, or that a seat freed up for them. */
async function notify(meetings: MeetingService, job: RunningJob<NoticePayload>, ctx: JobContext): Promise<void> {
  const { meetingId, notice, memberIds, lines } = job.payload;
  const meeting = await meetings.get(meetingId);
  if (!meeting) return;
  const open = meeting.status === "scheduled" && ctx.now < meeting.startsAt;
  if (notice !== "cancelled" && !open) {
    ctx.log.info({ meetingId, notice }, "avis sans objet : la rencontre est annulée ou a commencé");
    return;
  }
  const answers = new Map((await meetings.roster(meetingId)).map((r) => [r.member.id, r.rsvp.answer as Answer]));
  const members = [...(await meetings.membersById(memberIds)).values()];
  const recipients = members.map((member) => ({ member, reply: noticeReply(meeting, notice, lines, answers.get(member.id), meetings.timeZone) }));
  const outcomes = await fanOut(ctx, meetings.deps.notifications, recipients);
  await settle(meetings, meeting, job, ctx, outcomes, `${noticeName(notice)} de « ${meetingName(meeting)} »`);
}

/** Posts the meeting where an earlier post failed for an outage. */
async function republish(meetings: MeetingService, job: RunningJob<MeetingPayload>, ctx: JobContext): Promise<void> {
  const meeting = await meetings.get(job.payload.meetingId);
  if (!meeting || meeting.status !== "scheduled" || meeting.sequence !== job.payload.sequence) return;
  // Through deliverOnce: a run killed between the post and its record posts again under the same
  // delivery key, which the platform deduplicates.
  let result: Awaited<ReturnType<MeetingService["publish"]>> | undefined;
  await ctx.deliverOnce("carte", async () => {
    result = await meetings.publish(meeting.id);
    if (result.retry) throw new Error("publication incomplète");
  });
  if (!result?.retry) return;
  const problems = result.problems.map((p) => `${platformLabel(p.platform)} : ${p.error}`).join(" ; ");
  if (ctx.attempt < job.maxAttempts) throw new Error(`publication à retenter (${problems})`);
  await report(meetings, meeting, ctx, `La rencontre « ${meetingName(meeting)} » n'a pas pu être publiée dans le salon des rencontres (${problems}).`);
  throw new AlreadyReported(`publication impossible : ${problems}`);
}

/** Closes the post (no more buttons) and asks the animator for the attendance. */
async function ended(meetings: MeetingService, job: RunningJob<MeetingPayload>, ctx: JobContext): Promise<void> {
  const meeting = await meetings.get(job.payload.meetingId);
  if (!meeting || meeting.status !== "scheduled" || meeting.sequence !== job.payload.sequence) return;
  await meetings.refreshPosts(meeting.id);
  await report(
    meetings,
    meeting,
    ctx,
    `« ${meetingName(meeting)} » est terminée. Saisissez les présences : \`/rencontre presences rencontre:${meeting.id}\` (proposées d'après les réponses).`,
    "presences",
  );
}

/**
 * After a fan-out: an outage that left some people unserved is retried with back-off (whoever
 * was served is skipped then); what cannot be delivered is reported to the animator, once.
 */
async function settle(
  meetings: MeetingService,
  meeting: MeetingRecord,
  job: RunningJob<unknown>,
  ctx: JobContext,
  outcomes: RecipientOutcome[],
  what: string,
): Promise<void> {
  const reached = new Set(outcomes.filter((o) => o.outcome === "sent" || o.outcome === "already-sent").map((o) => o.member.id));
  const retryable = outcomes.filter((o) => o.outcome === "failed" && !o.lasting);
  const lastAttempt = ctx.attempt >= job.maxAttempts;
  if (retryable.length > 0 && !lastAttempt && ctx.now < meeting.startsAt) {
    throw new Error(`${plural(retryable.length, "envoi", "envois")} à retenter : ${retryable.map((o) => `${o.member.displayName} (${o.platform} : ${o.error})`).join(", ")}`);
  }
  const lines = new Map<number, string[]>();
  for (const o of outcomes) {
    if (reached.has(o.member.id)) continue;
    if (o.outcome === "failed") lines.set(o.member.id, [...(lines.get(o.member.id) ?? []), `${platformLabel(o.platform)} : ${o.error}`]);
  }
  const byId = new Map(outcomes.map((o) => [o.member.id, o.member]));
  if (lines.size > 0) {
    const list = [...lines].map(([id, why]) => `- ${byId.get(id)!.displayName} (${why.join(" ; ")})`);
    await report(meetings, meeting, ctx, `${what} n'a pas pu joindre ${lines.size === 1 ? "une personne" : `${lines.size} personnes`} :\n${list.join("\n")}\nPensez à les prévenir autrement.`);
  }
  // The animator was just told who was not reached (report above): no generic report on top.
  if (retryable.length > 0) throw new AlreadyReported(`${plural(retryable.length, "envoi impossible", "envois impossibles")} après ${ctx.attempt} essais`);
}

/** A private message to the meeting's animator (or to every animator if they left), once per job. */
async function report(meetings: MeetingService, meeting: MeetingRecord, ctx: JobContext, text: string, key = "rapport"): Promise<void> {
  const db = meetings.deps.db;
  const creator = meeting.createdById === null ? null : await db.member.findUnique({ where: { id: meeting.createdById }, include: { accounts: true } });
  const staff = creator && inNetwork(creator) && creator.role !== "PROMENEUR" ? [creator] : await db.member.findMany({ where: { role: "ANIMATEUR", status: "ACTIVE" }, include: { accounts: true } });
  for (const animator of staff) {
    const outcome = await ctx.deliverOnce(`${key}:m${animator.id}`, async () => {
      const result = await meetings.deps.notifications.toMember(animator, animatorReport(text));
      if (result.refs.length === 0 && result.failures.length > 0) throw new Error(result.failures.map((f) => f.error).join(" ; "));
    });
    if (outcome === "failed") ctx.log.warn({ meetingId: meeting.id, animator: animator.id }, "l'animateur n'a pas pu être prévenu");
  }
}

