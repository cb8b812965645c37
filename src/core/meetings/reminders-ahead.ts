// What a confirmation may promise about reminders: only what the scheduler really holds.
import type { PrismaClient } from "../../store/index.js";
import type { MeetingRecord } from "./model.js";
import { reminderKey } from "./planning.js";

/**
 * The next reminder still to go out for this meeting, or null: none set (`rappels:aucun`), all
 * passed, or moved out of the night and then past the start. Read from the pending jobs of the
 * meeting's current version, so the answer is what will actually be sent.
 */
export async function nextReminderAt(db: PrismaClient, meeting: Pick<MeetingRecord, "id" | "sequence" | "status">, now: Date): Promise<Date | null> {
  if (meeting.status !== "scheduled") return null;
  const job = await db.job.findFirst({
    where: { dedupeKey: { startsWith: reminderKey(meeting.id, meeting.sequence, "") }, state: "pending", dueAt: { gt: now } },
    orderBy: { dueAt: "asc" },
    select: { dueAt: true },
  });
  return job?.dueAt ?? null;
}
