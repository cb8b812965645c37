/**
 * What follows the choice of a practice-analysis slot, end to end on the Discord and Slack
 * emulators: the meeting is created where /analyse planifier said (place, visio link, seats),
 * those who were « Disponible » for that slot are registered « Je viens » (waiting list beyond
 * the seats), every respondent is told privately which slot was chosen, and the animator's
 * reading of the answers says it right when nobody has answered yet.
 */
import { afterEach, describe, expect, it } from "vitest";
import { customIdsOf } from "../emulators/discord/interaction-handle.js";
import { messageText } from "../emulators/discord/message-content.js";
import { slackAnswer, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

// Now: Monday 2 March 2026. Answers close on Friday 6 March; slots the week after.
const PLAN = `/analyse planifier creneaux:"mardi 10 mars 9h ; jeudi 12 mars 14h" cloture:"vendredi 6 mars 18h"`;
const CLOSING = "2026-03-06T17:00:00Z";

async function answerOnDiscord(world: World, userId: string, position: number, value: string) {
  await world.discord.clickButton({ userId, customId: "analyse:repondre:1" }).final();
  await world.discord.selectMenu({ userId, customId: `analyse:dispo:1:${position}:1`, values: [value] }).final();
}

async function memberId(world: World, platform: "discord" | "slack", userId: string) {
  return (await world.bot.services.members.findByRef(userId, platform)).id;
}

describe("the chosen practice-analysis slot", () => {
  it("becomes a meeting at the place, visio link and seats given, with the « Disponible » registered and every respondent told", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    const planned = await slackCommand(slack, w.animator.slack, `${PLAN} lieu:"MJC d'Épinal, salle 2" visio:"https://visio.example.org/analyse" places:1`);
    expect(planned.fullText).toContain("Proposition de créneaux n°1 publiée");

    // Alice is « Disponible » first, then Chloé: one seat, so Chloé waits. Bruno only « Si besoin ».
    await answerOnDiscord(w, alice, 1, "oui");
    w.clock.set("2026-03-02T09:00:00Z");
    await slackAnswer(slack.clickButton({ userId: chloe, actionId: "analyse:repondre:1" }));
    await slackAnswer(slack.selectOption({ userId: chloe, actionId: "analyse:dispo:1:1:1", value: "oui" }));
    await answerOnDiscord(w, bruno, 1, "sibesoin");
    await answerOnDiscord(w, bruno, 2, "non");

    w.clock.set(CLOSING);
    await w.bot.scheduler.tick();
    await w.bot.scheduler.tick();
    const poll = await w.bot.store.prisma.availabilityPoll.findUniqueOrThrow({ where: { id: 1 } });
    const meeting = await w.bot.store.prisma.meeting.findUniqueOrThrow({ where: { id: Number(poll.meetingId) } });
    expect(meeting).toMatchObject({ place: "MJC d'Épinal, salle 2", visioUrl: "https://visio.example.org/analyse", capacity: 1, startsAt: new Date("2026-03-10T08:00:00Z") });

    const rsvps = await w.bot.store.prisma.rsvp.findMany({ where: { meetingId: meeting.id } });
    const byMember = new Map(rsvps.map((r) => [r.memberId, r.answer]));
    expect(byMember.get(await memberId(w, "discord", alice))).toBe("yes");
    expect(byMember.get(await memberId(w, "slack", chloe))).toBe("waitlist");
    expect(byMember.has(await memberId(w, "discord", bruno))).toBe(false);

    const toAlice = discord.dmsTo(alice).map(messageText).filter((t) => t.includes("créneau retenu"));
    expect(toAlice).toHaveLength(1);
    expect(toAlice[0]).toContain("mardi 10 mars 2026, 09:00–12:00");
    expect(toAlice[0]).toContain("MJC d'Épinal, salle 2");
    expect(toAlice[0]).toContain("votre réponse « Je viens » est enregistrée");
    const toChloe = slack.dmsTo(chloe).map((m) => m.fullText).filter((t) => t.includes("créneau retenu"));
    expect(toChloe).toHaveLength(1);
    expect(toChloe[0]).toContain("liste d'attente (position 1)");
    const toBruno = discord.dmsTo(bruno).filter((m) => messageText(m).includes("créneau retenu"));
    expect(toBruno).toHaveLength(1);
    expect(messageText(toBruno[0]!)).toContain("Vous aviez répondu « Si besoin » pour ce créneau");
    expect(customIdsOf(toBruno[0]!)).toContain(`rencontre:rsvp:${meeting.id}:oui`);
    // The animator, who did not answer, is not told; nobody is told twice.
    expect(slack.dmsTo(w.animator.slack).filter((m) => m.fullText.includes("créneau retenu"))).toHaveLength(0);
    await w.bot.scheduler.tick();
    expect(discord.dmsTo(alice).filter((m) => messageText(m).includes("créneau retenu"))).toHaveLength(1);
  });

  it("refuses a place, a visio link or seats that /rencontre creer would refuse, and a poll with neither place nor visio, writing nothing", async () => {
    w = await startWorld();
    const badVisio = await slackCommand(w.slack, w.animator.slack, `${PLAN} visio:"http://visio.example.org/analyse"`);
    expect(badVisio.fullText).toContain("une adresse https://…");
    const badPlace = await slackCommand(w.slack, w.animator.slack, `${PLAN} lieu:"X"`);
    expect(badPlace.fullText).toContain("2 caractères au moins");
    const badSeats = await slackCommand(w.slack, w.animator.slack, `${PLAN} lieu:"MJC" places:0`);
    expect(badSeats.fullText).toContain("1 place au moins");
    const nowhere = await slackCommand(w.slack, w.animator.slack, PLAN);
    expect(nowhere.fullText).toContain("indiquez un lieu, ou un lien de visio avec l'option visio");
    expect(await w.bot.store.prisma.availabilityPoll.count()).toBe(0);
    expect(await w.bot.store.prisma.job.count({ where: { kind: "availability.close" } })).toBe(0);
  });

  it("reads the answers right: no leading slot before anyone answered, singular and plural counts", async () => {
    w = await startWorld();
    const alice = w.discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = w.discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    await slackCommand(w.slack, w.animator.slack, `${PLAN} lieu:"MJC d'Épinal"`);
    const none = await slackCommand(w.slack, w.animator.slack, "/analyse reponses");
    expect(none.fullText).toContain("Personne n'a encore répondu.");
    expect(none.fullText).not.toContain("En tête");
    expect(none.fullText).not.toContain("(s)");

    await answerOnDiscord(w, alice, 2, "oui");
    const one = await slackCommand(w.slack, w.animator.slack, "/analyse reponses");
    expect(one.fullText).toContain("1 personne a répondu. En tête pour l'instant : créneau 2.");
    await answerOnDiscord(w, bruno, 1, "sibesoin");
    const two = await slackCommand(w.slack, w.animator.slack, "/analyse reponses");
    expect(two.fullText).toContain("2 personnes ont répondu. En tête pour l'instant : créneau 2.");
  });
});
