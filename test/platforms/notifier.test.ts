/**
 * Outbound messages (not replies) through the real adapters, on both emulators at once:
 * private messages, the « rappels » fallback when DMs are closed, channel posts and edits.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import type { Notifications } from "../../src/core/notifier.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { bothEnv } from "../helpers/env.js";

let discord: DiscordEmulator;
let slack: SlackEmulator;
let bot: Bot;
let notifications: Notifications;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  slack = await startSlackEmulator();
  const config = await testConfig({
    ...bothEnv(discord, slack),
  });
  bot = await startBot({ scheduler: { timer: false }, config, log: memoryLogger().log });
  notifications = bot.services.notifications;
});

afterEach(async () => {
  await bot.stop();
  await discord.close();
  await slack.close();
});

async function memberWith(accounts: { platform: "discord" | "slack"; id: string }[]) {
  const admin = (await bot.services.members.bootstrapAdmins(["console:root"]))[0]!;
  const m = await bot.services.members.create({ firstName: "Nora" }, admin.id);
  for (const a of accounts) await bot.services.members.link(m.id, { platform: a.platform, externalId: a.id }, admin.id);
  return (await bot.services.members.get(m.id))!;
}

describe("notifications", () => {
  it("reaches a member privately on each platform where they have an account", async () => {
    const d = discord.addUser({ username: "nora" });
    const s = slack.addUser({ name: "nora" });
    const member = await memberWith([{ platform: "discord", id: d.id }, { platform: "slack", id: s.id }]);
    const result = await notifications.toMember(member, { title: "Rappel", text: "Rencontre départementale demain à **14h**." });
    expect(result.failures).toEqual([]);
    expect(result.refs.map((r) => r.platform).sort()).toEqual(["discord", "slack"]);
    expect(JSON.stringify(discord.dmsTo(d.id))).toContain("Rencontre départementale demain");
    expect(slack.dmsTo(s.id).at(-1)?.fullText).toContain("Rencontre départementale demain à *14h*");
  });

  async function closedOnBoth() {
    const d = discord.addUser({ username: "ferme", dmsClosed: true });
    const s = slack.addUser({ name: "ferme", dmsClosed: true });
    const rappelsD = discord.addChannel({ name: "rappels" });
    const rappelsS = slack.addChannel({ name: "rappels" });
    const admin = (await bot.services.members.bootstrapAdmins(["console:root"]))[0]!;
    await bot.services.settings.setChannel("discord", "rappels", rappelsD.id, admin.id);
    await bot.services.settings.setChannel("slack", "rappels", rappelsS.id, admin.id);
    const member = await memberWith([{ platform: "discord", id: d.id }, { platform: "slack", id: s.id }]);
    return { d, s, rappelsD, rappelsS, member };
  }

  const inboxOf = (memberId: number) => bot.store.prisma.inboxMessage.findMany({ where: { memberId } });

  it("never posts private content in a channel: the « rappels » mention only says a message waits, the content goes to the inbox", async () => {
    const { d, s, rappelsD, rappelsS, member } = await closedOnBoth();
    const result = await notifications.toMember(member, { title: "Réponse à votre question", text: "Le jeune peut être orienté vers la Maison des adolescents." });
    expect(result.fallbacks.sort()).toEqual(["discord", "slack"]);
    expect(result.inbox).toBe(true);
    // On Discord the mention must be in the content, not an embed, or it would not ping.
    const posted = discord.messagesIn(rappelsD.id).at(-1)!;
    expect(posted.content).toBe(`<@${d.id}>, le bot a un message privé pour vous : ouvrez vos messages privés ou tapez \`/messages\``);
    expect(posted.embeds ?? []).toEqual([]);
    const onSlack = slack.messagesIn(rappelsS.id).at(-1)!;
    expect(onSlack.text).toBe(`<@${s.id}>, le bot a un message privé pour vous : ouvrez vos messages privés ou tapez /messages`);
    expect(onSlack.fullText).toContain(`<@${s.id}>, le bot a un message privé pour vous : ouvrez vos messages privés ou tapez \`/messages\``);
    for (const shown of [JSON.stringify(discord.messagesIn(rappelsD.id)), JSON.stringify(slack.messagesIn(rappelsS.id))]) {
      expect(shown).not.toContain("Maison des adolescents");
      expect(shown).not.toContain("Réponse à votre question");
    }
    expect(slack.messagesIn(slack.defaultChannelId)).toEqual([]);
    // Two platforms refused, one message waits.
    const inbox = await inboxOf(member.id);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ title: "Réponse à votre question", text: "Le jeune peut être orienté vers la Maison des adolescents.", readAt: null });
  });

  it("stores a notification sent again under the same key once, unread again", async () => {
    const { member } = await closedOnBoth();
    await notifications.toMember(member, { text: "Rappel : bilan de mars" }, { inboxKey: "activite:2026-03" });
    await notifications.toMember(member, { text: "Rappel : bilan de mars (2)" }, { inboxKey: "activite:2026-03" });
    await notifications.toMember(member, { text: "Autre chose" });
    await notifications.toMember(member, { text: "Autre chose" });
    expect((await inboxOf(member.id)).map((m) => m.text).sort()).toEqual(["Autre chose", "Rappel : bilan de mars (2)"]);
  });

  it("posts public content itself with the mention", async () => {
    const { d, rappelsD, member } = await closedOnBoth();
    const result = await notifications.toMember(member, { title: "Annonce", text: "Rencontre départementale le 12 mars." }, { sensitivity: "public" });
    expect(result.inbox).toBe(false);
    const posted = discord.messagesIn(rappelsD.id).at(-1)!;
    expect(posted.content).toBe(`<@${d.id}>`);
    expect(JSON.stringify(posted.embeds)).toContain("Rencontre départementale le 12 mars.");
    expect(await inboxOf(member.id)).toEqual([]);
  });

  it("leaves no trace of a secret notification when DMs are closed: no mention, no inbox", async () => {
    const { rappelsD, rappelsS, member } = await closedOnBoth();
    const result = await notifications.toMember(member, { text: "Vous n'avez pas encore répondu au sondage anonyme." }, { sensitivity: "secret" });
    expect(result.refs).toEqual([]);
    expect(result.fallbacks).toEqual([]);
    expect(result.failures.map((f) => f.platform).sort()).toEqual(["discord", "slack"]);
    expect(discord.messagesIn(rappelsD.id)).toEqual([]);
    expect(slack.messagesIn(rappelsS.id)).toEqual([]);
    expect(await inboxOf(member.id)).toEqual([]);
  });

  it("reports a closed DM with no reminder channel as a failure, keeps the content for /messages, and posts nowhere else", async () => {
    const d = discord.addUser({ username: "ferme", dmsClosed: true });
    const member = await memberWith([{ platform: "discord", id: d.id }]);
    const result = await notifications.toMember(member, { text: "Rappel" });
    expect(result.failures).toEqual([{ platform: "discord", error: "messages privés fermés et aucun salon « rappels » configuré (message gardé dans /messages)" }]);
    expect(result.inbox).toBe(true);
    expect(discord.messagesIn(discord.generalChannelId)).toEqual([]);
  });

  it("posts to the channel of a use on every platform and edits the posts in place", async () => {
    const admin = (await bot.services.members.bootstrapAdmins(["console:root"]))[0]!;
    await bot.services.settings.setChannel("discord", "annonces", discord.generalChannelId, admin.id);
    await bot.services.settings.setChannel("slack", "annonces", slack.defaultChannelId, admin.id);
    const { refs, failures } = await notifications.toChannel("annonces", { text: "Inscriptions : 3 personnes" });
    expect(failures).toEqual([]);
    expect(refs).toHaveLength(2);
    await notifications.edit(refs, { text: "Inscriptions : 4 personnes" });
    const onSlack = slack.messagesIn(slack.defaultChannelId).at(-1)!;
    expect(onSlack.fullText).toContain("4 personnes");
    expect(onSlack.edited).toBe(true);
    expect(JSON.stringify(discord.messagesIn(discord.generalChannelId).at(-1))).toContain("4 personnes");
  });

  it("registers every connected platform", () => {
    expect(notifications.platforms.sort()).toEqual(["discord", "slack"]);
  });

  it("keeps posting on Slack when Discord fails", async () => {
    const admin = (await bot.services.members.bootstrapAdmins(["console:root"]))[0]!;
    await bot.services.settings.setChannel("discord", "annonces", "999999999999999999", admin.id);
    await bot.services.settings.setChannel("slack", "annonces", slack.defaultChannelId, admin.id);
    const { refs, failures } = await notifications.toChannel("annonces", { text: "Bonjour" });
    expect(refs.map((r) => r.platform)).toEqual(["slack"]);
    expect(failures.map((f) => f.platform)).toEqual(["discord"]);
  });
});
