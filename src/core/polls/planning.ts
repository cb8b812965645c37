/** The polls' durable jobs as they are planned: their kinds, payloads and keys. The handlers are in ./jobs.ts. */
import { daytimeBefore, type JobStore } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";

type Tx = Prisma.TransactionClient;

export const POLL_JOBS = { close: "poll.close", remind: "poll.remind" } as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [POLL_JOBS.close]: PollPayload;
    [POLL_JOBS.remind]: PollPayload;
  }
}
export const pollJobKey = (pollId: number, what: "close" | "remind") => `poll:${pollId}:${what}`;

export interface PollPayload {
  pollId: number;
}

/** The non-voter reminder goes out this long before closing (if the poll lasts long enough). */
const REMINDER_BEFORE_MS = 24 * 3600_000;

/** The closing job, and the reminder a day before closing when the poll lasts long enough for it to be useful. */
export async function schedulePollJobs(jobs: JobStore, tx: Tx, poll: { id: number; closesAt: Date }, now: Date, timeZone: string): Promise<void> {
  await jobs.schedule({ kind: POLL_JOBS.close, dueAt: poll.closesAt, payload: { pollId: poll.id }, dedupeKey: pollJobKey(poll.id, "close") }, tx);
  // A day before closing, at a decent hour (08:00–20:00, never after the closing).
  const remindAt = daytimeBefore(new Date(poll.closesAt.getTime() - REMINDER_BEFORE_MS), timeZone, poll.closesAt, now);
  // A poll closing within a day (plus an hour) has just been posted: a reminder would be noise.
  if (remindAt && remindAt.getTime() > now.getTime() + 3600_000) {
    await jobs.schedule({ kind: POLL_JOBS.remind, dueAt: remindAt, payload: { pollId: poll.id }, dedupeKey: pollJobKey(poll.id, "remind") }, tx);
  }
}
