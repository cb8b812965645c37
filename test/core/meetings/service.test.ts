import { describe, expect, it } from "vitest";
import { buildCalendar, MeetingService, parseOffsets, type MeetingInput } from "../../../src/core/meetings/index.js";
import { createLogger } from "../../../src/logger.js";
import type { Member } from "../../../src/store/index.js";
import { coreOnFreshStore } from "../../helpers/store.js";

const tz = "Europe/Paris";

async function setup() {
  const core = await coreOnFreshStore(); // clock: Monday 2 March 2026, 09:00 Paris
  const meetings = new MeetingService({ db: core.store.prisma, clock: core.clock, jobs: core.services.jobs, notifications: core.services.notifications, timeZone: tz, log: createLogger({ level: "silent", pretty: false }) });
  const animator = await core.services.members.create({ firstName: "Sophie", role: "ANIMATEUR" }, null);
  const member = (firstName: string, extra: Partial<Member> = {}) => core.services.members.create({ firstName, ...extra } as never, null);
  const input = (over: Partial<MeetingInput> = {}): MeetingInput => ({
    type: "departementale",
    title: "Les réseaux sociaux des 11-15 ans",
    start: new Date("2026-03-12T13:00:00Z"), // jeudi 12 mars 14:00
    minutes: 120,
    place: "MJC Épinal",
    audience: "tous",
    capacity: null,
    offsets: (parseOffsets("7j,1j,2h") as { value: MeetingInput["offsets"] }).value,
    ...over,
  });
  const jobs = () => core.store.prisma.job.findMany({ where: { state: "pending" }, orderBy: { dueAt: "asc" } });
  return { ...core, meetings, animator, member, input, jobs };
}

describe("meetings", () => {
  it("schedules one reminder per offset, in UTC, plus the end of the meeting", async () => {
    const { meetings, animator, input, jobs } = await setup();
    const { meeting, plan } = await meetings.create(input(), animator);
    expect(plan.scheduled.map((s) => s.offset.label)).toEqual(["7j", "1j", "2h"]);
    expect((await jobs()).map((j) => [j.kind, j.dueAt.toISOString(), j.dedupeKey])).toEqual([
      ["meeting.reminder", "2026-03-05T13:00:00.000Z", `meeting:${meeting.id}:s0:rappel:7j`],
      ["meeting.reminder", "2026-03-11T13:00:00.000Z", `meeting:${meeting.id}:s0:rappel:1j`],
      ["meeting.reminder", "2026-03-12T11:00:00.000Z", `meeting:${meeting.id}:s0:rappel:2h`],
      ["meeting.ended", "2026-03-12T15:00:00.000Z", `meeting:${meeting.id}:s0:fin`],
    ]);
  });

  it("does not schedule a reminder whose time has already passed", async () => {
    const { meetings, animator, input } = await setup();
    const { plan } = await meetings.create(input({ start: new Date("2026-03-04T13:00:00Z") }), animator);
    expect(plan.scheduled.map((s) => s.offset.label)).toEqual(["1j", "2h"]);
    expect(plan.passed.map((o) => o.label)).toEqual(["7j"]);
  });

  it("sends reminders between 08:00 and 20:00 only, at the nearest allowed time before the meeting", async () => {
    const { meetings, animator, input, jobs } = await setup();
    // Thursday 12 March at 08:30: « 2h » would be 06:30, « 1j » is 08:30 the day before (allowed).
    const early = await meetings.create(input({ start: new Date("2026-03-12T07:30:00Z"), offsets: (parseOffsets("1j,2h") as { value: MeetingInput["offsets"] }).value }), animator);
    // Thursday 12 March at 21:00: « 1h » is 20:00 (allowed); « 30min » would be 20:30, moved to 20:00: one reminder, not two.
    const late = await meetings.create(input({ start: new Date("2026-03-12T20:00:00Z"), offsets: (parseOffsets("1h,30min") as { value: MeetingInput["offsets"] }).value }), animator);
    const due = async (id: number) => (await jobs()).filter((j) => j.kind === "meeting.reminder" && j.dedupeKey!.startsWith(`meeting:${id}:`)).map((j) => [j.dedupeKey!.split(":").at(-1), j.dueAt.toISOString()]);
    expect(await due(early.meeting.id)).toEqual([["1j", "2026-03-11T07:30:00.000Z"], ["2h", "2026-03-12T07:00:00.000Z"]]);
    expect(await due(late.meeting.id)).toEqual([["1h", "2026-03-12T19:00:00.000Z"]]);
  });

  it("keeps one answer per member and puts « Je viens » on the waiting list once the meeting is full", async () => {
    const { meetings, animator, member, input } = await setup();
    const { meeting } = await meetings.create(input({ capacity: 2 }), animator);
    const [lea, hugo, ines] = [await member("Léa"), await member("Hugo"), await member("Inès")];
    await meetings.answer(meeting.id, lea, "oui");
    await meetings.answer(meeting.id, lea, "peutetre");
    await meetings.answer(meeting.id, lea, "oui");
    await meetings.answer(meeting.id, hugo, "oui");
    const full = await meetings.answer(meeting.id, ines, "oui");
    expect(full).toMatchObject({ answer: "waitlist", position: 1 });
    expect(meetings.counts(await meetings.roster(meeting.id))).toEqual({ yes: 2, maybe: 0, no: 0, waitlist: 1 });
  });

  it("gives a freed seat to the first on the waiting list and tells them", async () => {
    const { meetings, animator, member, input, store } = await setup();
    const { meeting } = await meetings.create(input({ capacity: 1 }), animator);
    const [lea, hugo, ines] = [await member("Léa"), await member("Hugo"), await member("Inès")];
    await meetings.answer(meeting.id, lea, "oui");
    await meetings.answer(meeting.id, hugo, "oui");
    await meetings.answer(meeting.id, ines, "oui");
    const withdrawal = await meetings.answer(meeting.id, lea, "non");
    expect(withdrawal.promoted).toEqual([hugo.id]);
    const roster = await meetings.roster(meeting.id);
    expect(roster.map((r) => [r.member.firstName, r.rsvp.answer])).toEqual(
      expect.arrayContaining([["Léa", "no"], ["Hugo", "yes"], ["Inès", "waitlist"]]),
    );
    const notice = await store.prisma.job.findFirst({ where: { kind: "meeting.notice" } });
    expect(JSON.parse(notice!.payload)).toMatchObject({ notice: "promoted", memberIds: [hugo.id] });
  });

  it("refuses answers after the start, to a cancelled meeting, and from outside a reserved public", async () => {
    const { meetings, animator, member, input, clock } = await setup();
    const welcome = (await meetings.create(input({ type: "accueil_nouveaux", audience: "nouveaux" }), animator)).meeting;
    const settled = await member("Marc"); // created ACTIVE: not a newcomer
    await expect(meetings.answer(welcome.id, settled, "oui")).rejects.toThrow("réservée au public suivant : Nouveaux Promeneurs du Net");
    const jeunesse = (await meetings.create(input({ audience: "jeunesse" }), animator)).meeting;
    const parent = await member("Nadia", { kind: "PARENTALITE" });
    await expect(meetings.answer(jeunesse.id, parent, "oui")).resolves.toMatchObject({ answer: "yes" });
    const cancelled = (await meetings.create(input(), animator)).meeting;
    await meetings.cancel(cancelled.id, undefined, animator);
    await expect(meetings.answer(cancelled.id, settled, "oui")).rejects.toThrow("est annulée");
    clock.set("2026-03-12T13:05:00Z");
    await expect(meetings.answer(jeunesse.id, settled, "oui")).rejects.toThrow("les réponses sont closes");
  });

  it("reschedules every pending reminder when the date changes, and tells those who answered", async () => {
    const { meetings, animator, member, input, jobs, store } = await setup();
    const { meeting } = await meetings.create(input(), animator);
    const lea = await member("Léa");
    await meetings.answer(meeting.id, lea, "oui");
    const result = await meetings.modify(meeting.id, { start: new Date("2026-03-19T09:00:00Z") }, animator);
    expect(result.changes).toEqual(["date : jeudi 12 mars 2026 à 14:00 → jeudi 19 mars 2026 à 10:00"]);
    expect(result.told).toBe(1);
    const pending = await jobs();
    expect(pending.filter((j) => j.kind === "meeting.reminder").map((j) => [j.dueAt.toISOString(), j.dedupeKey])).toEqual([
      ["2026-03-12T09:00:00.000Z", `meeting:${meeting.id}:s1:rappel:7j`],
      ["2026-03-18T09:00:00.000Z", `meeting:${meeting.id}:s1:rappel:1j`],
      ["2026-03-19T07:00:00.000Z", `meeting:${meeting.id}:s1:rappel:2h`],
    ]);
    expect(await store.prisma.job.count({ where: { dedupeKey: { startsWith: `meeting:${meeting.id}:s0:` }, state: "cancelled" } })).toBe(4);
    const notice = pending.find((j) => j.kind === "meeting.notice")!;
    expect(JSON.parse(notice.payload)).toMatchObject({ notice: "changed", memberIds: [lea.id] });
  });

  it("cancels the pending reminders of a cancelled meeting", async () => {
    const { meetings, animator, input, jobs } = await setup();
    const { meeting } = await meetings.create(input(), animator);
    await meetings.cancel(meeting.id, "salle indisponible", animator);
    expect(await jobs()).toEqual([]);
    await expect(meetings.cancel(meeting.id, undefined, animator)).rejects.toThrow("déjà annulée");
  });

  it("proposes attendance from the answers and stores it apart from them", async () => {
    const { meetings, animator, member, input, clock, store } = await setup();
    const { meeting } = await meetings.create(input({ audience: "jeunesse" }), animator);
    const [lea, hugo, ines] = [await member("Léa", { kind: "JEUNESSE" }), await member("Hugo", { kind: "JEUNESSE" }), await member("Inès", { kind: "PARENTALITE" })];
    await meetings.answer(meeting.id, lea, "oui");
    await meetings.answer(meeting.id, ines, "non");
    await expect(meetings.recordAttendance(meeting.id, new Map(), animator)).rejects.toThrow("n'a pas encore commencé");
    clock.set("2026-03-12T16:00:00Z");
    const sheet = await meetings.attendanceSheet(meeting.id);
    const byName = (s: typeof sheet) => Object.fromEntries(s.map((e) => [e.member.firstName, e.status]));
    expect(byName(sheet)).toEqual({ Hugo: "absent", Inès: "excused", Léa: "present", Sophie: "absent" });
    const saved = await meetings.recordAttendance(meeting.id, new Map([[hugo.id, "present" as const]]), animator);
    expect(byName(saved)).toMatchObject({ Hugo: "present", Léa: "present" });
    expect(saved.every((e) => e.recorded)).toBe(true);
    expect((await store.prisma.rsvp.findFirst({ where: { memberId: lea.id } }))?.answer).toBe("yes");
  });

  it("writes an .ics whose events keep their UID and raise their SEQUENCE when changed", async () => {
    const { meetings, animator, input, clock } = await setup();
    const { meeting } = await meetings.create(input(), animator);
    const first = buildCalendar(await meetings.upcoming("bot", { withCancelled: true }), clock.now());
    await meetings.modify(meeting.id, { place: "Salle des fêtes de Golbey" }, animator);
    await meetings.cancel(meeting.id, undefined, animator);
    const again = buildCalendar(await meetings.upcoming("bot", { withCancelled: true }), clock.now());
    expect(first).toContain(`UID:rencontre-${meeting.id}@promeneurs-du-net-vosges`);
    expect(first).toContain("SEQUENCE:0");
    expect(first).toContain("DTSTART:20260312T130000Z");
    expect(again).toContain(`UID:rencontre-${meeting.id}@promeneurs-du-net-vosges`);
    expect(again).toContain("SEQUENCE:2");
    expect(again).toContain("STATUS:CANCELLED");
  });
});
