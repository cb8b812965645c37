/**
 * The weekly watch through the real bot wiring (startBot) on the Discord and Slack emulators at
 * once, with a controlled clock and no scheduler timer: the test ticks. Feeds are served on
 * 127.0.0.1; the default list is replaced by loopback sources, as a deployment's would be read.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { ManualClock } from "../helpers/clock.js";
import { watchFeature } from "../../src/core/watch/index.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { fixture, startFeedServer, type FeedServer } from "../helpers/feed-server.js";
import { bothEnv } from "../helpers/env.js";

let feeds: FeedServer;
let discord: DiscordEmulator;
let slack: SlackEmulator;
let bots: Bot[] = [];
let clock: ManualClock;
let storeUrl: string;
let animatorD: string;
let memberS: string;
let animatorS: string;
let veilleD: string;
let veilleS: string;

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.route("/cnil.rss", { body: fixture("cnil.rss") });
  feeds.route("/e-enfance.atom", { body: fixture("blog.atom"), contentType: "application/atom+xml" });
  feeds.route("/caf.xml", { body: fixture("latin1.xml"), contentType: "text/xml" });
});
afterAll(() => feeds.close());

beforeEach(async () => {
  discord = await startDiscordEmulator();
  slack = await startSlackEmulator();
  animatorD = discord.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
  animatorS = slack.addUser({ name: "sophie", realName: "Sophie Animatrice", firstName: "Sophie" }).id;
  memberS = slack.addUser({ name: "lucas", realName: "Lucas Bernard", displayName: "Lucas Bernard", firstName: "Lucas" }).id;
  veilleD = discord.addChannel({ name: "veille" }).id;
  veilleS = slack.addChannel({ name: "veille" }).id;
  // Sunday 1 March 2026, 11:00 in Paris.
  clock = new ManualClock("2026-03-01T10:00:00Z");
  storeUrl = "";
  bots = [];
});

afterEach(async () => {
  for (const bot of bots) await bot.stop();
  await discord.close();
  await slack.close();
});

async function start(): Promise<Bot> {
  const config = await testConfig({
    // The feeds are served on 127.0.0.1.
    WATCH_ALLOW_PRIVATE_HOSTS: "1",
    ...bothEnv(discord, slack),
    BOT_ADMINS: `discord:${animatorD},slack:${animatorS}`,
    ...(storeUrl ? { DATABASE_URL: storeUrl } : {}),
  });
  storeUrl = config.DATABASE_URL;
  const bot = await startBot({
    config,
    log: memoryLogger([discord.token, slack.botToken, slack.appToken]).log,
    clock,
    scheduler: { timer: false },
    features: [watchFeature],
    featureOptions: { watch: { defaultSources: [{ name: "CNIL", url: feeds.url("/cnil.rss"), category: "donnees" }], fetch: { timeoutMs: 2000 } } },
  });
  bots.push(bot);
  return bot;
}

async function slackCommand(userId: string, text: string) {
  const [name, ...rest] = text.split(" ");
  const h = slack.slashCommand({ userId, command: name!, text: rest.join(" ") });
  await h.ack();
  return h.final();
}

/** Messages the bot posted in the two « veille » channels. */
const digestsOnDiscord = () => discord.messagesIn(veilleD).filter((m) => m.author.id === discord.botUserId);
const digestsOnSlack = () => slack.messagesIn(veilleS).filter((m) => !m.ephemeral);

async function tickAt(bot: Bot, iso: string) {
  clock.set(iso);
  return bot.scheduler.tick();
}

describe("the weekly watch digest", () => {
  it("is posted on Monday at 09:00 in the watch channel of both platforms, once, even across a restart", async () => {
    const bot = await start();
    const set = await discord.sendCommand({ userId: animatorD, name: "config", subcommand: "canal", options: { usage: "veille", canal: veilleD } }).final();
    expect(set.text).toContain("sert désormais à l'usage « veille »");
    expect((await slackCommand(animatorS, `/config canal usage:veille canal:<#${veilleS}|veille>`)).fullText).toContain("sert désormais à l'usage « veille »");

    // The animator adds a feed (read once at once) on Discord; a member shares an article on Slack.
    const added = await discord
      .sendCommand({ userId: animatorD, name: "veille", subcommand: "source-ajouter", options: { url: feeds.url("/e-enfance.atom"), nom: "e-Enfance", categorie: "mineurs" } })
      .final();
    expect(added.text).toMatch(/Source ajoutée : « e-Enfance » \(#\d+, Prévention et protection des mineurs\), lue chaque heure\.\n2 articles dans le flux : 2 de moins de 7 jours iront dans le prochain récapitulatif\./);
    const shared = await slackCommand(memberS, '/veille ajouter url:https://www.jeprotegemonenfant.example/ecrans?utm_source=slack titre:"Écrans : le guide des parents" commentaire:"Pour les ateliers"');
    expect(shared.fullText).toContain("Merci ! « Écrans : le guide des parents » est ajouté à la veille (Autre), à votre nom.");
    expect(shared.fullText).toContain("lundi 2 mars 2026 à 09:00");

    // The hourly read at 11:50 collects the default source's last 7 days (not its January item).
    await tickAt(bot, "2026-03-01T10:50:00Z");
    expect(await bot.store.prisma.watchItem.count()).toBe(5);
    expect(digestsOnDiscord()).toEqual([]);

    // Monday 09:00 Paris = 08:00Z (winter time).
    await tickAt(bot, "2026-03-02T07:59:00Z");
    expect(digestsOnDiscord()).toEqual([]);
    expect(await tickAt(bot, "2026-03-02T08:00:00Z")).toMatchObject({ done: 1, failed: 0 });
    const [onDiscord] = digestsOnDiscord();
    const [onSlack] = digestsOnSlack();
    expect(digestsOnDiscord()).toHaveLength(1);
    expect(digestsOnSlack()).toHaveLength(1);
    const embed = JSON.stringify(onDiscord!.embeds);
    expect(onDiscord!.embeds[0]!.title).toBe("Veille de la semaine — 2 mars 2026");
    for (const text of [embed, onSlack!.fullText]) {
      expect(text).toContain("5 articles depuis le dernier récapitulatif, dont 1 partagé par des membres du réseau.");
      expect(text).toContain("Contrôle parental : la CNIL publie ses recommandations");
      expect(text).toContain("Snapchat : nouvelles fonctions de contrôle familial");
      expect(text).toContain("partagé par Lucas Bernard");
      expect(text).not.toContain("Cookies : bilan des contrôles 2025");
    }
    expect(embed).toContain("Prévention et protection des mineurs (2)");
    expect(embed).toContain("(https://www.cnil.fr/fr/controle-parental-recommandations-editeurs)");
    expect(onSlack!.fullText).toContain("<https://www.jeprotegemonenfant.example/ecrans|Écrans : le guide des parents>");

    // Ticking again, then restarting on the same database, posts nothing more.
    await tickAt(bot, "2026-03-02T08:01:00Z");
    await bot.stop();
    const again = await start();
    await again.scheduler.tick();
    await tickAt(again, "2026-03-02T09:00:00Z");
    expect(digestsOnDiscord()).toHaveLength(1);
    expect(digestsOnSlack()).toHaveLength(1);
    expect(await again.store.prisma.watchSource.count()).toBe(2); // defaults not loaded twice
    expect(await again.store.prisma.watchDigest.count()).toBe(1);

    // The next Monday: nothing new came in, so nothing is posted.
    await tickAt(again, "2026-03-09T07:50:00Z");
    expect(await tickAt(again, "2026-03-09T08:00:00Z")).toMatchObject({ failed: 0 });
    expect(digestsOnDiscord()).toHaveLength(1);
    expect(digestsOnSlack()).toHaveLength(1);
    expect(slack.problems).toEqual([]);
  });

  it("shows the animator a preview and the week's list, and refuses bad input in French without writing", async () => {
    const bot = await start();
    await bot.services.settings.setChannel("slack", "veille", veilleS, (await bot.services.members.bootstrapAdmins([`slack:${animatorS}`]))[0]!.id);
    await tickAt(bot, "2026-03-01T10:50:00Z");

    const preview = await slackCommand(animatorS, "/veille apercu");
    expect(preview.ephemeral).toBe(true);
    expect(preview.fullText).toContain("Aperçu non publié : voici ce que contiendrait le récapitulatif du lundi 2 mars 2026 à 09:00.");
    expect(preview.fullText).toContain("2 articles depuis le dernier récapitulatif.");
    expect(digestsOnSlack()).toEqual([]);
    expect((await slackCommand(memberS, "/veille apercu")).fullText).toContain("réservée aux rôles suivants");

    const refused = await slackCommand(memberS, "/veille ajouter url:javascript:alert(1)");
    expect(refused.fullText).toContain("url : ce n'est pas une adresse web (http:// ou https://). Forme attendue : une adresse complète commençant par https:// (ou http://).");
    const bad = await slackCommand(animatorS, `/veille source-ajouter url:${feeds.url("/absent.rss")} nom:Absent categorie:autre`);
    expect(bad.fullText).toContain("Impossible d'ajouter cette source : le serveur a répondu 404 (adresse introuvable). Rien n'a été ajouté.");
    const cron = await slackCommand(animatorS, '/veille horaire cron:"0 9 * * lundi"');
    expect(cron.fullText).toContain("expression cron invalide « 0 9 ∗ ∗ lundi » : caractères non reconnus dans le champ jour de la semaine");
    expect(cron.fullText).toContain("Forme attendue : 5 champs entre guillemets, par exemple « 0 9 ∗ ∗ 1 » pour chaque lundi à 9 h.");
    expect(cron.fullText).toContain("Rien n'a été modifié.");
    expect(await bot.store.prisma.watchSource.count()).toBe(1);
    expect(await bot.store.prisma.watchItem.count()).toBe(2);

    const moved = await slackCommand(animatorS, '/veille horaire cron:"30 17 * * 5"');
    expect(moved.fullText).toContain("le récapitulatif paraîtra selon « 30 17 ∗ ∗ 5 » (fuseau Europe/Paris) ; le prochain : vendredi 6 mars 2026 à 17:30.");
    expect(await bot.scheduler.jobs.list({ kind: "watch.digest", state: "pending" })).toMatchObject([{ dueAt: new Date("2026-03-06T16:30:00Z") }]);

    await tickAt(bot, "2026-03-06T16:30:00Z");
    expect(digestsOnSlack()).toHaveLength(1);
    const week = await slackCommand(memberS, "/veille semaine");
    expect(week.ephemeral).toBe(true);
    expect(week.fullText).toContain("Récapitulatif du 6 mars 2026 : 2 articles.");
    expect(week.fullText).toContain("Majorité numérique");
  });

  it("keeps the digest after its schedule is changed away and back, across a restart", async () => {
    let bot = await start();
    await bot.services.settings.setChannel("slack", "veille", veilleS, (await bot.services.members.bootstrapAdmins([`slack:${animatorS}`]))[0]!.id);
    await tickAt(bot, "2026-03-01T10:50:00Z");
    for (const cron of ["0 3 * * *", "0 9 * * 5", "0 9 * * 1"]) {
      expect((await slackCommand(animatorS, `/veille horaire cron:"${cron}"`)).fullText).toContain("le prochain :");
    }
    const pending = async (b: Bot) => (await b.scheduler.jobs.list({ kind: "watch.digest", state: "pending" })).map((j) => j.dueAt.toISOString());
    expect(await pending(bot)).toEqual(["2026-03-02T08:00:00.000Z"]);

    await bot.stop();
    bots = [];
    bot = await start();
    expect(await pending(bot)).toEqual(["2026-03-02T08:00:00.000Z"]);
    await tickAt(bot, "2026-03-02T08:00:00Z");
    expect(digestsOnSlack()).toHaveLength(1);
  });
});

