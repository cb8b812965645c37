/**
 * Practice-analysis scheduling end to end: slots proposed by the animator, answers from Discord
 * and Slack in a private paged view, and at closing the best slot becomes an « analyse de
 * pratique » meeting with its reminders (through the meetings feature).
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { postedIn, slackAnswer, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

// Now: Monday 2 March 2026. Answers close on Friday 6 March; slots the week after.
const SLOTS = "mardi 10 mars 9h ; mardi 10 mars de 14h à 17h ; jeudi 12 mars 9h ; jeudi 12 mars 14h ; vendredi 13 mars 9h30";

describe("practice-analysis scheduling", () => {
  it("turns the slot with the most « Disponible » into a practice-analysis meeting with its reminders", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    const planned = await slackCommand(slack, w.animator.slack, `/analyse planifier creneaux:"${SLOTS}" cloture:"vendredi 6 mars 18h" lieu:"MJC d'Épinal"`);
    expect(planned.fullText).toContain("Proposition de créneaux n°1 publiée (Discord et Slack) : 5 créneaux");
    const posted = messageText(postedIn(discord, w.channels.discord.rencontres)[0]);
    expect(posted).toContain("1. mardi 10 mars 2026, 09:00–12:00");
    expect(posted).toContain("2. mardi 10 mars 2026, 14:00–17:00");

    // Alice answers on Discord: four slots a page (Discord allows five rows), then the fifth.
    const view = await discord.clickButton({ userId: alice, customId: "analyse:repondre:1" }).final();
    expect(view.ephemeral).toBe(true);
    expect(view.customIds).toEqual(["analyse:dispo:1:1:1", "analyse:dispo:1:2:1", "analyse:dispo:1:3:1", "analyse:dispo:1:4:1", "analyse:page:1:2"]);
    await discord.selectMenu({ userId: alice, customId: "analyse:dispo:1:1:1", values: ["non"] }).final();
    const after = await discord.selectMenu({ userId: alice, customId: "analyse:dispo:1:3:1", values: ["oui"] }).final();
    expect(JSON.stringify(after.components)).toContain("3. jeudi 12 mars 2026, 09:00–12:00 — Disponible");
    const page2 = await discord.clickButton({ userId: alice, customId: "analyse:page:1:2" }).final();
    expect(page2.customIds).toEqual(["analyse:dispo:1:5:2", "analyse:page:1:1"]);
    await discord.selectMenu({ userId: alice, customId: "analyse:dispo:1:5:2", values: ["sibesoin"] }).final();

    // Chloé answers on Slack.
    await slackAnswer(slack.clickButton({ userId: chloe, actionId: "analyse:repondre:1" }));
    await slackAnswer(slack.selectOption({ userId: chloe, actionId: "analyse:dispo:1:3:1", value: "oui" }));
    await slackAnswer(slack.selectOption({ userId: chloe, actionId: "analyse:dispo:1:1:1", value: "sibesoin" }));
    expect(slack.problems).toEqual([]);
    await w.c.live.flush();
    expect(slack.messagesIn(w.channels.slack.rencontres).filter((m) => !m.ephemeral)[0]!.fullText).toMatch(/3\. jeudi 12 mars 2026[^\n]*\n✅ Disponible : 2/);

    const details = await slackCommand(slack, w.animator.slack, "/analyse reponses");
    expect(details.fullText).toMatch(/3\. jeudi 12 mars[\s\S]*✅ Alice Martin, chloe/);

    w.clock.set("2026-03-06T17:00:00Z");
    await w.bot.scheduler.tick();
    const poll = await w.bot.store.prisma.availabilityPoll.findUniqueOrThrow({ where: { id: 1 }, include: { slots: true } });
    expect(poll.state).toBe("closed");
    expect(poll.slots.find((s) => s.id === poll.chosenSlotId)?.position).toBe(3);
    expect(poll.meetingError).toBeNull();
    const meeting = await w.bot.store.prisma.meeting.findUniqueOrThrow({ where: { id: Number(poll.meetingId) } });
    expect(meeting).toMatchObject({ type: "analyse_pratique", title: "Analyse de pratique", startsAt: new Date("2026-03-12T08:00:00Z"), endsAt: new Date("2026-03-12T11:00:00Z") });
    const reminders = await w.bot.store.prisma.job.findMany({ where: { kind: "meeting.reminder", state: "pending" } });
    expect(reminders.length).toBeGreaterThan(0);
    const result = slack.messagesIn(w.channels.slack.rencontres).filter((m) => m.fullText.includes("créneau retenu"));
    expect(result).toHaveLength(1);
    expect(result[0]!.fullText).toContain("jeudi 12 mars 2026, 09:00–12:00");
    // A second tick changes nothing.
    await w.bot.scheduler.tick();
    expect(await w.bot.store.prisma.meeting.count()).toBe(1);
  });

  it("lets the animator choose another slot after closing, and the meeting moves with it", async () => {
    w = await startWorld();
    const { discord } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    await slackCommand(w.slack, w.animator.slack, `/analyse planifier creneaux:"mardi 10 mars 9h ; jeudi 12 mars 14h" cloture:"vendredi 6 mars 18h" visio:"https://visio.example.org/ap"`);
    for (const [userId, position] of [[alice, 1], [bruno, 2]] as const) {
      await discord.clickButton({ userId, customId: "analyse:repondre:1" }).final();
      await discord.selectMenu({ userId, customId: `analyse:dispo:1:${position}:1`, values: ["oui"] }).final();
    }
    w.clock.set("2026-03-06T17:00:00Z");
    await w.bot.scheduler.tick();
    await w.bot.scheduler.tick();
    const before = await w.bot.store.prisma.availabilityPoll.findUniqueOrThrow({ where: { id: 1 } });
    const chosen = await slackCommand(w.slack, w.animator.slack, "/analyse choisir creneau:2");
    expect(chosen.fullText).toContain("Créneau 2 retenu à la place du précédent (jeudi 12 mars 2026, 14:00–17:00)");
    expect(chosen.fullText).toContain("La rencontre est déplacée sur ce créneau");
    const meeting = await w.bot.store.prisma.meeting.findUniqueOrThrow({ where: { id: Number(before.meetingId) } });
    expect(meeting.startsAt).toEqual(new Date("2026-03-12T13:00:00Z"));
    expect(await w.bot.store.prisma.meeting.count()).toBe(1);

    // Bruno, « Disponible » for the new slot, is registered and told; Alice, who already had her
    // answer on the meeting, hears of the move from the meeting itself, not twice.
    await w.bot.scheduler.tick();
    const answers = await w.bot.store.prisma.rsvp.findMany({ where: { meetingId: meeting.id }, orderBy: { memberId: "asc" } });
    const ids = await Promise.all([alice, bruno].map(async (u) => (await w!.bot.services.members.findByRef(u, "discord")).id));
    expect(answers.map((a) => [a.memberId, a.answer])).toEqual(ids.map((id) => [id, "yes"]));
    const told = (userId: string) => discord.dmsTo(userId).map(messageText).filter((t) => t.includes("créneau retenu"));
    expect(told(bruno)).toHaveLength(2);
    expect(told(bruno)[1]).toContain("jeudi 12 mars 2026, 14:00–17:00");
    expect(told(bruno)[1]).toContain("votre réponse « Je viens » est enregistrée");
    expect(told(alice)).toHaveLength(1);
  });

  it("refuses slots before the closing date, a single slot or an unreadable one, writing nothing", async () => {
    w = await startWorld();
    const refused = await slackCommand(w.slack, w.animator.slack, `/analyse planifier creneaux:"mercredi 4 mars 9h ; n'importe quand" cloture:"vendredi 6 mars 18h"`);
    expect(refused.fullText).toContain("le créneau 1 (mercredi 4 mars 2026, 09:00–12:00) commence avant la clôture");
    expect(refused.fullText).toContain("créneau 2 : je ne reconnais pas de date");
    const single = await slackCommand(w.slack, w.animator.slack, `/analyse planifier creneaux:"mardi 10 mars 9h" cloture:"vendredi 6 mars 18h"`);
    expect(single.fullText).toContain("de 2 à 8 créneaux (1 donné)");
    expect(await w.bot.store.prisma.availabilityPoll.count()).toBe(0);
    expect(await w.bot.store.prisma.job.count({ where: { kind: "availability.close" } })).toBe(0);
  });
});
