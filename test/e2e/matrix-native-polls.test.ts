/**
 * A named poll on Matrix is Matrix's own poll (MSC3381, as Element shows it): an m.poll.start in the
 * encrypted room, answered with an m.poll.response, counted in the one tally with Discord and Slack
 * votes (one vote per member, a changed answer replacing the previous one), and ended with an
 * m.poll.end carrying the result of every platform. An anonymous poll keeps the private ballot.
 */
import { describe, expect, it } from "vitest";
import { sdk } from "../../src/platforms/matrix/sdk.js";
import type { SeenMessage } from "../emulators/matrix/person.js";
import { slackAnswer } from "./collective-world.js";
import { command, privateMessage, privateMessages, type MatrixWorld } from "./matrix-world.js";
import { useThreePlatforms } from "./three-platforms.js";

const threePlatforms = useThreePlatforms();

const pollBody = (m: SeenMessage) => m.content[sdk.M_POLL_START.name] as { question: Record<string, string>; kind: string; max_selections: number; answers: { id: string }[] } | undefined;
const relatesTo = (m: SeenMessage) => (m.content["m.relates_to"] as { event_id?: string } | undefined)?.event_id;

/** The options Léo's vote is counted on (names as the staff sees them). */
async function leoChoice(w: MatrixWorld): Promise<string[]> {
  const { tally } = await w.bot.features.polls.polls.results(1, { role: "ADMIN" });
  return tally.options.filter((o) => o.names?.includes("Léo Martin")).map((o) => String(o.position));
}

describe("native Matrix polls", { timeout: 240_000 }, () => {
  it("posts a named poll as an m.poll.start, counts its m.poll.response with Discord and Slack votes, and ends it with the shared result", async () => {
    const { w, animator, discord, slack } = await threePlatforms();
    await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Quel jour pour la rencontre départementale ?", options: "Mardi ; Jeudi ; Vendredi", cloture: "mercredi 4 mars 18h" } }).final();
    const start = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && sdk.M_POLL_START.matches(m.type), "the m.poll.start");
    expect(start.encrypted).toBe(true);
    const body = pollBody(start)!;
    expect(body.question[sdk.M_TEXT.name]).toBe("Sondage n°1 — Quel jour pour la rencontre départementale ?");
    expect(body.kind).toBe(sdk.M_POLL_KIND_DISCLOSED.name);
    expect(body.max_selections).toBe(1);
    expect(body.answers.map((a) => [a.id, (a as Record<string, string>)[sdk.M_TEXT.name]])).toEqual([["1", "Mardi"], ["2", "Jeudi"], ["3", "Vendredi"]]);

    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    await discord.clickButton({ userId: alice, customId: "sondage:vote:1:1" }).final();
    await slackAnswer(slack.clickButton({ userId: chloe, actionId: "sondage:vote:1:2" }));
    await w.leo.answerPoll(w.roomId, start.eventId, ["2"]);
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré au sondage n°1 : 2. Jeudi"), "the confirmation of the native answer");
    await expect.poll(() => w.bot.store.prisma.vote.count(), { timeout: 45_000 }).toBe(3);
    expect(await leoChoice(w)).toEqual(["2"]);

    // A changed answer replaces the previous one: still three voters, Léo now on Mardi.
    await w.leo.answerPoll(w.roomId, start.eventId, ["1"]);
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré au sondage n°1 : 1. Mardi"), "the confirmation of the changed answer");
    expect(await leoChoice(w)).toEqual(["1"]);
    expect(await w.bot.store.prisma.vote.count()).toBe(3);

    await command(w, w.nora, "!sondage cloturer id:1");
    const end = await w.leo.waitFor((m) => m.sender === w.botUserId && sdk.M_POLL_END.matches(m.type) && relatesTo(m) === start.eventId, "the m.poll.end");
    expect(end.encrypted).toBe(true);
    expect(end.content[sdk.M_TEXT.name]).toBe("Résultat : 1. Mardi (2 voix).\n3 votants, toutes plateformes : 1. Mardi : 2 voix ; 2. Jeudi : 1 voix ; 3. Vendredi : 0 voix.");
    // No 📩 mark on a poll answer, and no poll start edited while the poll was open.
    expect(w.leo.seen.filter((m) => m.type === "m.reaction" && m.sender === w.botUserId)).toEqual([]);
    expect(w.leo.seen.filter((m) => m.replaces === start.eventId)).toEqual([]);
  });

  it("ends a poll once: a closed poll shown again after a restart sends no second m.poll.end", async () => {
    const { w, animator, discord } = await threePlatforms();
    await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Quel lieu pour la formation ?", options: "Épinal ; Remiremont", cloture: "mercredi 4 mars 18h" } }).final();
    const start = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && sdk.M_POLL_START.matches(m.type), "the m.poll.start");
    await command(w, w.nora, "!sondage cloturer id:1");
    await w.leo.waitFor((m) => m.sender === w.botUserId && sdk.M_POLL_END.matches(m.type) && relatesTo(m) === start.eventId, "the m.poll.end");
    await w.restart();
    const botEvents = () => w.emu.room(w.roomId).events.filter((e) => e.sender === w.botUserId).length;
    const before = botEvents();
    // What a close job re-run after a crash does: the closed poll's posts are rendered again.
    await w.bot.features.polls.polls.render(1);
    expect(botEvents()).toBe(before);
  });

  it("ignores an answer to a poll the bot did not start, and answer ids its poll does not offer", async () => {
    const { w, animator, discord } = await threePlatforms();
    await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Quel thème pour la prochaine analyse ?", options: "Harcèlement ; Jeux vidéo", cloture: "mercredi 4 mars 18h" } }).final();
    const start = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && sdk.M_POLL_START.matches(m.type), "the m.poll.start");
    await w.leo.answerPoll(w.roomId, start.eventId, ["2"]);
    await privateMessage(w, w.leo, (m) => m.body.includes("2. Jeux vidéo"), "the vote's confirmation");
    // Nora starts her own poll carrying the bot's route: answering it must not vote.
    const forged = await w.nora.client.sendEvent(w.roomId, sdk.M_POLL_START.name as never, start.content as never);
    await w.leo.answerPoll(w.roomId, forged.event_id, ["1"]);
    // Ids the poll does not offer are dropped: nothing valid left, the vote is withdrawn (a spoiled vote, MSC3381).
    await w.leo.answerPoll(w.roomId, start.eventId, ["sondage:vote:1:1", "7"]);
    await w.leo.answerPoll(w.roomId, start.eventId, ["2"]);
    await w.leo.waitFor(() => privateMessages(w, w.leo).length >= 3, "three answers from the bot");
    const answers = privateMessages(w, w.leo).map((m) => m.body);
    expect(answers.map((body) => /^Vote (enregistré|retiré) au sondage n°1/.exec(body)?.[0])).toEqual(["Vote enregistré au sondage n°1", "Vote retiré au sondage n°1", "Vote enregistré au sondage n°1"]);
    expect(answers.join("\n")).not.toContain("Harcèlement");
    expect(await w.bot.store.prisma.vote.findMany({ select: { option: { select: { position: true } } } })).toEqual([{ option: { position: 2 } }]);
  });

  it("counts an answer given after a restart: the bot still reads its own encrypted poll start", async () => {
    const { w, animator, discord } = await threePlatforms();
    await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Quelle salle pour la journée réseau ?", options: "Épinal ; Saint-Dié", cloture: "mercredi 4 mars 18h" } }).final();
    const start = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && sdk.M_POLL_START.matches(m.type), "the m.poll.start");
    await w.restart();
    await w.leo.answerPoll(w.roomId, start.eventId, ["2"]);
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré au sondage n°1 : 2. Saint-Dié"), "the confirmation after the restart");
    expect(await leoChoice(w)).toEqual(["2"]);
  });

  it("takes a multiple-choice answer as the member's whole choice, replacing the options ticked before", async () => {
    const { w, animator, discord } = await threePlatforms();
    await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Quels ateliers vous intéressent ?", options: "Instagram ; TikTok ; Discord", cloture: "mercredi 4 mars 18h", choix: "multiple" } }).final();
    const start = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && sdk.M_POLL_START.matches(m.type), "the m.poll.start");
    expect(pollBody(start)!.max_selections).toBe(3);
    await w.leo.answerPoll(w.roomId, start.eventId, ["1", "3"]);
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré au sondage n°1 : 1. Instagram, 3. Discord."), "both options recorded");
    await w.leo.answerPoll(w.roomId, start.eventId, ["2"]);
    await w.leo.waitFor(() => privateMessages(w, w.leo).length >= 2, "the second confirmation");
    expect(privateMessages(w, w.leo)[1]!.body).toContain("Vote enregistré au sondage n°1 : 2. TikTok.");
    expect(await leoChoice(w)).toEqual(["2"]);
  });

  it("keeps the private ballot for an anonymous poll: no m.poll.start in the room", async () => {
    const { w, animator, discord } = await threePlatforms();
    await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Faut-il changer l'horaire des permanences ?", options: "Oui ; Non", cloture: "mercredi 4 mars 18h", anonyme: true } }).final();
    const card = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && m.body.includes("changer l'horaire"), "the anonymous poll card");
    expect(card.type).toBe("m.room.message");
    expect(card.body).toContain("🗳️");
    expect(w.leo.seen.some((m) => sdk.M_POLL_START.matches(m.type))).toBe(false);
  });
});
