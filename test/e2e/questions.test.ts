/**
 * Questions to the animator and the monthly activity reminder, end to end on the emulators: the
 * real bot, a clock the spec moves, the scheduler ticked by hand.
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { postedIn, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

async function withAnimationChannel(world: World): Promise<string> {
  const channel = world.discord.addChannel({ name: "animation" }).id;
  const admin = await world.bot.services.members.findByRef(world.animator.discord, "discord");
  await world.bot.services.settings.setChannel("discord", "animation", channel, admin.id);
  return channel;
}

describe("questions to the animator", () => {
  it("goes from the asker's form to the animator's channel, and the answer back to the asker in private", async () => {
    w = await startWorld();
    const { discord } = w;
    const animation = await withAnimationChannel(w);
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;

    const form = await discord.sendCommand({ userId: alice, name: "question", subcommand: "poser", options: { categorie: "reglementation" } }).final();
    expect(form.modal?.custom_id).toBe("question:poser");
    expect(JSON.stringify(form.modal)).toContain("Jamais le nom, l'âge ou l'adresse d'un jeune ou d'un parent");
    const sent = await discord
      .submitModal({ userId: alice, customId: "question:poser", fields: { sujet: "Photos de jeunes", question: "Peut-on publier la photo d'un atelier sur Instagram ?", categorie: "reglementation" } })
      .final();
    expect(sent.text).toContain("Votre question n° 1 est transmise");
    expect(sent.text).toContain("N'écrivez jamais le nom");
    const card = postedIn(discord, animation).at(-1)!;
    expect(messageText(card)).toContain("Question n° 1 — Photos de jeunes");
    expect(messageText(card)).toContain("Réglementation");

    // Another Promeneur: the same words as for a question that does not exist, and no list.
    const peek = await discord.sendCommand({ userId: bruno, name: "question", subcommand: "voir", options: { id: 1 } }).final();
    expect(peek.text).toContain("Question n° 1 introuvable.");
    expect(peek.text).not.toContain("Photos");
    const list = await discord.sendCommand({ userId: bruno, name: "question", subcommand: "liste" }).final();
    expect(list.text).not.toContain("Photos");
    const denied = await discord.clickButton({ userId: bruno, customId: "question:repondre:1" }).final();
    expect(denied.modal).toBeUndefined();
    expect(denied.text).toContain("Animateur du réseau");

    const answerForm = await discord.clickButton({ userId: w.animator.discord, customId: "question:repondre:1" }).final();
    expect(answerForm.modal?.custom_id).toBe("question:repondre:1");
    w.clock.advance(2 * 3600_000);
    const answered = await discord
      .submitModal({ userId: w.animator.discord, customId: "question:repondre:1", fields: { reponse: "Oui, avec l'autorisation écrite des parents." } })
      .final();
    expect(answered.text).toContain("Réponse envoyée en privé pour la question n° 1.");
    const dms = discord.dmsTo(alice).map((m) => messageText(m));
    expect(dms.some((t) => t.includes("Réponse à votre question n° 1") && t.includes("autorisation écrite des parents"))).toBe(true);
    expect(discord.dmsTo(bruno).map((m) => messageText(m)).join("\n")).not.toContain("autorisation");

    const mine = await discord.sendCommand({ userId: alice, name: "question", subcommand: "mes-questions" }).final();
    expect(mine.text).toContain("n° 1** Photos de jeunes — Réglementation — répondue");
    expect(mine.text).toContain("autorisation écrite des parents");
    const q = await w.bot.store.prisma.question.findUniqueOrThrow({ where: { id: 1 } });
    expect(q.firstAnsweredAt!.getTime() - q.askedAt.getTime()).toBe(2 * 3600_000);

    await discord.clickButton({ userId: w.animator.discord, customId: "question:clore:1" }).final();
    const staffList = await slackCommand(w.slack, w.animator.slack, "/question liste");
    expect(staffList.fullText).toContain("Photos de jeunes — Réglementation — close");
  });
});

describe("/question repondre, clore and relancer on Discord", () => {
  it("lets the animator answer by command or form, the asker follow up, and refuses a Promeneur the staff commands", async () => {
    w = await startWorld();
    const { discord } = w;
    const animation = await withAnimationChannel(w);
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    await discord
      .submitModal({ userId: alice, customId: "question:poser", fields: { sujet: "Photos de jeunes", question: "Peut-on publier la photo d'un atelier ?", categorie: "reglementation" } })
      .final();

    const refused = await discord.sendCommand({ userId: bruno, name: "question", subcommand: "repondre", options: { id: 1, texte: "Non." } }).final();
    expect(refused.text).toContain("réservée aux rôles suivants");
    expect(await w.bot.store.prisma.questionAnswer.count()).toBe(0);
    const notHis = await discord.sendCommand({ userId: bruno, name: "question", subcommand: "relancer", options: { id: 1, texte: "Alors ?" } }).final();
    expect(notHis.text).toContain("Question n° 1 introuvable.");

    const answered = await discord.sendCommand({ userId: w.animator.discord, name: "question", subcommand: "repondre", options: { id: 1, texte: "Oui, avec l'accord écrit des parents." } }).final();
    expect(answered.text).toContain("Réponse envoyée en privé pour la question n° 1.");
    expect(discord.dmsTo(alice).map((m) => messageText(m)).join("\n")).toContain("/question relancer id:1");

    const form = await discord.sendCommand({ userId: alice, name: "question", subcommand: "relancer", options: { id: 1 } }).final();
    expect(form.modal?.custom_id).toBe("question:relancer:1");
    const followed = await discord.submitModal({ userId: alice, customId: "question:relancer:1", fields: { relance: "Et pour une vidéo ?" } }).final();
    expect(followed.text).toContain("Votre relance de la question n° 1 est transmise");
    const card = postedIn(discord, animation).at(-1)!;
    expect(messageText(card)).toContain("Relance de la question n° 1 — Photos de jeunes");
    expect(messageText(card)).toContain("Et pour une vidéo ?");

    const answerForm = await discord.sendCommand({ userId: w.animator.discord, name: "question", subcommand: "repondre", options: { id: 1 } }).final();
    expect(answerForm.modal?.custom_id).toBe("question:repondre:1");
    const closed = await discord.sendCommand({ userId: w.animator.discord, name: "question", subcommand: "clore", options: { id: 1 } }).final();
    expect(closed.text).toContain("Question n° 1 close.");
    const mine = await discord.sendCommand({ userId: alice, name: "question", subcommand: "mes-questions" }).final();
    expect(mine.text).toContain("Photos de jeunes — Réglementation — close");
    expect(mine.text).toContain("Vous : Et pour une vidéo ?");
  });
});

describe("monthly activity reports", () => {
  it("refuses a future month and negative hours in French, then reminds once on the 1st those who have not filed", async () => {
    w = await startWorld(); // Monday 2 March 2026
    const { discord } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const refused = await discord.sendCommand({ userId: alice, name: "activite", subcommand: "declarer", options: { mois: "2026-04", heures: "-2" } }).final();
    expect(refused.text).toContain("avril 2026 n'a pas encore commencé");
    expect(refused.text).toContain("le nombre d'heures ne peut pas être négatif");
    await discord.sendCommand({ userId: bruno, name: "aide" }).final();
    expect(await w.bot.store.prisma.activityReport.count()).toBe(0);

    const filed = await discord.sendCommand({ userId: alice, name: "activite", subcommand: "declarer", options: { mois: "2026-03", heures: "6,5", jeunes: 12, themes: "ecrans" } }).final();
    expect(filed.text).toContain("Votre bilan est enregistré");
    for (const user of [alice, bruno]) {
      const m = await w.bot.services.members.findByRef(user, "discord");
      await w.bot.services.members.setStatus(m.id, "ACTIVE", null);
    }
    // Bruno cannot see Alice's report: /activite voir only ever shows one's own.
    const brunoView = await discord.sendCommand({ userId: bruno, name: "activite", subcommand: "voir", options: { mois: "2026-03" } }).final();
    expect(brunoView.text).toContain("Aucun bilan pour mars 2026");

    w.clock.set("2026-04-01T07:00:00Z"); // 09:00 in Paris (summer time)
    await w.bot.scheduler.tick();
    const reminders = (user: string) => discord.dmsTo(user).map((m) => messageText(m)).filter((t) => t.includes("bilan de mars 2026"));
    expect(reminders(bruno)).toHaveLength(1);
    expect(reminders(alice)).toHaveLength(0);
    await w.restart();
    await w.bot.scheduler.tick();
    expect(reminders(bruno)).toHaveLength(1);
  });
});
