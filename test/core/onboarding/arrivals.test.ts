/** Joins and departures seen on the platforms, as the running bot's listeners pass them on. */
import { describe, expect, it } from "vitest";
import { readSettings, writeSettings } from "../../../src/core/onboarding/settings.js";
import { setUp, user } from "./helpers.js";

describe("arrivals", () => {
  it("starts on arrival only for newcomers, and on Slack only in the network channel", async () => {
    const { onboarding, arrivals, services, store, admin } = await setUp();
    await services.settings.setChannel("slack", "reseau", "CRESEAU", admin.id);
    await arrivals.onJoined({ type: "joined", user: user("slack", "U1", "Inès Roy"), channelId: "CAUTRE" });
    expect(await store.prisma.member.count({ where: { displayName: "Inès Roy" } })).toBe(0);
    await arrivals.onJoined({ type: "joined", user: user("slack", "U1", "Inès Roy"), channelId: "CRESEAU" });
    const ines = await services.members.findByRef("U1", "slack");
    expect((await onboarding.stateOf(ines.id))?.journey).toMatchObject({ state: "active", origin: "slack", originChannelId: "CRESEAU" });

    const known = await services.members.create({ firstName: "Paul" }, admin.id);
    await services.members.link(known.id, { platform: "discord", externalId: "900000000000000009" }, admin.id);
    await arrivals.onJoined({ type: "joined", user: user("discord", "900000000000000009", "Paul") });
    expect(await onboarding.stateOf(known.id)).toBeNull(); // already an active member

    await writeSettings(store.prisma, { now: () => new Date() }, await readSettings(services.settings), { autoStart: false }, admin.id);
    await arrivals.onJoined({ type: "joined", user: user("discord", "D10", "Zoé") });
    expect(await store.prisma.platformAccount.count({ where: { externalId: "D10" } })).toBe(0);
  });

  it("stops when the member leaves, on Slack only for the network channel, and resumes where it was", async () => {
    const { onboarding, arrivals, services, store, admin } = await setUp();
    await services.settings.setChannel("slack", "reseau", "CRESEAU", admin.id);
    await arrivals.onJoined({ type: "joined", user: user("slack", "U1", "Inès Roy") });
    const ines = await services.members.findByRef("U1", "slack");
    await onboarding.record(ines.id, "accueil");
    await arrivals.onLeft({ type: "left", user: user("slack", "U1", "Inès Roy"), channelId: "CAUTRE" });
    expect((await onboarding.stateOf(ines.id))?.journey.state).toBe("active");
    await arrivals.onLeft({ type: "left", user: user("slack", "U1", "Inès Roy"), channelId: "CRESEAU" });
    expect((await onboarding.stateOf(ines.id))?.journey).toMatchObject({ state: "stopped", stopReason: "a quitté l'espace Slack du réseau" });
    expect(await services.jobs.list({ kind: "onboarding.followup", state: "pending" })).toEqual([]);
    expect((await services.jobs.list({ kind: "onboarding.message" })).map((j) => JSON.parse(j.payload).message)).toContain("depart");

    await arrivals.onJoined({ type: "joined", user: user("slack", "U1", "Inès Roy"), channelId: "CRESEAU" });
    const back = (await onboarding.stateOf(ines.id))!;
    expect(back.journey.state).toBe("active");
    expect(onboarding.currentStep(back).label).toBe("2/6 — La charte des Promeneurs du Net 88");
    expect(await store.prisma.onboardingJourney.count()).toBe(1);
  });
});
