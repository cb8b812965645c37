/**
 * The team's own meetings (steering committee, Caf points) exist for the team only, on every
 * read path: the list, the details, the .ics file, the buttons, the reminders and the channel.
 */
import { describe, expect, it } from "vitest";
import { canSeeMeeting } from "../../src/core/meetings/index.js";
import { createMeeting, discordDms, onDiscord, onSlack, promeneur, slackPost, startWorld } from "./meetings-world.js";

const COPIL = { type: "copil", titre: "Comité de pilotage 2026", visio: "https://visio.caf.fr/copil-secret", debut: "12 mars 14h", rappels: "1j" };

describe("staff-only meetings", () => {
  it("are invisible to a Promeneur on every read path, and visible to the team", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea", globalName: "Léa Martin" }).id;
    const noe = w.slack.addUser({ name: "noe", realName: "Noé Petit", firstName: "Noé" }).id;
    await promeneur(w, "Léa", { discord: lea }, { kind: "JEUNESSE", status: "ACTIVE" });
    await promeneur(w, "Noé", { slack: noe }, { kind: "JEUNESSE", status: "ACTIVE" });
    const caf = w.discord.addUser({ username: "ines", globalName: "Inès Caf" }).id;
    const referent = await promeneur(w, "Inès", { discord: caf }, { status: "ACTIVE" });
    await w.bot.store.prisma.member.update({ where: { id: referent.id }, data: { role: "REFERENT_CAF" } });
    const { id } = await createMeeting(w, { ...COPIL, lieu: "" });
    const meeting = await w.bot.store.prisma.meeting.findUniqueOrThrow({ where: { id } });
    expect(meeting.audience).toBe("equipe");

    const details = await onDiscord(w, lea, "details", { rencontre: id });
    expect(details.text).toContain(`La rencontre n° ${id} n'existe pas.`);
    const onSlackDetails = await onSlack(w, noe, `details rencontre:${id}`);
    expect(onSlackDetails.fullText).toContain(`La rencontre n° ${id} n'existe pas.`);
    const list = await onDiscord(w, lea, "liste");
    const ics = (await onDiscord(w, lea, "ics")).files[0]!.data.toString("utf8");
    // An old or forged button (the emulator only clicks buttons it has shown): through the router.
    const button = await w.bot.router.handle({ type: "component", user: { platform: "discord", id: lea, workspaceId: "", displayName: "Léa" }, channelId: "", canOpenModal: false, customId: `rencontre:rsvp:${id}:oui`, values: [] });
    expect(button.text).toContain("Ce bouton n'est plus valable : cette rencontre n'existe plus.");
    for (const shown of [details.text, onSlackDetails.fullText, list.text, ics, button.text ?? ""]) {
      expect(shown).not.toContain("Comité de pilotage");
      expect(shown).not.toContain("copil-secret");
    }
    expect(await w.bot.store.prisma.rsvp.count()).toBe(0);
    expect(slackPost(w, w.channels.slack.rencontres)).not.toContain("Comité de pilotage");

    // The team sees it everywhere.
    const staffDetails = await onDiscord(w, caf, "details", { rencontre: id });
    expect(staffDetails.text).toContain("Comité de pilotage 2026");
    expect((await onDiscord(w, w.animator, "ics")).files[0]!.data.toString("utf8")).toContain("copil-secret");

    // Reminders reach the team only.
    w.clock.set("2026-03-11T13:00:00Z");
    await w.bot.scheduler.tick();
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea).join("\n")).not.toContain("Comité de pilotage");
    expect(discordDms(w, caf).join("\n")).toContain("Comité de pilotage");
  });

  it("is one exported rule: team roles of the network see the team's meetings, nobody else does", () => {
    const equipe = { audience: "equipe" };
    expect(canSeeMeeting({ role: "PROMENEUR", status: "ACTIVE" }, equipe)).toBe(false);
    expect(canSeeMeeting({ role: "REFERENT_CAF", status: "ACTIVE" }, equipe)).toBe(true);
    expect(canSeeMeeting({ role: "ANIMATEUR", status: "INACTIVE" }, equipe)).toBe(false);
    expect(canSeeMeeting({ role: "PROMENEUR", status: "ACTIVE" }, { audience: "tous" })).toBe(true);
    expect(canSeeMeeting("bot", equipe)).toBe(true);
  });
});
