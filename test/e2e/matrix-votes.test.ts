/**
 * One anonymous poll, three platforms: votes cast on Discord, on Slack and on Matrix (🗳️ on the
 * encrypted card brings a ballot in the direct room, answered there by a reaction only the voter's
 * room sees) are counted in one result, shown edited in place everywhere. A named poll is Matrix's
 * own poll instead: see matrix-native-polls.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { bothEnv } from "../helpers/env.js";
import { postedIn, slackAnswer } from "./collective-world.js";
import { privateMessage, startMatrixWorld, type MatrixWorld } from "./matrix-world.js";

let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;
let world: MatrixWorld | undefined;

afterEach(async () => {
  await world?.bot.stop();
  await discord?.close();
  await slack?.close();
  world = discord = slack = undefined;
});

describe("an anonymous poll on Discord, Slack and Matrix at once", { timeout: 180_000 }, () => {
  it("merges a Matrix vote (cast on a private ballot) with Discord and Slack votes, and edits the Matrix card in place", async () => {
    discord = await startDiscordEmulator();
    slack = await startSlackEmulator();
    const animator = discord.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
    const annonces = { discord: discord.addChannel({ name: "annonces" }).id, slack: slack.addChannel({ name: "annonces" }).id };
    const w = (world = await startMatrixWorld({ env: { ...bothEnv(discord, slack), BOT_ADMINS: `discord:${animator},matrix:@nora:emu.test` }, featureOptions: { polls: { liveWindowMs: 60_000 } } }));
    const admin = await w.bot.services.members.findByRef(animator, "discord");
    for (const platform of ["discord", "slack"] as const) await w.bot.services.settings.setChannel(platform, "annonces", annonces[platform], admin.id);
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
