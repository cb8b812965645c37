/**
 * The meetings' durable jobs as they are planned: their kinds, payloads and keys, and how a
 * meeting's reminders, end and notices are scheduled or cancelled inside the transaction that
 * changes the meeting. The handlers that run them are in ./jobs.ts.
 */
import { daytimeBefore, type JobStore } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";
import type { MeetingRecord } from "./model.js";
import { parseOffsets, reminderDueAt, type Offset } from "./when.js";

type Tx = Prisma.TransactionClient;

export const JOB_KINDS = {
  reminder: "meeting.reminder",
  notice: "meeting.notice",
  publish: "meeting.publish",
  ended: "meeting.ended",
} as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [JOB_KINDS.reminder]: ReminderPayload;
    [JOB_KINDS.notice]: NoticePayload;
    [JOB_KINDS.publish]: MeetingPayload;
    [JOB_KINDS.ended]: MeetingPayload;
  }
}

export interface ReminderPayload {
  meetingId: number;
  /** The meeting's sequence when scheduled: a reminder of an older sequence is stale. */
  sequence: number;
  offset: string;
}

export interface NoticePayload {
  meetingId: number;
  notice: "changed" | "cancelled" | "promoted";
  memberIds: number[];
  /** What changed, in French, fixed when the change was made. */
  lines: string[];
}

export interface MeetingPayload {
  meetingId: number;
  sequence: number;
}

export const reminderKey = (id: number, sequence: number, label: string) => `meeting:${id}:s${sequence}:rappel:${label}`;
const endKey = (id: number, sequence: number) => `meeting:${id}:s${sequence}:fin`;
const publishKey = (id: number, sequence: number) => `meeting:${id}:s${sequence}:publication`;

export interface ReminderPlan {
  scheduled: { offset: Offset; at: Date }[];
  /** Offsets whose time had already passed: not scheduled. */
  passed: Offset[];
}

/** The offsets a meeting stores (« 7j,1j,2h »), read back; none when unreadable. */
export function storedOffsets(meeting: Pick<MeetingRecord, "reminders">): Offset[] {
  const offsets = parseOffsets(meeting.reminders || "aucun");
  return offsets.ok ? offsets.value : [];
}

/** One job per reminder offset still ahead, and one at the end (closing the post, asking for attendance). */
export async function scheduleMeetingJobs(jobs: JobStore, tx: Tx, meeting: MeetingRecord, now: Date, timeZone: string): Promise<ReminderPlan> {
  const plan: ReminderPlan = { scheduled: [], passed: [] };
  if (meeting.status !== "scheduled") return plan;
  for (const offset of storedOffsets(meeting)) {
    // At a decent hour (08:00–20:00) before the meeting; none left: like a passed reminder.
    const at = daytimeBefore(reminderDueAt(meeting.startsAt, offset, timeZone), timeZone, meeting.startsAt, now);
    if (!at || at <= now) {
      plan.passed.push(offset);
      continue;
    }
    // Two reminders moved to the same decent hour are one reminder.
    if (plan.scheduled.some((s) => s.at.getTime() === at.getTime())) continue;
    await jobs.schedule(
      { kind: JOB_KINDS.reminder, dueAt: at, payload: { meetingId: meeting.id, sequence: meeting.sequence, offset: offset.label }, dedupeKey: reminderKey(meeting.id, meeting.sequence, offset.label) },
      tx,
    );
    plan.scheduled.push({ offset, at });
  }
  await jobs.schedule(
    { kind: JOB_KINDS.ended, dueAt: meeting.endsAt, payload: { meetingId: meeting.id, sequence: meeting.sequence }, dedupeKey: endKey(meeting.id, meeting.sequence) },
    tx,
  );
  return plan;
}

/** Cancels the reminders, the end and a pending post retry of the meeting's current sequence. */
export async function cancelMeetingJobs(jobs: JobStore, tx: Tx, meeting: MeetingRecord): Promise<void> {
  const keys = [
    ...storedOffsets(meeting).map((o) => reminderKey(meeting.id, meeting.sequence, o.label)),
    endKey(meeting.id, meeting.sequence),
    publishKey(meeting.id, meeting.sequence),
  ];
  for (const key of keys) await jobs.cancel(key, tx);
}

/** Tells the members of a cancellation (with its reason), at once. */
export async function scheduleCancelNotice(jobs: JobStore, tx: Tx, meetingId: number, memberIds: number[], reason: string | undefined, now: Date): Promise<void> {
  await jobs.schedule(
    { kind: JOB_KINDS.notice, dueAt: now, payload: { meetingId, notice: "cancelled", memberIds, lines: reason ? [`Motif : ${reason}`] : [] }, dedupeKey: `meeting:${meetingId}:annulation` },
    tx,
  );
}

/** Tells the members who got a seat from the waiting list, at once. */
export async function schedulePromotionNotice(jobs: JobStore, tx: Tx, meetingId: number, memberIds: number[], now: Date): Promise<void> {
  await jobs.schedule(
    { kind: JOB_KINDS.notice, dueAt: now, payload: { meetingId, notice: "promoted", memberIds, lines: [] }, dedupeKey: `meeting:${meetingId}:promus:${now.getTime()}:${memberIds.join("-")}` },
    tx,
  );
}

/** Posts the meeting again in a minute, where a post failed for an outage. */
export async function schedulePublishRetry(jobs: JobStore, meeting: Pick<MeetingRecord, "id" | "sequence">, now: Date): Promise<void> {
  const at = new Date(now.getTime() + 60_000);
  await jobs.schedule({ kind: JOB_KINDS.publish, dueAt: at, payload: { meetingId: meeting.id, sequence: meeting.sequence }, dedupeKey: publishKey(meeting.id, meeting.sequence) });
}
