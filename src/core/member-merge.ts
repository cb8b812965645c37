import type { Prisma } from "../store/index.js";
import { voterKey } from "./polls/voter-key.js";

type Tx = Prisma.TransactionClient;
type Row = Record<string, unknown> & { id: number };
/** Prisma delegates reached by model name; the registry below names only real models and columns. */
type Delegate = {
  findMany(args: unknown): Promise<Row[]>;
  findFirst(args: unknown): Promise<Row | null>;
  updateMany(args: unknown): Promise<unknown>;
  update(args: unknown): Promise<unknown>;
  delete(args: unknown): Promise<unknown>;
  deleteMany(args: unknown): Promise<unknown>;
};
const delegate = (tx: Tx, model: string): Delegate => (tx as unknown as Record<string, Delegate>)[model[0]!.toLowerCase() + model.slice(1)]!;

/**
 * One column that holds a member's id (or names a member), and how a first-contact record's rows
 * move to the member it is merged into. test/core/member-merge.test.ts reads prisma/schema.prisma
 * and fails when a member column is missing here: a new table cannot be forgotten.
 */
interface MemberReference {
  model: string;
  field: string;
  move(tx: Tx, from: number, into: number): Promise<void>;
}

/** Plain move: the column is not part of a unique key. */
const moved = (model: string, field: string): MemberReference => ({
  model,
  field,
  async move(tx, from, into) {
    await delegate(tx, model).updateMany({ where: { [field]: from }, data: { [field]: into } });
  },
});

/**
 * The column is part of a unique key (one answer per member and meeting…): when both records
 * hold a row for the same key, the most recent one (by `at`) is kept; without `at`, the one
 * already held by the member merged into.
 */
const keepLatest = (model: string, field: string, key: readonly string[], at?: string): MemberReference => ({
  model,
  field,
  async move(tx, from, into) {
    const rows = delegate(tx, model);
    for (const row of await rows.findMany({ where: { [field]: from } })) {
      const twin = await rows.findFirst({ where: { [field]: into, ...Object.fromEntries(key.map((k) => [k, row[k]])) } });
      if (twin) {
        const newer = at !== undefined && (row[at] as Date).getTime() > (twin[at] as Date).getTime();
        if (!newer) {
          await rows.delete({ where: { id: row.id } });
          continue;
        }
        await rows.delete({ where: { id: twin.id } });
      }
      await rows.update({ where: { id: row.id }, data: { [field]: into } });
    }
  },
});

/**
 * Votes are keyed by HMAC(poll salt, member id). While a poll is open its salt is known, so the
 * record's votes are re-keyed; if both voted, the latest vote is kept (vote ids grow with time:
 * votes keep no timestamp on purpose). A closed anonymous poll has lost its salt: its votes are
 * tied to nobody and stay as they are, counts unchanged.
 */
const votes: MemberReference = {
  model: "Vote",
  field: "memberId",
  async move(tx, from, into) {
    const polls = await tx.poll.findMany({ where: { voterSalt: { not: null } }, select: { id: true, voterSalt: true } });
    for (const poll of polls) {
      const fromKey = voterKey(poll.voterSalt!, from);
      const intoKey = voterKey(poll.voterSalt!, into);
      const stubVotes = await tx.vote.findMany({ where: { pollId: poll.id, voterKey: fromKey } });
      if (stubVotes.length === 0) continue;
      const kept = await tx.vote.findMany({ where: { pollId: poll.id, voterKey: intoKey } });
      const stubIsLatest = kept.length === 0 || Math.max(...stubVotes.map((v) => v.id)) > Math.max(...kept.map((v) => v.id));
      if (!stubIsLatest) {
        await tx.vote.deleteMany({ where: { pollId: poll.id, voterKey: fromKey } });
        continue;
      }
      await tx.vote.deleteMany({ where: { pollId: poll.id, voterKey: intoKey } });
      for (const v of stubVotes) {
        await tx.vote.update({ where: { id: v.id }, data: { voterKey: intoKey, memberId: v.memberId === null ? null : into } });
      }
    }
    // Non-anonymous votes of closed polls: their member column only.
    await tx.vote.updateMany({ where: { memberId: from }, data: { memberId: into } });
  },
};

/** One journey per member: the record's steps join the kept journey (earliest completion wins). */
const journeys: MemberReference = {
  model: "OnboardingJourney",
  field: "memberId",
  async move(tx, from, into) {
    const stub = await tx.onboardingJourney.findUnique({ where: { memberId: from }, include: { steps: true } });
    if (!stub) return;
    const kept = await tx.onboardingJourney.findUnique({ where: { memberId: into }, include: { steps: true } });
    if (!kept) {
      await tx.onboardingJourney.update({ where: { id: stub.id }, data: { memberId: into } });
      return;
    }
    const done = new Set(kept.steps.map((s) => s.key));
    for (const step of stub.steps) {
      if (!done.has(step.key)) await tx.onboardingStep.update({ where: { id: step.id }, data: { journeyId: kept.id } });
    }
    await tx.onboardingJourney.delete({ where: { id: stub.id } });
  },
};

/** Deliveries name their recipient « member:<id> »: one delivery per job and recipient. */
const deliveries: MemberReference = {
  model: "Delivery",
  field: "recipient",
  async move(tx, from, into) {
    for (const d of await tx.delivery.findMany({ where: { recipient: `member:${from}` } })) {
      const twin = await tx.delivery.findUnique({ where: { jobId_recipient: { jobId: d.jobId, recipient: `member:${into}` } } });
      if (twin) await tx.delivery.delete({ where: { id: d.id } });
      else await tx.delivery.update({ where: { id: d.id }, data: { recipient: `member:${into}` } });
    }
  },
};

/** Audit entries about the record follow the person (targetId is text). */
const auditTargets: MemberReference = {
  model: "AuditLog",
  field: "targetId",
  async move(tx, from, into) {
    await tx.auditLog.updateMany({ where: { targetType: "member", targetId: String(from) }, data: { targetId: String(into) } });
  },
};

export const MEMBER_REFERENCES: readonly MemberReference[] = [
  moved("PlatformAccount", "memberId"),
  moved("AuditLog", "actorId"),
  auditTargets,
  moved("Setting", "updatedBy"),
  moved("WatchSource", "addedById"),
  moved("WatchItem", "sharedById"),
  moved("Announcement", "authorId"),
  moved("Poll", "createdById"),
  votes,
  moved("AvailabilityPoll", "createdById"),
  keepLatest("AvailabilityAnswer", "memberId", ["slotId"], "answeredAt"),
  moved("TrainingSurvey", "createdById"),
  keepLatest("TrainingTick", "memberId", ["surveyId", "theme"]),
  keepLatest("TrainingNeed", "memberId", ["surveyId"], "updatedAt"),
  moved("Meeting", "createdById"),
  keepLatest("Rsvp", "memberId", ["meetingId"], "answeredAt"),
  keepLatest("Attendance", "memberId", ["meetingId"], "recordedAt"),
  moved("Attendance", "recordedById"),
  journeys,
  moved("OnboardingJourney", "startedById"),
  moved("OnboardingJourney", "completedById"),
  moved("Question", "askerId"),
  moved("Question", "closedById"),
  moved("QuestionAnswer", "authorId"),
  keepLatest("ActivityReport", "memberId", ["month"], "updatedAt"),
  deliveries,
  keepLatest("InboxMessage", "memberId", ["key"], "createdAt"),
];

/** Moves everything `from` owns to `into`, inside the caller's transaction, then deletes `from`. */
export async function mergeMemberInto(tx: Tx, from: number, into: number): Promise<void> {
  for (const ref of MEMBER_REFERENCES) await ref.move(tx, from, into);
  await tx.member.delete({ where: { id: from } });
}
