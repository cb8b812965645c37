/**
 * What the meetings feature reads: meetings as a given reader may see them, their answers and
 * counts, their public. Every read path goes through canSeeMeeting; nothing here writes.
 */
import type { Logger } from "../../logger.js";
import type { JobStore } from "../../scheduler/index.js";
import type { Prisma, PrismaClient } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import { UserError } from "../errors.js";
import type { MemberWithAccounts } from "../members.js";
import type { Notifications } from "../notifier.js";
import { nextReminderAt } from "./reminders-ahead.js";
import { canSeeMeeting, inAudience, type Answer, type Audience, type MeetingReader, type MeetingRecord, type RsvpRecord } from "./model.js";

export type Tx = Prisma.TransactionClient;

interface MeetingDeps {
  db: PrismaClient;
  clock: Clock;
  jobs: JobStore;
  notifications: Notifications;
  timeZone: string;
  log: Logger;
}

export interface Counts {
  yes: number;
  maybe: number;
  no: number;
  waitlist: number;
}

export interface RosterEntry {
  member: MemberWithAccounts;
  rsvp: RsvpRecord;
}

/** The audience of meetings open to the whole network, the only ones the public site shows. */
const PUBLIC_AUDIENCE: Audience = "tous";

export const NO_SUCH_MEETING = (id: number) => `La rencontre n° ${id} n'existe pas. Tapez /rencontre liste pour voir les rencontres à venir.`;

export class MeetingReads {
  constructor(readonly deps: MeetingDeps) {}

  get timeZone(): string {
    return this.deps.timeZone;
  }

  async get(id: number): Promise<MeetingRecord | null> {
    return this.deps.db.meeting.findUnique({ where: { id } });
  }

  /** The meeting if `reader` may see it (canSeeMeeting); one they may not see reads as absent. */
  async require(id: number, reader: MeetingReader): Promise<MeetingRecord> {
    const meeting = await this.get(id);
    if (!meeting || !canSeeMeeting(reader, meeting)) throw new UserError(NO_SUCH_MEETING(id));
    return meeting;
  }

  /** Meetings not yet over that `reader` may see, soonest first (cancelled ones too when `withCancelled`). */
  async upcoming(reader: MeetingReader, options: { withCancelled?: boolean; limit?: number } = {}): Promise<MeetingRecord[]> {
    // Filtered here rather than in SQL so the rule stays in canSeeMeeting alone; upcoming meetings are a few dozen.
    const all = await this.deps.db.meeting.findMany({
      where: { endsAt: { gt: this.deps.clock.now() }, ...(options.withCancelled ? {} : { status: "scheduled" }) },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    });
    return all.filter((m) => canSeeMeeting(reader, m)).slice(0, options.limit ?? 25);
  }

  /**
   * What the public web site may show: the meetings open to the whole network (« tous »), never
   * the team's. Cancelled ones only when asked: the calendar feed keeps them, which is how
   * subscribed calendars learn to remove them.
   */
  async publicUpcoming(options: { withCancelled?: boolean; limit?: number } = {}): Promise<MeetingRecord[]> {
    return this.deps.db.meeting.findMany({
      where: { audience: PUBLIC_AUDIENCE, endsAt: { gt: this.deps.clock.now() }, ...(options.withCancelled ? {} : { status: "scheduled" }) },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: options.limit ?? 100,
    });
  }

  /** The answers of members who still exist, oldest first. */
  async roster(meetingId: number, db: PrismaClient | Tx = this.deps.db): Promise<RosterEntry[]> {
    const rsvps = await db.rsvp.findMany({ where: { meetingId }, orderBy: [{ answeredAt: "asc" }, { id: "asc" }] });
    const members = await this.membersById(rsvps.map((r) => r.memberId), db);
    return rsvps.flatMap((rsvp) => {
      const member = members.get(rsvp.memberId);
      return member ? [{ member, rsvp }] : [];
    });
  }

  counts(roster: readonly RosterEntry[]): Counts {
    const counts: Counts = { yes: 0, maybe: 0, no: 0, waitlist: 0 };
    for (const { rsvp } of roster) counts[rsvp.answer as Answer]++;
    return counts;
  }

  /** Each member's answer for these meetings (for /rencontre liste). */
  async answersOf(memberId: number, meetingIds: number[]): Promise<Map<number, Answer>> {
    const rows = await this.deps.db.rsvp.findMany({ where: { memberId, meetingId: { in: meetingIds } } });
    return new Map(rows.map((r) => [r.meetingId, r.answer as Answer]));
  }

  async countsOf(meetingIds: number[]): Promise<Map<number, Counts>> {
    const out = new Map<number, Counts>(meetingIds.map((id) => [id, { yes: 0, maybe: 0, no: 0, waitlist: 0 }]));
    const rows = await this.deps.db.rsvp.groupBy({ by: ["meetingId", "answer"], where: { meetingId: { in: meetingIds } }, _count: { _all: true } });
    for (const row of rows) {
      const counts = out.get(row.meetingId);
      if (counts && row.answer in counts) counts[row.answer as Answer] = row._count._all;
    }
    return out;
  }

  /** Members of the meeting's public, with their platform accounts. */
  async audienceOf(meeting: Pick<MeetingRecord, "audience">): Promise<MemberWithAccounts[]> {
    const members = await this.deps.db.member.findMany({
      where: { status: { in: ["ACTIVE", "ONBOARDING"] } },
      include: { accounts: true },
      orderBy: { id: "asc" },
    });
    return members.filter((m) => inAudience(m, meeting.audience as Audience) && canSeeMeeting(m, meeting));
  }

  /** The next reminder still to go out for this meeting, or null (see nextReminderAt). */
  nextReminder(meeting: Pick<MeetingRecord, "id" | "sequence" | "status">): Promise<Date | null> {
    return nextReminderAt(this.deps.db, meeting, this.deps.clock.now());
  }

  async membersById(ids: readonly number[], db: PrismaClient | Tx = this.deps.db): Promise<Map<number, MemberWithAccounts>> {
    if (ids.length === 0) return new Map();
    const members = await db.member.findMany({ where: { id: { in: [...new Set(ids)] } }, include: { accounts: true } });
    return new Map(members.map((m) => [m.id, m]));
  }
}
