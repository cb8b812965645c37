import { describe, expect, it } from "vitest";
import { awaitingWelcomeMeeting } from "../../../src/core/onboarding/reading.js";
import { readSettings, writeSettings } from "../../../src/core/onboarding/settings.js";
import { stateReply } from "../../../src/core/onboarding/views.js";
import { runPendingNudge, setUp, UP_TO_PRESENTATION, user, walk } from "./helpers.js";

describe("starting a journey", () => {
  it("starts once when two arrivals come together, and makes the newcomer an onboarding member", async () => {
    const { onboarding, services, store } = await setUp();
    const member = await services.members.create({ firstName: "Inès" }, null); // created active by the animator
    const outcomes = await Promise.all([onboarding.start(member, { actorId: null, origin: "slack" }), onboarding.start(member, { actorId: null, origin: "slack" })]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["already", "started"]);
    expect(await store.prisma.onboardingJourney.count()).toBe(1);
    expect((await services.members.get(member.id))?.status).toBe("ONBOARDING");
    const welcome = await services.jobs.list({ kind: "onboarding.message" });
    expect(welcome.map((j) => JSON.parse(j.payload).message)).toEqual(["etape"]);
  });
});

describe("recording steps", () => {
  it("records each step once, and one step at a time", async () => {
    const { onboarding, services, store } = await setUp();
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    expect((await onboarding.record(member.id, "charte")).status).toBe("not-yet");
    expect((await onboarding.record(member.id, "accueil")).status).toBe("recorded");
    const twice = await Promise.all([onboarding.record(member.id, "charte"), onboarding.record(member.id, "charte")]);
    expect(twice.map((o) => o.status).sort()).toEqual(["already", "recorded"]);
    expect(await store.prisma.onboardingStep.count({ where: { key: "charte" } })).toBe(1);
  });

  it("counts the nudges from the last progress, at 10:00 in Paris", async () => {
    const { onboarding, services, clock } = await setUp();
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    const pending = async () => (await services.jobs.list({ kind: "onboarding.followup", state: "pending" })).map((j) => ({ due: j.dueAt.toISOString(), ...JSON.parse(j.payload) }));
    expect(await pending()).toEqual([{ due: "2026-03-05T09:00:00.000Z", journeyId: 1, sequence: 1, index: 0 }]);
    clock.set("2026-03-03T08:00:00Z"); // Tuesday
    await onboarding.record(member.id, "accueil");
    expect(await pending()).toEqual([{ due: "2026-03-06T09:00:00.000Z", journeyId: 1, sequence: 2, index: 0 }]);
    expect(await services.jobs.list({ kind: "onboarding.followup", state: "cancelled" })).toHaveLength(1);
  });

  it("ends with no welcome meeting planned: active member, end message planned once", async () => {
    const { onboarding, services, store } = await setUp();
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    const last = await walk(onboarding, member.id, [...UP_TO_PRESENTATION, "presentation"]);
    expect(last).toMatchObject({ status: "recorded", completed: true });
    expect((await services.members.get(member.id))?.status).toBe("ACTIVE");
    const state = (await onboarding.stateOf(member.id))!;
    expect(state.journey.state).toBe("completed");
    expect(state.progress.get("rencontre")?.details).toEqual({ rencontre: null });
    expect((await services.jobs.list({ kind: "onboarding.message", dedupeKey: "onboarding:1:fin" })).length).toBe(1);
    expect(await services.jobs.list({ kind: "onboarding.followup", state: "pending" })).toEqual([]);
    expect((await onboarding.record(member.id, "presentation")).status).toBe("completed");
    expect(await store.prisma.auditLog.count({ where: { action: "onboarding.complete" } })).toBe(1);
    expect(await awaitingWelcomeMeeting(store.prisma)).toEqual([member.id]);
  });
});

describe("the welcome meeting", () => {
  async function planWelcomeMeeting(store: Awaited<ReturnType<typeof setUp>>["store"], startsAt: string) {
    const now = new Date("2026-03-01T00:00:00Z");
    const end = new Date(new Date(startsAt).getTime() + 2 * 3600_000);
    return store.prisma.meeting.create({
      data: { type: "accueil_nouveaux", title: "Accueil des nouveaux 2026", startsAt: new Date(startsAt), endsAt: end, place: "Caf d'Épinal", audience: "nouveaux", reminders: "", createdAt: now, updatedAt: now },
    });
  }

  it("waits for the newcomer's answer, given through the meetings feature, then ends the journey", async () => {
    const { onboarding, services, store } = await setUp();
    await store.prisma.meeting.create({
      data: { type: "formation", title: "Formation", startsAt: new Date("2026-03-10T13:00:00Z"), endsAt: new Date("2026-03-10T15:00:00Z"), audience: "tous", reminders: "", createdAt: new Date(), updatedAt: new Date() },
    });
    const meeting = await planWelcomeMeeting(store, "2026-03-20T13:00:00Z");
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    const reached = await walk(onboarding, member.id, [...UP_TO_PRESENTATION, "presentation"]);
    expect(reached).toMatchObject({ status: "recorded", completed: false });
    const invitation = await stateReply(onboarding, (await onboarding.stateOf(member.id))!);
    expect(invitation.text).toContain("**Accueil des nouveaux 2026** — vendredi 20 mars 2026 à 14:00, Caf d'Épinal");
    expect(invitation.components?.flatMap((r) => ("buttons" in r ? r.buttons : [])).map((b) => ("id" in b ? b.id : ""))).toEqual([
      `accueil:rsvp:${meeting.id}:oui`,
      `accueil:rsvp:${meeting.id}:peutetre`,
      `accueil:rsvp:${meeting.id}:non`,
    ]);

    // Still onboarding when answering: the meeting is for newcomers.
    const { notice, outcome } = await onboarding.answerMeeting((await services.members.get(member.id))!, meeting.id, "oui");
    expect(notice).toContain("Votre réponse à « Accueil des nouveaux 2026 »");
    expect(notice).toContain("Je viens");
    expect(outcome).toMatchObject({ status: "recorded", completed: true });
    expect(await store.prisma.rsvp.findMany({ select: { memberId: true, answer: true } })).toEqual([{ memberId: member.id, answer: "yes" }]);
    expect((await onboarding.stateOf(member.id))!.progress.get("rencontre")?.details).toMatchObject({ rencontre: meeting.id, réponse: "Je viens" });
    expect(await awaitingWelcomeMeeting(store.prisma)).toEqual([]);
  });

  it("counts an answer given from the meeting's own message at the next look", async () => {
    const { onboarding, services, store } = await setUp();
    const meeting = await planWelcomeMeeting(store, "2026-03-20T13:00:00Z");
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    await walk(onboarding, member.id, [...UP_TO_PRESENTATION, "presentation"]);
    await store.prisma.rsvp.create({ data: { meetingId: meeting.id, memberId: member.id, answer: "maybe", answeredAt: new Date() } });
    const settled = await onboarding.catchUp((await onboarding.stateOf(member.id))!);
    expect(settled).toMatchObject({ status: "recorded", completed: true });
  });
});

describe("leaving and ending", () => {
  it("lets the animator end a journey by hand, with the step and the reason in the audit log", async () => {
    const { onboarding, services, store, admin } = await setUp();
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: admin.id, origin: "animateur" });
    await onboarding.override(member.id, admin.id, "accueillie en rendez-vous à la Caf");
    expect((await services.members.get(member.id))?.status).toBe("ACTIVE");
    const entry = await store.prisma.auditLog.findFirst({ where: { action: "onboarding.override" } });
    expect(entry?.actorId).toBe(admin.id);
    expect(JSON.parse(entry!.details)).toMatchObject({ étape: "1/6 — Bienvenue dans le réseau des Promeneurs du Net des Vosges", motif: "accueillie en rendez-vous à la Caf" });
    await expect(onboarding.override(member.id, admin.id, "encore")).rejects.toThrow("Parcours d'accueil déjà terminé pour Inès Roy");
  });
});

describe("settings", () => {
  it("refuses an alert before the last reminder, writing nothing", async () => {
    const { services, store, admin, clock } = await setUp();
    const current = await readSettings(services.settings);
    expect(current).toEqual({ autoStart: true, reminderDays: [3, 7], alertDays: 14 });
    await expect(writeSettings(store.prisma, clock, current, { alertDays: 5 }, admin.id)).rejects.toThrow(
      "L'alerte à l'animateur (5 j) doit venir après la dernière relance (7 j). Rien n'a été modifié.",
    );
    expect(await store.prisma.setting.count({ where: { key: { startsWith: "accueil:" } } })).toBe(0);
  });

  it("moves the pending reminders to new delays", async () => {
    const { onboarding, services, store, admin, clock } = await setUp();
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    const next = await writeSettings(store.prisma, clock, await readSettings(services.settings), { reminderDays: [2, 5], alertDays: 10 }, admin.id);
    expect(await onboarding.replan(next)).toBe(1);
    const [job] = await services.jobs.list({ kind: "onboarding.followup", state: "pending" });
    expect(job?.dueAt.toISOString()).toBe("2026-03-04T09:00:00.000Z"); // Monday 09:00 + 2 days → Wednesday 10:00
  });

  it("brings a reminder back when the delays that dropped it return, the chain going on from there", async () => {
    const { onboarding, jobs, services, store, admin, clock } = await setUp();
    const member = await services.members.resolveOrRegister(user("discord", "D1", "Inès Roy"));
    await onboarding.start(member, { actorId: null, origin: "discord" });
    const pending = async () => (await services.jobs.list({ kind: "onboarding.followup", state: "pending" })).map((j) => ({ due: j.dueAt.toISOString(), index: JSON.parse(j.payload).index }));
    // The two reminders go out (day 3, day 7); the animator's alert (day 14) is next.
    for (let i = 0; i < 2; i++) await runPendingNudge({ jobs, services, clock });
    expect(await pending()).toEqual([{ due: "2026-03-16T09:00:00.000Z", index: 2 }]);

    const shorter = await writeSettings(store.prisma, clock, await readSettings(services.settings), { reminderDays: [3] }, admin.id);
    await onboarding.replan(shorter);
    expect(await pending()).toEqual([]);
    const back = await writeSettings(store.prisma, clock, shorter, { reminderDays: [3, 7] }, admin.id);
    expect(await onboarding.replan(back)).toBe(1);
    expect(await pending()).toEqual([{ due: "2026-03-16T09:00:00.000Z", index: 2 }]);
  });
});
