/** The announcements' durable job as it is planned: the private copies, sent by ./jobs.ts. */
import type { JobStore } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";

export const ANNOUNCEMENT_JOBS = { copies: "announcement.copies" } as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [ANNOUNCEMENT_JOBS.copies]: CopiesPayload;
  }
}

export interface CopiesPayload {
  announcementId: number;
}

export const announcementJobKey = (id: number) => `announcement:${id}:copies`;

/** The private copies go out at once, after the announcement is posted. */
export async function scheduleCopies(jobs: JobStore, tx: Prisma.TransactionClient, announcementId: number, now: Date): Promise<void> {
  await jobs.schedule({ kind: ANNOUNCEMENT_JOBS.copies, dueAt: now, payload: { announcementId }, dedupeKey: announcementJobKey(announcementId) }, tx);
}
