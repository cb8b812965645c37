/**
 * One anonymous poll, three platforms: votes cast on Discord, on Slack and on Matrix (🗳️ on the
 * encrypted card brings a ballot in the direct room, answered there by a reaction only the voter's
 * room sees) are counted in one result, shown edited in place everywhere. A named poll is Matrix's
 * own poll instead: see matrix-native-polls.test.ts.
 */
import { describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { postedIn, slackAnswer } from "./collective-world.js";
import { privateMessage } from "./matrix-world.js";
import { useThreePlatforms } from "./three-platforms.js";

const threePlatforms = useThreePlatforms();

describe("an anonymous poll on Discord, Slack and Matrix at once", { timeout: 180_000 }, () => {
  it("merges a Matrix vote (cast on a private ballot) with Discord and Slack votes, and edits the Matrix card in place", async () => {
    const { w, discord, slack, animator, annonces } = await threePlatforms();
    const c = w.bot.features.polls;

    const created = await discord.sendCommand({ userId: animator, name: "sondage", subcommand: "creer", options: { question: "Quel jour pour la rencontre départementale ?", options: "Mardi ; Jeudi ; Vendredi", cloture: "mercredi 4 mars 18h", anonyme: true } }).final();
    expect(created.text).toMatch(/publié \((Discord|Slack|Matrix), (Discord|Slack|Matrix) et (Discord|Slack|Matrix)\)/);
    for (const name of ["Discord", "Slack", "Matrix"]) expect(created.text).toContain(name);
    const card = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && m.body.includes("Quel jour pour la rencontre") && !m.replaces, "the poll card on Matrix");
    expect(card.encrypted).toBe(true);
    // In the shared room the vote itself is never a reaction (the room would see it): 🗳️ brings a ballot.
    expect(card.body).toContain("• 2. Jeudi");
    expect(card.body).not.toContain("2️⃣");
    expect(card.body).toContain("🗳️");

    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    await discord.clickButton({ userId: alice, customId: "sondage:vote:1:1" }).final();
    await slackAnswer(slack.clickButton({ userId: chloe, actionId: "sondage:vote:1:2" }));
    await w.leo.react(w.roomId, card.eventId, "🗳️");
    const ballot = await privateMessage(w, w.leo, (m) => m.body.includes("Quel jour pour la rencontre"), "the private ballot");
    expect(ballot.body).toContain("2️⃣ 2. Jeudi");
    await w.leo.react(ballot.roomId, ballot.eventId, "2️⃣");
    await privateMessage(w, w.leo, (m) => m.body.includes("Vote enregistré"), "the vote's confirmation");
    await expect.poll(() => w.bot.store.prisma.vote.count(), { timeout: 45_000 }).toBe(3);

    await c.live.flush();
    const edited = await w.leo.waitFor((m) => m.replaces === card.eventId && m.body.includes("3 votants"), "the Matrix card with three voters");
    expect(edited.body).toMatch(/2\. Jeudi[\s\S]*2 voix · 67 %/);
    expect(messageText(postedIn(discord, annonces.discord)[0]!)).toContain("3 votants");
    expect(slack.messagesIn(annonces.slack).filter((m) => !m.ephemeral)[0]!.fullText).toContain("3 votants");
  });
});
