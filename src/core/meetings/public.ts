/**
 * What the public web site may show of the meetings: those open to the whole network (« tous »),
 * never the team's. Cancelled ones are kept for the calendar feed, which is how subscribed
 * calendars learn to remove them.
 */
import type { PrismaClient } from "../../store/index.js";
import type { MeetingRecord } from "./model.js";

const PUBLIC_AUDIENCE = "tous";

export async function publicUpcoming(db: PrismaClient, now: Date, options: { withCancelled?: boolean; limit?: number } = {}): Promise<MeetingRecord[]> {
  return db.meeting.findMany({
    where: { audience: PUBLIC_AUDIENCE, endsAt: { gt: now }, ...(options.withCancelled ? {} : { status: "scheduled" }) },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: options.limit ?? 100,
  });
}
