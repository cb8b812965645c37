/**
 * Announcements end to end: typed in a form, posted and pinned on every platform, copied by
 * private message to their public, then corrected and withdrawn everywhere they were posted.
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { lastDiscord, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

describe("announcements", () => {
  it("posts a form-typed announcement on both platforms, pins it, copies it privately to its public, then corrects and withdraws every copy", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    const paul = slack.addUser({ name: "paul", realName: "Paul Parent", firstName: "Paul" }).id;
    await discord.sendCommand({ userId: alice, name: "profil", subcommand: "modifier", options: { type: "jeunesse" } }).final();
    await slackCommand(slack, chloe, "/profil modifier type:jeunesse");
    await slackCommand(slack, paul, "/profil modifier type:parentalite");

    const opened = await discord.sendCommand({ userId: w.animator.discord, name: "annonce", subcommand: "publier", options: { public: "jeunesse", copie: true, epingler: true } }).final();
    expect(opened.modal?.custom_id).toBe("annonce:publier:jeunesse:1:1");
    const done = await discord
      .submitModal({ userId: w.animator.discord, customId: "annonce:publier:jeunesse:1:1", fields: { titre: "Formation cyberharcèlement", texte: "Inscriptions ouvertes jusqu'au 20 mars.\nLieu : Caf d'Épinal." } })
      .final();
    expect(done.text).toContain("Annonce n°1 publiée (Discord et Slack) ; épinglée ; copie par message privé en cours d'envoi aux Promeneurs Jeunesse");
    const onDiscord = lastDiscord(discord, w.channels.discord.annonces)!;
    expect(messageText(onDiscord)).toContain("Formation cyberharcèlement");
    expect(messageText(onDiscord)).toContain("Pour les Promeneurs Jeunesse · annonce n°1");
    expect(onDiscord.pinned).toBe(true);
    const onSlack = slack.messagesIn(w.channels.slack.annonces)[0]!;
    expect(onSlack.fullText).toContain("Lieu : Caf d'Épinal.");
    expect(onSlack.pinned).toBe(true);

    await w.bot.scheduler.tick();
    expect(messageText(discord.dmsTo(alice)[0])).toContain("Inscriptions ouvertes");
    expect(slack.dmsTo(chloe)).toHaveLength(1);
    expect(slack.dmsTo(paul)).toEqual([]);

    const fixed = await slackCommand(slack, w.animator.slack, '/annonce modifier id:1 texte:"Inscriptions ouvertes jusqu\'au 27 mars."');
    expect(fixed.fullText).toContain("Annonce n°1 modifiée partout où elle a été publiée (");
    for (const text of [messageText(lastDiscord(discord, w.channels.discord.annonces)), slack.messagesIn(w.channels.slack.annonces)[0]!.fullText, messageText(discord.dmsTo(alice)[0]), slack.dmsTo(chloe)[0]!.fullText]) {
      expect(text).toContain("27 mars");
      expect(text).toContain("Formation cyberharcèlement");
    }

    const removed = await slackCommand(slack, w.animator.slack, "/annonce supprimer id:1");
    expect(removed.fullText).toContain("Annonce n°1 retirée");
    for (const text of [messageText(lastDiscord(discord, w.channels.discord.annonces)), slack.messagesIn(w.channels.slack.annonces)[0]!.fullText, slack.dmsTo(chloe)[0]!.fullText]) {
      expect(text).toContain("Cette annonce (n°1) a été retirée par l'animateur du réseau.");
      expect(text).not.toContain("27 mars");
    }
    const again = await slackCommand(slack, w.animator.slack, "/annonce modifier id:1 texte:x");
    expect(again.fullText).toContain("L'annonce n°1 a été retirée : elle ne peut plus être modifiée.");
    const audit = (await w.bot.store.prisma.auditLog.findMany()).map((a) => a.action).filter((a) => a.startsWith("announcement."));
    expect(audit).toEqual(["announcement.publish", "announcement.modify", "announcement.remove"]);
  });

  it("refuses to publish without an « annonces » channel or with an empty text, and is for the animator only", async () => {
    w = await startWorld();
    const member = w.slack.addUser({ name: "chloe", realName: "Chloé Durand" }).id;
    const denied = await slackCommand(w.slack, member, '/annonce publier texte:"Bonjour"');
    expect(denied.fullText).toContain("réservée aux rôles suivants");
    const empty = await w.discord.submitModal({ userId: w.animator.discord, customId: "annonce:publier:tous:0:0", fields: { titre: "", texte: "   " } }).final();
    expect(empty.text).toContain("le texte de l'annonce est vide");
    await w.bot.store.prisma.setting.deleteMany({ where: { key: { contains: "annonces" } } });
    const noChannel = await slackCommand(w.slack, w.animator.slack, '/annonce publier texte:"Bonjour à tous"');
    expect(noChannel.fullText).toContain("Aucun salon « annonces » n'est configuré");
    expect(await w.bot.store.prisma.announcement.count()).toBe(0);
  });

  it("keeps nothing when no platform could show the announcement, and keeps what one platform showed", async () => {
    w = await startWorld();
    const toAnnouncements = ({ method, path }: { method: string; path: string }) => method === "POST" && path === `/channels/${w!.channels.discord.annonces}/messages`;
    w.discord.failNext(toAnnouncements, { status: 403, code: 50001, message: "Missing Access" });
    w.slack.failNext("chat.postMessage", { error: "not_in_channel" });
    const refused = await slackCommand(w.slack, w.animator.slack, '/annonce publier texte:"Bonjour à tous" copie:oui');
    expect(refused.fullText).toContain("Publication impossible (");
    expect(refused.fullText).toContain("Rien n'a été enregistré");
    const db = w.bot.store.prisma;
    expect(await db.announcement.count()).toBe(0);
    expect(await db.job.count({ where: { kind: "announcement.copies" } })).toBe(0);
    expect(await db.auditLog.count({ where: { targetType: "announcement" } })).toBe(0);

    w.discord.failNext(toAnnouncements, { status: 403, code: 50001, message: "Missing Access" });
    const half = await slackCommand(w.slack, w.animator.slack, '/annonce publier texte:"Bonjour à tous"');
    expect(half.fullText).toMatch(/Annonce n°\d+ publiée \(Slack\)/);
    expect(half.fullText).toContain("Pas publié sur Discord");
    expect(await db.announcement.count()).toBe(1);
    expect(await db.postedMessage.count()).toBe(1);
  });
});

