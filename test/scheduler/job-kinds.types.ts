/**
 * Compile-time checks of the typed job kinds (src/scheduler/job-kinds.ts, merged by each feature),
 * verified by `npx tsc --noEmit` (tsconfig includes test/): every `@ts-expect-error` line below must
 * stay an error, or tsc fails with « Unused '@ts-expect-error' directive ». Nothing here runs.
 */
import { handle, type JobHandlers } from "../../src/core/feature.js";
import { JOB_KINDS } from "../../src/core/meetings/planning.js";
import { POLL_JOBS } from "../../src/core/polls/planning.js";
import { RETRY_KIND } from "../../src/core/watch/schedule.js";
import type { JobStore } from "../../src/scheduler/index.js";

const dueAt = new Date(0);

async function scheduling(jobs: JobStore): Promise<void> {
  await jobs.schedule({ kind: JOB_KINDS.reminder, dueAt, payload: { meetingId: 1, sequence: 2, offset: "1h" } });
  // @ts-expect-error a reminder's meetingId is a number
  await jobs.schedule({ kind: JOB_KINDS.reminder, dueAt, payload: { meetingId: "1", sequence: 2, offset: "1h" } });
  // @ts-expect-error a reminder needs its sequence and offset
  await jobs.schedule({ kind: JOB_KINDS.reminder, dueAt, payload: { meetingId: 1 } });
  // @ts-expect-error a poll's closing carries a poll, not a meeting
  await jobs.schedule({ kind: POLL_JOBS.close, dueAt, payload: { meetingId: 1, sequence: 2 } });
  await jobs.schedule({ kind: RETRY_KIND, dueAt });
  // @ts-expect-error the watch's retry carries nothing
  await jobs.schedule({ kind: RETRY_KIND, dueAt, payload: { url: "https://exemple.fr/flux" } });
  await jobs.cancel({ kind: POLL_JOBS.remind, where: (payload) => payload.pollId === 3 });
  // @ts-expect-error a poll reminder's payload has no meetingId
  await jobs.cancel({ kind: POLL_JOBS.remind, where: (payload) => payload.meetingId === 3 });
  // A kind no feature declares (the scheduler's own tests) takes any payload.
  await jobs.schedule({ kind: "test.anything", dueAt, payload: { whatever: true } });
}

const handlers: JobHandlers = {
  [JOB_KINDS.ended]: handle(async (job) => void (job.payload.sequence satisfies number)),
  [POLL_JOBS.close]: handle(async (job) => void (job.payload.pollId satisfies number)),
};
// @ts-expect-error a handler expecting another kind's payload
const wrongPayload: JobHandlers = { [JOB_KINDS.publish]: handle<{ pollId: number }>(async () => undefined) };
// @ts-expect-error a kind no feature declared cannot get a feature's handler
const unknownKind: JobHandlers = { "meeting.remindr": handle(async () => undefined) };

void [scheduling, handlers, wrongPayload, unknownKind];
