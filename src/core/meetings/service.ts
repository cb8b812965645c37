/**
 * Network meetings: creation, changes, cancellation, answers (with a waiting list), attendance,
 * and the posts that show them. The rules live here and return domain results; the replies are
 * built in ./views.ts, the jobs are planned in ./planning.ts and run in ./jobs.ts.
 */
import type { Member } from "../../store/index.js";
import { audit } from "../audit.js";
import { formatWhen } from "../dates.js";
import { UserError } from "../errors.js";
import { plural } from "../../shared/plural.js";
import { attendanceSheet, recordAttendance, type SheetEntry } from "./attendance.js";
import { changeLine, meetingChanges, scheduleChangeNotice } from "./change-notice.js";
import { CHOICES, canSeeMeeting, inNetwork, mayAnswer, type Answer, type AttendanceStatus, type Audience, type Choice, type MeetingRecord, type MeetingType } from "./model.js";
import { cancelMeetingJobs, scheduleCancelNotice, scheduleMeetingJobs, schedulePromotionNotice, type ReminderPlan } from "./planning.js";
import { MeetingPosts, type PublishResult } from "./posts.js";
import { MeetingReads, NO_SUCH_MEETING, type RosterEntry, type Tx } from "./reading.js";
import { audienceLabel } from "./views.js";
import { offsetsLabel, type Offset } from "./when.js";

export interface MeetingInput {
  type: MeetingType;
  title: string;
  start: Date;
  minutes: number;
  place?: string;
  visioUrl?: string;
  audience: Audience;
  capacity: number | null;
  offsets: Offset[];
}

export type MeetingPatch = Partial<Omit<MeetingInput, "capacity">> & { capacity?: number | null };

export interface Modified {
  meeting: MeetingRecord;
  /** What changed, in French (« lieu : A → B »). */
  changes: string[];
  plan: ReminderPlan;
  /** Members who answered and will be told of the change. */
  told: number;
  /** Members moved from the waiting list to « Je viens ». */
  promoted: number;
  publish: PublishResult;
}

export interface Answered {
  meeting: MeetingRecord;
  answer: Answer;
  previous?: Answer;
  /** Place on the waiting list, when the answer is « waitlist ». */
  position?: number;
  promoted: number[];
}

export class MeetingService extends MeetingReads {
  private readonly posts = new MeetingPosts(this);

  async create(input: MeetingInput, actor: Member): Promise<{ meeting: MeetingRecord; plan: ReminderPlan; publish: PublishResult }> {
    const now = this.deps.clock.now();
    const { meeting, plan } = await this.deps.db.$transaction(async (tx) => {
      const meeting = await tx.meeting.create({
        data: {
          type: input.type,
          title: input.title,
          startsAt: input.start,
          endsAt: new Date(input.start.getTime() + input.minutes * 60_000),
          place: input.place ?? null,
          visioUrl: input.visioUrl ?? null,
          audience: input.audience,
          capacity: input.capacity,
          reminders: offsetsLabel(input.offsets),
          createdById: actor.id,
          createdAt: now,
          updatedAt: now,
        },
      });
      const plan = await scheduleMeetingJobs(this.deps.jobs, tx, meeting, now, this.timeZone);
      await audit(tx, { actorId: actor.id, action: "meeting.create", targetType: "meeting", targetId: meeting.id, details: { ...input, start: input.start.toISOString() } }, now);
      return { meeting, plan };
    });
    const publish = await this.publish(meeting.id);
    return { meeting, plan, publish };
  }

  async modify(id: number, patch: MeetingPatch, actor: Member): Promise<Modified> {
    const now = this.deps.clock.now();
    const result = await this.deps.db.$transaction(async (tx) => {
      const before = await this.lock(tx, id);
      if (before.status === "cancelled") throw new UserError(`La rencontre n° ${id} est annulée : elle ne peut plus être modifiée.`);
      if (now >= before.startsAt) throw new UserError(`La rencontre n° ${id} a déjà commencé : elle ne peut plus être modifiée.`);
      const data = patched(before, patch);
      // What changed, for the animator; members hear only of what concerns them: not the reminder
      // offsets, and not the number of places (those whose seat changes get their own notice).
      const diffs = meetingChanges(before, data, this.timeZone);
      const changes = diffs.map(changeLine);
      if (changes.length === 0 && data.reminders === before.reminders) throw new UserError("Rien à modifier : les valeurs données sont déjà celles de la rencontre.");
      await this.refuseFewerSeats(tx, id, data.capacity);
      await cancelMeetingJobs(this.deps.jobs, tx, before);
      const meeting = await tx.meeting.update({ where: { id }, data: { ...data, sequence: before.sequence + 1, updatedAt: now } });
      const plan = await scheduleMeetingJobs(this.deps.jobs, tx, meeting, now, this.timeZone);
      const roster = await this.roster(id, tx);
      const promoted = await this.promote(tx, meeting, roster, now);
      const forMembers = diffs.filter((c) => c.label !== "places");
      const answered = roster.filter((r) => !promoted.includes(r.member.id)).map((r) => r.member.id);
      const told = forMembers.length > 0 && answered.length > 0 ? await scheduleChangeNotice(this.deps.jobs, tx, meeting, forMembers, answered, now) : 0;
      await audit(tx, { actorId: actor.id, action: "meeting.update", targetType: "meeting", targetId: id, details: { changements: changes, rappels: data.reminders } }, now);
      return { meeting, changes, plan, told, promoted: promoted.length };
    });
    await this.refreshPosts(id);
    const publish = await this.publish(id);
    return { ...result, publish };
  }

  /** Nobody is silently dropped: fewer seats than people coming is refused (more places, or people withdraw first). */
  private async refuseFewerSeats(tx: Tx, id: number, capacity: number | null): Promise<void> {
    const coming = this.counts(await this.roster(id, tx)).yes;
    if (capacity !== null && capacity < coming) {
      throw new UserError(
        `${coming} personnes ont déjà dit « Je viens » à la rencontre n° ${id} : impossible de passer à ${plural(capacity, "place", "places")}. Indiquez places:${coming} ou plus, ou places:0 pour sans limite. Rien n'a été modifié.`,
      );
    }
  }

  async cancel(id: number, reason: string | undefined, actor: Member): Promise<{ meeting: MeetingRecord; told: number }> {
    const now = this.deps.clock.now();
    const result = await this.deps.db.$transaction(async (tx) => {
      const before = await this.lock(tx, id);
      if (before.status === "cancelled") throw new UserError(`La rencontre n° ${id} est déjà annulée.`);
      if (now >= before.endsAt) throw new UserError(`La rencontre n° ${id} a déjà eu lieu.`);
      await cancelMeetingJobs(this.deps.jobs, tx, before);
      const meeting = await tx.meeting.update({
        where: { id },
        data: { status: "cancelled", cancelReason: reason ?? null, sequence: before.sequence + 1, updatedAt: now },
      });
      const told = (await this.roster(id, tx)).map((r) => r.member.id);
      if (told.length > 0) await scheduleCancelNotice(this.deps.jobs, tx, id, told, reason, now);
      await audit(tx, { actorId: actor.id, action: "meeting.cancel", targetType: "meeting", targetId: id, details: { motif: reason ?? null } }, now);
      return { meeting, told: told.length };
    });
    await this.refreshPosts(id);
    await this.syncCalendars(result.meeting);
    return result;
  }

  /**
   * Records a member's answer; one answer per member, whichever platform it comes from. « Je
   * viens » on a full meeting puts them on the waiting list; a seat freed by a withdrawal goes to
   * the first on the list, who is told by private message.
   */
  async answer(meetingId: number, member: Member, choice: Choice): Promise<Answered> {
    const now = this.deps.clock.now();
    const result = await this.deps.db.$transaction(async (tx) => {
      const meeting = await this.lock(tx, meetingId, "Ce bouton n'est plus valable : cette rencontre n'existe plus.");
      this.refuseAnswer(meeting, member, now);
      const roster = await this.roster(meetingId, tx);
      const mine = roster.find((r) => r.member.id === member.id)?.rsvp;
      const previous = mine?.answer as Answer | undefined;
      let answer: Answer = CHOICES[choice].answer;
      if (answer === "yes" && previous !== "yes") {
        if (previous === "waitlist") answer = "waitlist";
        else if (meeting.capacity !== null && this.counts(roster).yes >= meeting.capacity) answer = "waitlist";
      }
      const waitlistedAt = answer === "waitlist" ? (mine?.waitlistedAt ?? now) : null;
      await tx.rsvp.upsert({
        where: { meetingId_memberId: { meetingId, memberId: member.id } },
        create: { meetingId, memberId: member.id, answer, answeredAt: now, waitlistedAt },
        update: { answer, answeredAt: now, waitlistedAt },
      });
      const after = await this.roster(meetingId, tx);
      const promoted = previous === "yes" && answer !== "yes" ? await this.promote(tx, meeting, after, now) : [];
      let position: number | undefined;
      if (answer === "waitlist") {
        position = after.filter((r) => r.rsvp.answer === "waitlist" && r.rsvp.waitlistedAt! <= waitlistedAt!).length;
      }
      return { meeting, answer, previous, position, promoted };
    });
    await this.refreshPosts(meetingId);
    return result;
  }

  /** Why this member may not answer this meeting now, thrown in French. */
  private refuseAnswer(meeting: MeetingRecord, member: Member, now: Date): void {
    if (meeting.status === "cancelled") throw new UserError(`« ${meeting.title} » est annulée : il n'est plus possible d'y répondre.`);
    if (now >= meeting.startsAt) throw new UserError(`« ${meeting.title} » a commencé ${formatWhen(meeting.startsAt, this.timeZone)} : les réponses sont closes.`);
    if (!canSeeMeeting(member, meeting)) throw new UserError("Ce bouton n'est plus valable : cette rencontre n'existe plus.");
    if (!inNetwork(member)) throw new UserError("Seuls les membres du réseau peuvent répondre aux rencontres. Contactez l'animateur du réseau.");
    if (!mayAnswer(member, meeting.audience as Audience)) {
      throw new UserError(`« ${meeting.title} » est réservée au public suivant : ${audienceLabel(meeting)}. Si vous pensez que cette rencontre vous concerne, contactez l'animateur du réseau.`);
    }
  }

  // ─── attendance, posts and calendars (./attendance.ts, ./posts.ts) ───────────────────

  attendanceSheet(meetingId: number): Promise<SheetEntry[]> {
    return attendanceSheet(this, meetingId);
  }

  recordAttendance(meetingId: number, overrides: Map<number, AttendanceStatus>, actor: Member): Promise<SheetEntry[]> {
    return recordAttendance(this, meetingId, overrides, actor);
  }

  publish(meetingId: number): Promise<PublishResult & { retry: boolean }> {
    return this.posts.publish(meetingId);
  }

  refreshPosts(meetingId: number): Promise<void> {
    return this.posts.refreshPosts(meetingId);
  }

  syncCalendars(meeting: MeetingRecord): Promise<PublishResult["problems"]> {
    return this.posts.syncCalendars(meeting);
  }

  // ─── internals ────────────────────────────────────────────────────────────────────────

  /**
   * Takes the meeting's row for this transaction before reading anything: every change and every
   * answer to one meeting queue up behind it (a row lock on PostgreSQL, the write lock on SQLite),
   * so the last seat cannot be given twice. A write that changes nothing is the portable
   * SELECT … FOR UPDATE.
   */
  private async lock(tx: Tx, id: number, missing?: string): Promise<MeetingRecord> {
    const { count } = await tx.meeting.updateMany({ where: { id }, data: { sequence: { increment: 0 } } });
    if (count === 0) throw new UserError(missing ?? NO_SUCH_MEETING(id));
    return tx.meeting.findUniqueOrThrow({ where: { id } });
  }

  /** Gives free seats to the waiting list, first come first served; returns who got one. */
  private async promote(tx: Tx, meeting: MeetingRecord, roster: readonly RosterEntry[], now: Date): Promise<number[]> {
    let free = meeting.capacity === null ? Infinity : meeting.capacity - this.counts(roster).yes;
    const waiting = roster
      .filter((r) => r.rsvp.answer === "waitlist")
      .sort((a, b) => a.rsvp.waitlistedAt!.getTime() - b.rsvp.waitlistedAt!.getTime() || a.rsvp.id - b.rsvp.id);
    const promoted: number[] = [];
    for (const entry of waiting) {
      if (free <= 0) break;
      await tx.rsvp.update({ where: { id: entry.rsvp.id }, data: { answer: "yes", waitlistedAt: null } });
      entry.rsvp.answer = "yes";
      promoted.push(entry.member.id);
      free--;
    }
    if (promoted.length > 0) await schedulePromotionNotice(this.deps.jobs, tx, meeting.id, promoted, now);
    return promoted;
  }
}

/** The meeting's row after the patch (what is not given stays as it was). */
function patched(before: MeetingRecord, patch: MeetingPatch) {
  const minutesBefore = Math.round((before.endsAt.getTime() - before.startsAt.getTime()) / 60_000);
  const start = patch.start ?? before.startsAt;
  const minutes = patch.minutes ?? minutesBefore;
  return {
    type: patch.type ?? before.type,
    title: patch.title ?? before.title,
    startsAt: start,
    endsAt: new Date(start.getTime() + minutes * 60_000),
    place: patch.place ?? before.place,
    visioUrl: patch.visioUrl ?? before.visioUrl,
    audience: patch.audience ?? before.audience,
    capacity: patch.capacity === undefined ? before.capacity : patch.capacity,
    reminders: patch.offsets ? offsetsLabel(patch.offsets) : before.reminders,
  };
}
