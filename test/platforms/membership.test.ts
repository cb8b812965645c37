/**
 * Only people of the configured Discord guild and Slack workspace are served: guests, people of
 * another organisation or guild, and people who left are refused politely, and nothing about
 * them is recorded. Through the real discord.js and Bolt against the emulators.
 */
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import type { PlatformNotifier } from "../../src/core/notifier.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { discordEnv, slackEnv } from "../helpers/env.js";

let bot: Bot | undefined;
let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;

afterEach(async () => {
  await bot?.stop();
  await discord?.close();
  await slack?.close();
  bot = discord = slack = undefined;
});

/** Everything the bot could have recorded about a person. */
async function recorded(b: Bot) {
  const db = b.store.prisma;
  return JSON.stringify([await db.member.findMany(), await db.platformAccount.findMany(), await db.auditLog.findMany(), await db.onboardingJourney.findMany()]);
}

async function slackBot(): Promise<{ emu: SlackEmulator; bot: Bot }> {
  slack = await startSlackEmulator();
  const admin = slack.addUser({ name: "anim", realName: "Sophie Animatrice" }).id;
  bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...slackEnv(slack), BOT_ADMINS: `slack:${admin}` }), log: memoryLogger().log, commands });
  return { emu: slack, bot };
}

async function slackCommand(emu: SlackEmulator, userId: string, text: string) {
  const [name, ...rest] = text.split(" ");
  const h = emu.slashCommand({ userId, command: name!, text: rest.join(" ") });
  await h.ack();
  return h.final();
}

describe("who the bot serves on Slack", () => {
  it("refuses a multi-channel and a single-channel guest, recording nothing", async () => {
    const { emu, bot } = await slackBot();
    const guest = emu.addUser({ name: "invite", realName: "Invité Externe", restricted: true }).id;
    const single = emu.addUser({ name: "solo", realName: "Invité Solo", ultraRestricted: true }).id;
    const before = await recorded(bot);
    for (const id of [guest, single]) {
      const shown = await slackCommand(emu, id, "/annuaire");
      expect(shown.fullText).toContain("les comptes invités n'y ont pas accès. Rien n'a été enregistré.");
      expect(shown.ephemeral).toBe(true);
    }
    expect(await recorded(bot)).toBe(before);
  });

  it("refuses a Slack Connect user of another organisation, recording nothing", async () => {
    const { emu, bot } = await slackBot();
    const stranger = emu.addUser({ name: "ext", realName: "Autre Organisation", teamId: "T0OTHERORG" }).id;
    const before = await recorded(bot);
    expect((await slackCommand(emu, stranger, "/aide")).fullText).toContain("Ce bot ne sert que l'espace du réseau des Promeneurs du Net des Vosges");
    expect(await recorded(bot)).toBe(before);
  });

  it("serves a full member of the workspace", async () => {
    const { emu } = await slackBot();
    const member = emu.addUser({ name: "lucas", realName: "Lucas Bernard" }).id;
    expect((await slackCommand(emu, member, "/aide")).fullText).toContain("Bonjour Lucas");
  });
});

async function discordBot(): Promise<{ emu: DiscordEmulator; bot: Bot; admin: string }> {
  discord = await startDiscordEmulator();
  const admin = discord.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
  bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...discordEnv(discord), BOT_ADMINS: `discord:${admin}` }), log: memoryLogger().log, commands });
  return { emu: discord, bot, admin };
}

describe("who the bot serves on Discord", () => {
  it("refuses an interaction coming from another guild, recording nothing", async () => {
    const { emu, bot } = await discordBot();
    const visitor = emu.addUser({ username: "visiteur", globalName: "Visiteur", member: false }).id;
    const before = await recorded(bot);
    const shown = await emu.sendCommand({ userId: visitor, name: "annuaire", guildId: "999999999999999999" }).final();
    expect(shown.ephemeral).toBe(true);
    expect(shown.text).toContain("Ce bot ne sert que l'espace du réseau des Promeneurs du Net des Vosges");
    expect(await recorded(bot)).toBe(before);
  });

  it("refuses someone who left the server and presses an old button of a private message", async () => {
    const { emu, bot } = await discordBot();
    const lucas = emu.addUser({ username: "lucas88", globalName: "Lucas Bernard" }).id;
    expect((await emu.sendCommand({ userId: lucas, name: "aide" }).final()).text).toContain("Bonjour Lucas");
    const adapter = bot.adapters.find((a) => a.name === "discord") as unknown as PlatformNotifier;
    await adapter.dm(lucas, { text: "L'annuaire", components: [{ buttons: [{ kind: "button", id: "annuaire:page:2:-::", label: "Suivant ▶" }] }] });
    const dm = emu.dmsTo(lucas).at(-1)!;
    emu.leaveGuild(lucas);
    const before = await recorded(bot);
    const shown = await emu.clickButton({ userId: lucas, customId: "annuaire:page:2:-::", message: dm }).final();
    expect(shown.text).toContain("Vous ne faites plus partie de l'espace du réseau des Promeneurs du Net des Vosges");
    expect(await recorded(bot)).toBe(before);
  });
});
