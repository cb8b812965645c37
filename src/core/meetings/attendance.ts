/**
 * Attendance after a meeting: who was expected, with their recorded attendance or, until it is
 * recorded, a proposal from their answer for the animator to confirm or correct.
 */
import type { Member } from "../../store/index.js";
import { audit } from "../audit.js";
import { formatWhen } from "../dates.js";
import { UserError } from "../errors.js";
import type { MemberWithAccounts } from "../members.js";
import type { Answer, AttendanceStatus } from "./model.js";
import type { MeetingReads } from "./reading.js";

export interface SheetEntry {
  member: MemberWithAccounts;
  status: AttendanceStatus;
  /** Whether this comes from a recorded attendance (else: prefilled from the answer). */
  recorded: boolean;
  answer?: Answer;
}

/**
 * Everyone expected (the public, whoever answered, whoever was recorded), with their recorded
 * attendance or, until it is recorded, a proposal from their answer.
 */
export async function attendanceSheet(reads: MeetingReads, meetingId: number): Promise<SheetEntry[]> {
  const meeting = await reads.require(meetingId, "bot");
  const [roster, recorded, audience] = await Promise.all([
    reads.roster(meetingId),
    reads.deps.db.attendance.findMany({ where: { meetingId } }),
    reads.audienceOf(meeting),
  ]);
  const answers = new Map(roster.map((r) => [r.member.id, r.rsvp.answer as Answer]));
  const stored = new Map(recorded.map((a) => [a.memberId, a.status as AttendanceStatus]));
  const members = new Map<number, MemberWithAccounts>();
  for (const m of audience) members.set(m.id, m);
  for (const r of roster) members.set(r.member.id, r.member);
  for (const [id, m] of await reads.membersById([...stored.keys()].filter((id) => !members.has(id)))) members.set(id, m);
  return [...members.values()]
    .map((member) => {
      const answer = answers.get(member.id);
      const status = stored.get(member.id);
      return { member, answer, recorded: status !== undefined, status: status ?? proposal(answer) };
    })
    .sort((a, b) => a.member.displayName.localeCompare(b.member.displayName, "fr"));
}

/** Saves the whole sheet: the proposals as they are, with `overrides` applied. */
export async function recordAttendance(reads: MeetingReads, meetingId: number, overrides: Map<number, AttendanceStatus>, actor: Member): Promise<SheetEntry[]> {
  const { db, clock, timeZone } = reads.deps;
  const meeting = await reads.require(meetingId, "bot");
  const now = clock.now();
  if (meeting.status === "cancelled") throw new UserError(`La rencontre n° ${meetingId} a été annulée : pas de présences à saisir.`);
  if (now < meeting.startsAt) throw new UserError(`La rencontre n° ${meetingId} n'a pas encore commencé (${formatWhen(meeting.startsAt, timeZone)}) : les présences se saisissent après.`);
  const sheet = await attendanceSheet(reads, meetingId);
  const statuses = new Map(sheet.map((e) => [e.member.id, e.status]));
  for (const [id, status] of overrides) statuses.set(id, status);
  await db.$transaction(async (tx) => {
    for (const [memberId, status] of statuses) {
      await tx.attendance.upsert({
        where: { meetingId_memberId: { meetingId, memberId } },
        create: { meetingId, memberId, status, recordedAt: now, recordedById: actor.id },
        update: { status, recordedAt: now, recordedById: actor.id },
      });
    }
    await audit(tx, { actorId: actor.id, action: "meeting.attendance", targetType: "meeting", targetId: meetingId, details: Object.fromEntries(statuses) }, now);
  });
  return attendanceSheet(reads, meetingId);
}

/** The attendance proposed from an answer, for the animator to confirm or correct. */
function proposal(answer: Answer | undefined): AttendanceStatus {
  if (answer === "yes") return "present";
  if (answer === "no" || answer === "waitlist") return "excused";
  return "absent";
}
