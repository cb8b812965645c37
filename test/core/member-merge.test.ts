/**
 * Linking an account that already has a first-contact record merges that record into the member:
 * everything it owned moves in one transaction, and conflicts keep the most recent answer.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MEMBER_REFERENCES } from "../../src/core/member-merge.js";
import { voterKey } from "../../src/core/polls/voter-key.js";
import { coreOnFreshStore } from "../helpers/store.js";

/** Int columns of the schema that name something other than a member. */
const NOT_MEMBERS = new Set([
  "Delivery.jobId", "WatchItem.sourceId", "WatchItem.digestId", "WatchSeen.sourceId", "PostedMessage.subjectId",
  "PollOption.pollId", "Vote.pollId", "Vote.optionId", "Vote.slot", "AvailabilityPoll.chosenSlotId", "AvailabilitySlot.pollId",
  "AvailabilityAnswer.slotId", "TrainingTick.surveyId", "TrainingNeed.surveyId", "Rsvp.meetingId", "Attendance.meetingId",
  "MeetingPost.meetingId", "OnboardingStep.journeyId", "QuestionAnswer.questionId",
]);
/** Text columns that name a member (« member:<id> », or the id as text). */
const TEXT_MEMBER_COLUMNS = ["Delivery.recipient", "AuditLog.targetId"];

function memberColumnsOfSchema(): string[] {
  const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const columns: string[] = [];
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const [, field, type] of body!.matchAll(/^\s+(\w+)\s+(\w+\??)/gm)) {
      const name = `${model}.${field}`;
      const looksLikeReference = /Id$|By$/.test(field!) && field !== "id";
      if ((type === "Int" || type === "Int?") && looksLikeReference && !NOT_MEMBERS.has(name)) columns.push(name);
      if (type === "Member" || type === "Member?") columns.push(`${model}.<relation ${field}>`);
    }
  }
  return columns;
}

describe("merging a first-contact record", () => {
  it("covers every column of the schema that holds a member id (a new table cannot be forgotten)", () => {
    const covered = new Set(MEMBER_REFERENCES.map((r) => `${r.model}.${r.field}`));
    const relations = memberColumnsOfSchema().filter((c) => c.includes("<relation"));
    // Relations to Member are followed by their foreign key column, listed as plain columns.
    expect(relations.sort()).toEqual(["AuditLog.<relation actor>", "InboxMessage.<relation member>", "PlatformAccount.<relation member>"]);
    const missing = [...memberColumnsOfSchema().filter((c) => !c.includes("<relation")), ...TEXT_MEMBER_COLUMNS].filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  it("moves everything the record owned, keeps the most recent of two answers, and deletes the record", async () => {
    const { services, store, clock } = await coreOnFreshStore();
    const db = store.prisma;
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const lea = await services.members.create({ firstName: "Léa", email: "lea@mjc.fr" }, admin.id);
    const stub = await services.members.resolveOrRegister({ platform: "slack", id: "U00000042", workspaceId: "T1", displayName: "lea" });
    const at = (iso: string) => new Date(iso);
    const now = clock.now();

    // Two RSVPs to the same meeting: the stub's is newer and wins; another only the stub had.
    const meeting = (title: string) => db.meeting.create({ data: { type: "autre", title, startsAt: now, endsAt: now, audience: "tous", reminders: "", createdAt: now, updatedAt: now } });
    const [m1, m2] = [await meeting("A"), await meeting("B")];
    await db.rsvp.create({ data: { meetingId: m1.id, memberId: lea.id, answer: "no", answeredAt: at("2026-03-01T10:00:00Z") } });
    await db.rsvp.create({ data: { meetingId: m1.id, memberId: stub.id, answer: "yes", answeredAt: at("2026-03-01T12:00:00Z") } });
    await db.rsvp.create({ data: { meetingId: m2.id, memberId: stub.id, answer: "maybe", answeredAt: now } });
    await db.attendance.create({ data: { meetingId: m2.id, memberId: stub.id, status: "present", recordedAt: now } });

    // Two votes in one open poll (the stub's is the latest), one in a second poll.
    const salt = "ab".repeat(32);
    const poll = async () => db.poll.create({ data: { question: "?", closesAt: now, voterSalt: salt, createdAt: now, options: { create: [{ position: 1, label: "a" }, { position: 2, label: "b" }] } }, include: { options: true } });
    const [p1, p2] = [await poll(), await poll()];
    await db.vote.create({ data: { pollId: p1.id, optionId: p1.options[0]!.id, voterKey: voterKey(salt, lea.id), slot: 0, memberId: lea.id } });
    await db.vote.create({ data: { pollId: p1.id, optionId: p1.options[1]!.id, voterKey: voterKey(salt, stub.id), slot: 0, memberId: stub.id } });
    await db.vote.create({ data: { pollId: p2.id, optionId: p2.options[0]!.id, voterKey: voterKey(salt, stub.id), slot: 0, memberId: null } });

    // A question, an activity report, a shared article, an onboarding step, a delivery.
    await db.question.create({ data: { askerId: stub.id, subject: "s", body: "b", category: "autre", askedAt: now } });
    await db.activityReport.create({ data: { memberId: stub.id, month: "2026-02", minutes: 60, createdAt: now, updatedAt: now } });
    await db.watchItem.create({ data: { sharedById: stub.id, title: "t", link: "https://x.fr", linkKey: "k", category: "autre", publishedAt: now, collectedAt: now } });
    await db.onboardingJourney.create({ data: { memberId: stub.id, origin: "slack", startedAt: now, lastProgressAt: now, createdAt: now, updatedAt: now, steps: { create: { key: "charte", doneAt: now } } } });
    const job = await db.job.create({ data: { kind: "x", dueAt: now, createdAt: now, updatedAt: now } });
    await db.delivery.create({ data: { jobId: job.id, recipient: `member:${stub.id}`, state: "sent", at: now } });
    await db.inboxMessage.create({ data: { memberId: stub.id, key: "question:1:answer:1", text: "Réponse", createdAt: now } });

    const { mergedStub } = await services.members.link(lea.id, { platform: "slack", externalId: "U00000042" }, admin.id);
    expect(mergedStub?.id).toBe(stub.id);

    expect(await db.member.findUnique({ where: { id: stub.id } })).toBeNull();
    const rsvps = await db.rsvp.findMany({ where: { memberId: lea.id }, orderBy: { meetingId: "asc" } });
    expect(rsvps.map((r) => [r.meetingId, r.answer])).toEqual([[m1.id, "yes"], [m2.id, "maybe"]]);
    expect(await db.attendance.count({ where: { memberId: lea.id } })).toBe(1);
    const votes = await db.vote.findMany({ orderBy: { pollId: "asc" } });
    expect(votes.map((v) => [v.pollId, v.optionId, v.voterKey])).toEqual([
      [p1.id, p1.options[1]!.id, voterKey(salt, lea.id)],
      [p2.id, p2.options[0]!.id, voterKey(salt, lea.id)],
    ]);
    expect(votes.map((v) => v.memberId)).toEqual([lea.id, null]);
    expect(await db.question.count({ where: { askerId: lea.id } })).toBe(1);
    expect(await db.activityReport.count({ where: { memberId: lea.id } })).toBe(1);
    expect(await db.watchItem.count({ where: { sharedById: lea.id } })).toBe(1);
    expect((await db.onboardingJourney.findUnique({ where: { memberId: lea.id }, include: { steps: true } }))?.steps.map((s) => s.key)).toEqual(["charte"]);
    expect((await db.delivery.findFirstOrThrow()).recipient).toBe(`member:${lea.id}`);
    expect(await db.inboxMessage.count({ where: { memberId: lea.id } })).toBe(1);
    expect((await services.members.resolveOrRegister({ platform: "slack", id: "U00000042", workspaceId: "T1", displayName: "lea" })).id).toBe(lea.id);
  });

  it("writes nothing when the merge fails half-way", async () => {
    const { services, store } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const lea = await services.members.create({ firstName: "Léa" }, admin.id);
    const stub = await services.members.resolveOrRegister({ platform: "slack", id: "U00000042", workspaceId: "T1", displayName: "lea" });
    await store.prisma.question.create({ data: { askerId: stub.id, subject: "s", body: "b", category: "autre", askedAt: new Date() } });
    const failing = MEMBER_REFERENCES.at(-1)!;
    const original = failing.move;
    failing.move = async () => {
      throw new Error("disk full");
    };
    try {
      await expect(services.members.link(lea.id, { platform: "slack", externalId: "U00000042" }, admin.id)).rejects.toThrow("disk full");
    } finally {
      failing.move = original;
    }
    expect(await store.prisma.question.count({ where: { askerId: stub.id } })).toBe(1);
    expect(await store.prisma.member.findUnique({ where: { id: stub.id } })).not.toBeNull();
  });

  it("lets only an administrator merge, and unlinks an account (administrator)", async () => {
    const { services } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const animator = await services.members.create({ firstName: "Sophie", role: "ANIMATEUR" }, admin.id);
    const lea = await services.members.create({ firstName: "Léa" }, admin.id);
    await services.members.resolveOrRegister({ platform: "slack", id: "U00000042", workspaceId: "T1", displayName: "lea" });
    await expect(services.members.link(lea.id, { platform: "slack", externalId: "U00000042" }, animator.id)).rejects.toThrow(/Seul un administrateur peut lier un compte qui a déjà une fiche/);
    await services.members.link(lea.id, { platform: "slack", externalId: "U00000042" }, admin.id);
    await services.members.unlink(lea.id, { platform: "slack", externalId: "U00000042" }, admin.id);
    expect((await services.members.get(lea.id))!.accounts).toEqual([]);
    await expect(services.members.unlink(lea.id, { platform: "slack", externalId: "U00000042" }, admin.id)).rejects.toThrow(/n'est pas lié à Léa/);
  });
});
