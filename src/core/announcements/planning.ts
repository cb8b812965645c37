/** The announcements' durable job as it is planned: the private copies, sent by ./jobs.ts. */
import type { JobStore } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";

export const ANNOUNCEMENT_JOBS = { copies: "announcement.copies" } as const;

export interface CopiesPayload {
  announcementId: number;
}

export const announcementJobKey = (id: number) => `announcement:${id}:copies`;

/** The private copies go out at once, after the announcement is posted. */
export async function scheduleCopies(jobs: JobStore, tx: Prisma.TransactionClient, announcementId: number, now: Date): Promise<void> {
  await jobs.schedule<CopiesPayload>({ kind: ANNOUNCEMENT_JOBS.copies, dueAt: now, payload: { announcementId }, dedupeKey: announcementJobKey(announcementId) }, tx);
}
