/**
 * Matrix has no buttons: each choice of a bot message is answered by reacting with its emoji or by
 * writing its number in the message's thread (or in reply to it). Both must work for the meeting
 * card's RSVP and for other choices, and keep working on messages sent before a restart.
 */
import { describe, expect, it } from "vitest";
import { command, privateMessage, privateMessages, startMatrixWorld, type MatrixWorld } from "./matrix-world.js";

async function meetingCard(w: MatrixWorld, title: string) {
  await command(w, w.nora, `!rencontre creer type:departementale titre:"${title}" debut:"12 mars 14h" lieu:"MJC Épinal"`);
  return w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && m.body.includes(title) && !m.threadRoot && !m.replaces, "the meeting card");
}

async function leoAnswers(w: MatrixWorld): Promise<string[]> {
  const member = await w.bot.services.members.findByRef(w.leo.userId, "matrix");
  return (await w.bot.store.prisma.rsvp.findMany({ where: { memberId: member.id } })).map((a) => a.answer);
}

describe("answering a Matrix choice by its number", { timeout: 180_000 }, () => {
  it("takes « 2 » in the meeting card's thread as ❔ Peut-être, and edits the card in place", async () => {
    const w = await startMatrixWorld();
    const card = await meetingCard(w, "Les écrans en famille");
    expect(card.body).toContain("❔ Peut-être");
    await w.leo.say(w.roomId, "2", card.eventId);
    await privateMessage(w, w.leo, () => true, "the RSVP confirmation");
    await expect.poll(() => leoAnswers(w), { timeout: 45_000 }).toEqual(["maybe"]);
    await w.leo.waitFor((m) => m.replaces === card.eventId && /Peut-être\D*1/.test(m.body), "the card edited with one maybe");
  });

  it("answers a reaction and a number on a card sent before a restart", async () => {
    const w = await startMatrixWorld();
    const card = await meetingCard(w, "Accueillir les 11-15 ans");
    await w.restart();
    await w.leo.react(w.roomId, card.eventId, "❌");
    await expect.poll(() => leoAnswers(w), { timeout: 45_000 }).toEqual(["no"]);
    await w.leo.say(w.roomId, "1", card.eventId);
    await expect.poll(() => leoAnswers(w), { timeout: 45_000 }).toEqual(["yes"]);
  });

  it("takes the number written in reply to a private ballot (a vote, not an RSVP)", async () => {
    const w = await startMatrixWorld();
    await command(w, w.nora, '!sondage creer question:"Quel horaire pour la permanence ?" options:"Matin ; Après-midi" cloture:"mercredi 4 mars 18h" anonyme:oui');
    const card = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && m.body.includes("Quel horaire pour la permanence"), "the anonymous poll card");
    await w.leo.react(w.roomId, card.eventId, "🗳️");
    const ballot = await privateMessage(w, w.leo, (m) => m.body.includes("Quel horaire pour la permanence"), "the private ballot");
    await w.leo.say(ballot.roomId, "2", undefined, ballot.eventId);
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré : 2. Après-midi"), "the vote's confirmation");
    expect(privateMessages(w, w.leo).filter((m) => m.body.includes("Vote enregistré"))).toHaveLength(1);
    expect(await w.bot.store.prisma.vote.count()).toBe(1);
  });

  it("brings the private ballot of an anonymous poll's card sent before a restart", async () => {
    const w = await startMatrixWorld();
    await command(w, w.nora, '!sondage creer question:"Faut-il ouvrir le samedi ?" options:"Oui ; Non" cloture:"mercredi 4 mars 18h" anonyme:oui');
    const card = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && m.body.includes("Faut-il ouvrir le samedi"), "the anonymous poll card");
    await w.restart();
    await w.leo.react(w.roomId, card.eventId, "🗳️");
    const ballot = await privateMessage(w, w.leo, (m) => m.body.includes("Faut-il ouvrir le samedi"), "the private ballot");
    expect(ballot.body).toContain("2️⃣ 2. Non");
    await w.leo.react(ballot.roomId, ballot.eventId, "2️⃣");
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré : 2. Non"), "the vote's confirmation");
    expect(await w.bot.store.prisma.vote.count()).toBe(1);
  });
});
