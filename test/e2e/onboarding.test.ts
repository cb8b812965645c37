/**
 * The onboarding journey, end to end: the real bot (startBot, its commands, jobs and listeners)
 * on the Discord and Slack emulators, with a clock the test moves and the scheduler ticked by hand.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { ManualClock } from "../helpers/clock.js";
import type { PlatformName } from "../../src/core/interaction.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { messageText } from "../emulators/discord/message-content.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { freshStoreUrl } from "../store/fixture.js";
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

/** Monday 2 March 2026, 09:00 in Paris. */
const START = "2026-03-02T08:00:00Z";

async function until(check: () => boolean | Promise<boolean>, what = "condition"): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in time`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

async function startOnDiscord(emu: DiscordEmulator, clock: ManualClock, admin: string, storeUrl?: string): Promise<Bot> {
  const config = await testConfig({
    ...discordEnv(emu),
    BOT_ADMINS: `discord:${admin}`,
    ...(storeUrl ? { DATABASE_URL: storeUrl } : {}),
  });
  return startBot({ config, log: memoryLogger().log, clock, scheduler: { timer: false } });
}

/** The network as the animator set it up: the animator's record and the channels of that platform. */
async function setUpNetwork(b: Bot, platform: PlatformName, adminId: string, channels: Partial<Record<"reseau" | "animation" | "rappels", string>>) {
  const admin = await b.services.members.findByRef(adminId, platform);
  if (!(await b.store.prisma.member.count({ where: { role: "ANIMATEUR" } }))) {
    await b.services.members.create({ firstName: "Sophie", lastName: "Animatrice", role: "ANIMATEUR" }, admin.id);
  }
  for (const [usage, id] of Object.entries(channels)) await b.services.settings.setChannel(platform, usage as "reseau", id, admin.id);
}

async function journeyOf(b: Bot, platform: PlatformName, userId: string) {
  const account = await b.store.prisma.platformAccount.findUnique({ where: { platform_externalId: { platform: platform === "discord" ? "DISCORD" : "SLACK", externalId: userId } } });
  if (!account) return null;
  return b.store.prisma.onboardingJourney.findUnique({ where: { memberId: account.memberId }, include: { steps: true } });
}

const CHECKLIST = ["prenom_structure", "photo", "logo", "contact", "annuaire"];

describe("onboarding on Discord", () => {
  it("walks a newcomer from joining the server to an active member listed in the directory", async () => {
    discord = await startDiscordEmulator();
    const emu = discord;
    const clock = new ManualClock(START);
    bot = await startOnDiscord(emu, clock, emu.ownerId);
    const reseau = emu.addChannel({ name: "reseau" }).id;
    const animation = emu.addChannel({ name: "animation" }).id;
    await setUpNetwork(bot, "discord", emu.ownerId, { reseau, animation });

    const camille = emu.joinGuild({ username: "camille88", globalName: "Camille Martin" }).user.id;
    await until(async () => (await journeyOf(bot!, "discord", camille)) !== null, "journey started on join");
    await bot.scheduler.tick();

    // 1. The welcome, privately.
    const welcome = emu.dmsTo(camille);
    expect(welcome).toHaveLength(1);
    expect(messageText(welcome[0])).toContain("Bonjour Camille, et bienvenue");
    expect(messageText(welcome[0])).toContain("Sophie Animatrice");
    const charter = await emu.clickButton({ userId: camille, customId: "accueil:go" }).final();

    // 2. The charter: the full text page by page, then adhering. Pressed twice, recorded once.
    expect(charter.text).toContain("La charte des Promeneurs du Net 88");
    const page1 = await emu.clickButton({ userId: camille, customId: "accueil:lire:1" }).final();
    expect(page1.text).toContain("Article 1. Renforcer la présence éducative");
    const first = emu.clickButton({ userId: camille, customId: "accueil:adhere" });
    const second = emu.clickButton({ userId: camille, customId: "accueil:adhere" });
    // Both answers update the same message: read each callback, not the message's last state.
    const answers = JSON.stringify([await first.response(), await second.response()]);
    expect(answers).toContain("votre adhésion à la charte est enregistrée le 2 mars 2026");
    expect(answers).toContain("Votre adhésion à la charte est déjà enregistrée (le 2 mars 2026)");
    const afterCharter = await journeyOf(bot, "discord", camille);
    expect(afterCharter!.steps.filter((s) => s.key === "charte")).toHaveLength(1);

    // 3. The profile: bad values refused field by field, nothing written; then good ones.
    const form = await emu.clickButton({ userId: camille, customId: "accueil:profil" }).final();
    expect(form.modal?.custom_id).toBe("accueil:profil");
    const refused = await emu
      .submitModal({ userId: camille, customId: "accueil:profil", fields: { prenom: "C4mille", structure: "M", commune: "Épinal", reseaux: "Instagram", contact: "x" } })
      .final();
    expect(refused.text).toContain("**Prénom** : lettres, espaces, apostrophes et tirets seulement");
    expect(refused.text).toContain("**Structure** : 2 caractères au moins");
    expect(refused.text).toContain("**Comment les jeunes ou parents vous joignent** : 3 caractères au moins");
    expect(refused.text).toContain("Rien n'a été modifié.");
    // What she typed is kept: the button reopens the form as she left it.
    const retry = refused.customIds.find((id) => id.startsWith("formulaire:corriger:"))!;
    const again = await emu.clickButton({ userId: camille, customId: retry }).final();
    expect(again.modal?.custom_id).toBe("accueil:profil");
    expect(JSON.stringify(again.modal)).toContain('"value":"C4mille"');
    expect(JSON.stringify(again.modal)).toContain('"label":"⚠️ Structure"');
    const untouched = await bot.services.members.findByRef(camille, "discord");
    expect(untouched.structure).toBeNull();
    expect((await journeyOf(bot, "discord", camille))!.steps.map((s) => s.key)).not.toContain("profil.formulaire");
    const saved = await emu
      .submitModal({ userId: camille, customId: "accueil:profil", fields: { prenom: "Camille", structure: "MJC d'Épinal", commune: "Épinal", reseaux: "Instagram, Snapchat", contact: "Instagram @camille_mjc, du lundi au vendredi" } })
      .final();
    expect(saved.text).toContain("Votre profil est enregistré");
    await emu.clickButton({ userId: camille, customId: "accueil:type:jeunesse" }).response();
    const checklist = await emu.clickButton({ userId: camille, customId: "accueil:annuaire:oui" }).final();

    // 4. The charter's profile checklist, each item ticked.
    expect(checklist.text).toContain("Votre profil sur les réseaux sociaux");
    for (const item of CHECKLIST.slice(0, -1)) await emu.clickButton({ userId: camille, customId: `accueil:coche:${item}` }).response();
    const shown = await emu.clickButton({ userId: camille, customId: `accueil:coche:${CHECKLIST.at(-1)}` }).final();

    // 5. The presentation: the draft from the profile, reread and posted by the bot.
    expect(shown.text).toContain("Je suis Camille, de MJC d'Épinal (Épinal), et je fais partie des Promeneurs du Net Jeunesse.");
    const introForm = await emu.clickButton({ userId: camille, customId: "accueil:publier" }).final();
    expect(introForm.modal?.custom_id).toBe("accueil:presentation");
    const done = await emu
      .submitModal({ userId: camille, customId: "accueil:presentation", fields: { texte: "Bonjour à tous, je suis Camille de la MJC d'Épinal, ravie de vous rejoindre !" } })
      .final();

    // 6. No welcome meeting planned: said to the newcomer; the journey ends.
    expect(done.text).toContain("La prochaine n'est pas encore programmée : l'animateur du réseau, prévenu, vous y invitera.");
    expect(done.text).toContain("Votre accueil est terminé, bienvenue dans le réseau !");
    const member = await bot.services.members.findByRef(camille, "discord");
    expect(member).toMatchObject({ status: "ACTIVE", kind: "JEUNESSE", directoryConsent: true, commune: "Épinal" });
    expect((await bot.services.directory.search({ commune: "epinal" }, 1)).members.map((m) => m.id)).toEqual([member.id]);

    // The presentation and a short welcome in the network channel; the animator told, with the missing meeting.
    await bot.scheduler.tick();
    const posted = emu.messagesIn(reseau).map(messageText);
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain("**Camille Martin se présente**");
    expect(posted[1]).toContain("Bienvenue à **Camille** (MJC d'Épinal, Épinal)");
    const told = emu.messagesIn(animation).map(messageText).join("\n");
    expect(told).toContain("Camille Martin a terminé son parcours d'accueil");
    expect(told).toContain("Aucune rencontre « accueil des nouveaux » n'est programmée");
    await bot.scheduler.tick();
    expect(emu.messagesIn(reseau)).toHaveLength(2);
  });

  it("welcomes publicly with only what the profile holds, in words that fit anyone", async () => {
    discord = await startDiscordEmulator();
    const emu = discord;
    bot = await startOnDiscord(emu, new ManualClock(START), emu.ownerId);
    const reseau = emu.addChannel({ name: "reseau" }).id;
    const animation = emu.addChannel({ name: "animation" }).id;
    await setUpNetwork(bot, "discord", emu.ownerId, { reseau, animation });

    // Court never filled the profile form: no structure, commune, type, networks or contact.
    const court = emu.joinGuild({ username: "court", globalName: "Court" }).user.id;
    await until(async () => (await journeyOf(bot!, "discord", court)) !== null, "journey started on join");
    await bot.scheduler.tick();
    const id = (await bot.services.members.findByRef(court, "discord")).id;
    const ended = await emu.sendCommand({ userId: emu.ownerId, name: "accueil", subcommand: "terminer", options: { membre: `#${id}`, motif: "accueilli en rendez-vous" } }).final();
    expect(ended.text).toContain("Parcours d'accueil terminé pour Court");
    await bot.scheduler.tick();

    const welcome = emu.messagesIn(reseau).map(messageText);
    expect(welcome).toEqual(["Bienvenue à **Court**, qui rejoint les Promeneurs du Net des Vosges !"]);
  });

  it("reminds at day 3 and day 7 and alerts the animator at day 14, each once even across a restart", async () => {
    discord = await startDiscordEmulator();
    const emu = discord;
    const clock = new ManualClock(START);
    const storeUrl = await freshStoreUrl();
    bot = await startOnDiscord(emu, clock, emu.ownerId, storeUrl);
    const rappels = emu.addChannel({ name: "rappels" }).id;
    const animation = emu.addChannel({ name: "animation" }).id;
    await setUpNetwork(bot, "discord", emu.ownerId, { rappels, animation });
    const restart = async () => {
      await bot!.stop();
      bot = await startOnDiscord(emu, clock, emu.ownerId, storeUrl);
      await bot.scheduler.tick();
    };

    // Her private messages are closed: each message waits in her inbox, and « rappels » only says so.
    const lea = emu.joinGuild({ username: "lea", globalName: "Léa Durand", dmsClosed: true }).user.id;
    await until(async () => (await journeyOf(bot!, "discord", lea)) !== null, "journey started on join");
    await bot.scheduler.tick();
    const toLea = () => emu.messagesIn(rappels).map(messageText);
    const waiting = `<@${lea}>, le bot a un message privé pour vous : ouvrez vos messages privés ou tapez \`/messages\``;
    expect(toLea()).toEqual([waiting]);
    const inbox = () => bot!.store.prisma.inboxMessage.findMany({ orderBy: { id: "asc" } });
    expect((await inbox())[0]!.text).toContain("Bonjour Léa, et bienvenue");

    clock.set("2026-03-05T08:59:00Z"); // Thursday 09:59 in Paris: three days, not yet 10:00
    await bot.scheduler.tick();
    expect(toLea()).toHaveLength(1);
    clock.set("2026-03-05T09:00:00Z");
    await bot.scheduler.tick();
    await bot.scheduler.tick();
    expect(toLea()).toEqual([waiting, waiting]);
    const reminder = (await inbox()).at(-1)!;
    expect(reminder.text).toContain("petit rappel");
    expect(`${reminder.title} ${reminder.text}`).toContain("Étape 1/6");
    expect(reminder.components).toContain("accueil:go");
    const read = await emu.sendCommand({ userId: lea, name: "messages" }).final();
    expect(read.ephemeral).toBe(true);
    expect(read.text).toContain("petit rappel");
    expect(read.customIds).toContain("accueil:go");
    await restart();
    expect(toLea()).toHaveLength(2);

    clock.set("2026-03-09T09:00:00Z"); // Monday: seven days
    await bot.scheduler.tick();
    expect(toLea()).toHaveLength(3);
    expect(emu.messagesIn(animation)).toHaveLength(0);

    clock.set("2026-03-16T09:00:00Z"); // fourteen days without progress
    await bot.scheduler.tick();
    await restart();
    clock.set("2026-03-20T09:00:00Z");
    await bot.scheduler.tick();
    const alerts = emu.messagesIn(animation).map(messageText);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain("Léa Durand n'avance plus dans son parcours d'accueil depuis 14 jours (étape 1/6");
    expect(toLea()).toHaveLength(3);

    const followUp = await emu.sendCommand({ userId: emu.ownerId, name: "accueil", subcommand: "suivi" }).final();
    expect(followUp.text).toContain("⚠️ **Léa Durand**");
    expect(followUp.text).toContain("étape 1/6 — Bienvenue");

    // Leaving the server stops the journey, and the animator hears of it.
    emu.leaveGuild(lea);
    await until(async () => (await journeyOf(bot!, "discord", lea))?.state === "stopped", "journey stopped on leave");
    await bot.scheduler.tick();
    expect(emu.messagesIn(animation).map(messageText).at(-1)).toContain("Léa Durand a quitté le serveur Discord du réseau pendant son parcours d'accueil");
  });
});

describe("onboarding on Slack", () => {
  it("walks a newcomer who joins the network channel through the whole journey", async () => {
    slack = await startSlackEmulator();
    const emu = slack;
    const admin = emu.addUser({ name: "admin", realName: "Admin Réseau" }).id;
    const config = await testConfig({ ...slackEnv(emu), BOT_ADMINS: `slack:${admin}` });
    bot = await startBot({ config, log: memoryLogger().log, clock: new ManualClock(START), scheduler: { timer: false } });
    const reseau = emu.addChannel({ name: "reseau" }).id;
    const animation = emu.addChannel({ name: "animation" }).id;
    await setUpNetwork(bot, "slack", admin, { reseau, animation });
    const noe = emu.addUser({ name: "noe", realName: "Noé Petit", displayName: "Noé Petit", firstName: "Noé" }).id;

    // Another channel starts nothing; the network channel does.
    await emu.event("member_joined_channel", { user: noe, channel: emu.defaultChannelId }).ack();
    await emu.idle();
    expect(await journeyOf(bot, "slack", noe)).toBeNull();
    await emu.event("member_joined_channel", { user: noe, channel: reseau }).ack();
    await until(async () => (await journeyOf(bot!, "slack", noe)) !== null, "journey started on joining the network channel");
    await bot.scheduler.tick();
    expect(emu.dmsTo(noe).at(-1)?.fullText).toContain("Bonjour Noé, et bienvenue");

    const click = async (actionId: string) => {
      const h = emu.clickButton({ userId: noe, actionId });
      await h.ack();
      await emu.idle();
    };
    await click("accueil:go");
    await click("accueil:adhere");
    await click("accueil:profil");
    expect(emu.currentView(noe)?.view.callback_id).toBe("accueil:profil");
    const refused = emu.submitView({ userId: noe, values: { prenom: { value: "Noé" }, structure: { value: "Centre social de Remiremont" }, commune: { value: "Remiremont" }, reseaux: { value: "" }, contact: { value: "Messenger" } } });
    expect(await refused.ack()).toMatchObject({ response_action: "errors" });
    await emu.idle();
    expect(emu.currentView(noe)?.errors).toEqual({ reseaux: expect.stringContaining("Valeur obligatoire.") });
    expect((await bot.services.members.findByRef(noe, "slack")).structure).toBeNull();
    const saved = emu.submitView({ userId: noe, values: { prenom: { value: "Noé" }, structure: { value: "Centre social de Remiremont" }, commune: { value: "Remiremont" }, reseaux: { value: "Facebook, WhatsApp" }, contact: { value: "Messenger, les mardis" } } });
    await saved.ack();
    await emu.idle();
    await click("accueil:type:parentalite");
    await click("accueil:annuaire:non");
    for (const item of CHECKLIST) await click(`accueil:coche:${item}`);
    await click("accueil:publiee");

    const last = emu.messagesIn(emu.dmsTo(noe)[0]!.channel).at(-1)!.fullText;
    expect(last).toContain("Votre accueil est terminé, bienvenue dans le réseau !");
    const member = await bot.services.members.findByRef(noe, "slack");
    expect(member).toMatchObject({ status: "ACTIVE", kind: "PARENTALITE", directoryConsent: false, networks: "Facebook, WhatsApp" });
    expect((await bot.services.directory.search({}, 1)).members.map((m) => m.id)).not.toContain(member.id);
    const steps = (await journeyOf(bot, "slack", noe))!.steps.map((s) => s.key).sort();
    expect(steps).toEqual(["accueil", "charte", ...CHECKLIST.map((c) => `liste.${c}`), "presentation", "profil.annuaire", "profil.formulaire", "profil.type", "rencontre"].sort());

    await bot.scheduler.tick();
    expect(emu.messagesIn(reseau).at(-1)?.fullText).toContain("Bienvenue à *Noé* (Centre social de Remiremont, Remiremont), qui rejoint les Promeneurs du Net Parentalité des Vosges !");
    expect(emu.messagesIn(animation).at(-1)?.fullText).toContain("Noé Petit a terminé son parcours d'accueil en moins d'un jour : membre actif, absent de l'annuaire");
  });
});
