/**
 * Private messages to members whose DMs are closed, end to end on both emulators: the content
 * never reaches a channel, the « rappels » channel only says that a message waits, and the member
 * reads it with /messages (privately, newest first, marked read).
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { postedIn, slackAnswer, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const WAITING = "le bot a un message privé pour vous : ouvrez vos messages privés ou tapez `/messages`";

async function withReminderChannels(world: World) {
  const admin = await world.bot.services.members.findByRef(world.animator.discord, "discord");
  const rappels = { discord: world.discord.addChannel({ name: "rappels" }).id, slack: world.slack.addChannel({ name: "rappels" }).id };
  await world.bot.services.settings.setChannel("discord", "rappels", rappels.discord, admin.id);
  await world.bot.services.settings.setChannel("slack", "rappels", rappels.slack, admin.id);
  return rappels;
}

async function askQuestion(world: World, ask: (fields: Record<string, string>) => Promise<unknown>, subject: string) {
  await ask({ sujet: subject, question: "Un jeune de 15 ans me confie des difficultés, que faire ?", categorie: "pratique" });
  const q = await world.bot.store.prisma.question.findFirstOrThrow({ where: { subject } });
  return q.id;
}

async function answer(world: World, id: number, text: string) {
  return world.discord.submitModal({ userId: world.animator.discord, customId: `question:repondre:${id}`, fields: { reponse: text } }).final();
}

describe("private messages when DMs are closed", () => {
  it("keeps an answer to a question out of « rappels » on Discord, tells the animator it waits, and shows it with /messages", async () => {
    w = await startWorld();
    const rappels = await withReminderChannels(w);
    const alice = w.discord.addUser({ username: "alice", globalName: "Alice Martin", dmsClosed: true }).id;
    const id = await askQuestion(w, (fields) => w!.discord.submitModal({ userId: alice, customId: "question:poser", fields }).final(), "Confidences d'un jeune");

    const done = await answer(w, id, "Orientez-le vers la Maison des adolescents d'Épinal.");
    expect(done.text).toContain(`Réponse enregistrée pour la question n° ${id} : les messages privés de la personne sont fermés, la réponse l'attend dans ses \`/messages\``);
    expect(done.text).not.toContain("envoyée en privé");

    const channel = postedIn(w.discord, rappels.discord);
    expect(channel.map((m) => m.content)).toEqual([`<@${alice}>, ${WAITING}`]);
    const shownToOthers = [...postedIn(w.discord, rappels.discord), ...postedIn(w.discord, w.channels.discord.annonces)].map(messageText).join("\n");
    expect(shownToOthers).not.toContain("Maison des adolescents");

    const inbox = await w.discord.sendCommand({ userId: alice, name: "messages" }).final();
    expect(inbox.ephemeral).toBe(true);
    expect(inbox.text).toContain(`🆕`);
    expect(inbox.text).toContain(`Réponse à votre question n° ${id} — Confidences d'un jeune`);
    expect(inbox.text).toContain("Orientez-le vers la Maison des adolescents d'Épinal.");
    const again = await w.discord.sendCommand({ userId: alice, name: "messages" }).final();
    expect(again.text).toContain("Maison des adolescents");
    expect(again.text).not.toContain("🆕");
  });

  it("does the same on Slack, newest first", async () => {
    w = await startWorld();
    const rappels = await withReminderChannels(w);
    const chloe = w.slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé", dmsClosed: true }).id;
    const slackAsk = async (fields: Record<string, string>) => {
      await w!.slack.slashCommand({ userId: chloe, command: "/question", text: "poser" }).ack();
      await w!.slack.idle();
      const values = Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { value }]));
      await w!.slack.submitView({ userId: chloe, values }).ack();
      await w!.slack.idle();
    };
    const first = await askQuestion(w, slackAsk, "Première question");
    const second = await askQuestion(w, slackAsk, "Seconde question");
    await answer(w, first, "Réponse à la première.");
    w.clock.advance(60_000);
    await answer(w, second, "Réponse à la seconde.");

    const channel = w.slack.messagesIn(rappels.slack).filter((m) => !m.ephemeral);
    expect(channel.length).toBeGreaterThan(0);
    for (const m of channel) {
      expect(m.fullText).toContain(`<@${chloe}>, ${WAITING}`);
      expect(m.fullText).not.toContain("Réponse à la");
    }
    const inbox = await slackCommand(w.slack, chloe, "/messages");
    expect(inbox.ephemeral).toBe(true);
    expect(inbox.fullText.indexOf("Réponse à la seconde.")).toBeGreaterThan(-1);
    expect(inbox.fullText.indexOf("Réponse à la seconde.")).toBeLessThan(inbox.fullText.indexOf("Réponse à la première."));
  });

  it("reminds nobody in a channel of an anonymous poll and keeps no inbox trace; a named poll's reminder waits with its vote buttons", async () => {
    w = await startWorld();
    const rappels = await withReminderChannels(w);
    const bruno = w.discord.addUser({ username: "bruno", globalName: "Bruno Petit", dmsClosed: true }).id;
    const denis = w.slack.addUser({ name: "denis", realName: "Denis Parent", firstName: "Denis", dmsClosed: true }).id;
    await w.discord.sendCommand({ userId: bruno, name: "aide" }).final();
    await slackCommand(w.slack, denis, "/aide");
    const base = { options: "Mardi ; Jeudi", cloture: "mercredi 4 mars 18h" };
    await w.discord.sendCommand({ userId: w.animator.discord, name: "sondage", subcommand: "creer", options: { ...base, question: "Sondage secret ?", anonyme: true } }).final();
    await w.discord.sendCommand({ userId: w.animator.discord, name: "sondage", subcommand: "creer", options: { ...base, question: "Sondage nominatif ?" } }).final();

    w.clock.set("2026-03-03T17:00:00Z");
    await w.bot.scheduler.tick();
    await w.bot.scheduler.tick();

    for (const text of [...postedIn(w.discord, rappels.discord).map(messageText), ...w.slack.messagesIn(rappels.slack).map((m) => m.fullText)]) {
      expect(text).not.toContain("Sondage");
      expect(text).not.toContain("pas encore répondu");
    }
    const inboxRows = await w.bot.store.prisma.inboxMessage.findMany();
    expect(inboxRows.map((r) => r.title).join("\n")).not.toContain("Sondage secret");
    expect(inboxRows.filter((r) => r.title?.includes("Sondage nominatif"))).toHaveLength(2);

    const inbox = await w.discord.sendCommand({ userId: bruno, name: "messages" }).final();
    expect(inbox.text).toContain("Sondage nominatif ?");
    expect(inbox.text).toContain("vous n'avez pas encore répondu");
    const vote = await w.discord.clickButton({ userId: bruno, customId: "sondage:vote:2:2" }).final();
    expect(vote.text).toContain("Vote enregistré : **2. Jeudi**");
    const onSlack = await slackCommand(w.slack, denis, "/messages");
    expect(onSlack.fullText).toContain("Sondage nominatif ?");
    expect(JSON.stringify(onSlack.blocks)).toContain("sondage:vote:2:1");
    const voted = await slackAnswer(w.slack.clickButton({ userId: denis, actionId: "sondage:vote:2:1" }));
    expect(voted.fullText).toContain("Vote enregistré");
  });
});
