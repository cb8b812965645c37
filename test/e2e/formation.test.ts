/**
 * The training-needs survey end to end: themes ticked from Discord and Slack, a free-text need
 * typed in a form, and the ranking kept per year for the evaluation.
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { postedIn, slackAnswer, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

describe("training-needs survey", () => {
  it("ranks the themes ticked on both platforms and keeps free-text needs, per year", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    const opened = await slackCommand(slack, w.animator.slack, '/formation besoins ajouter:"Intelligence artificielle et jeunes" retirer:"8 ; Écrans, sommeil et santé"');
    expect(opened.fullText).toContain("Enquête n°1 sur les besoins de formation 2026 publiée (Discord et Slack) : 12 thèmes");
    const posted = messageText(postedIn(discord, w.channels.discord.annonces)[0]);
    expect(posted).toContain("Cyberharcèlement et cyberviolences");
    expect(posted).toContain("12. Intelligence artificielle et jeunes");
    expect(posted).not.toContain("Jeux vidéo");

    const ticked = await discord.selectMenu({ userId: alice, customId: "formation:coche:1:0", values: ["cyberharcelement", "radicalisation"] }).final();
    expect(ticked.text).toContain("Vos thèmes :");
    expect(ticked.text).toContain("- Prévention de la radicalisation en ligne");
    // A new choice replaces the previous one.
    await discord.selectMenu({ userId: alice, customId: "formation:coche:1:0", values: ["cyberharcelement", "c1"] }).final();
    await discord.selectMenu({ userId: bruno, customId: "formation:coche:1:0", values: ["cyberharcelement"] }).final();
    await slackAnswer(slack.selectOption({ userId: chloe, actionId: "formation:coche:1:0", value: ["c1", "cyberharcelement"] }));

    const form = await discord.clickButton({ userId: alice, customId: "formation:libre:1" }).final();
    expect(form.modal?.custom_id).toBe("formation:besoin:1");
    const need = await discord.submitModal({ userId: alice, customId: "formation:besoin:1", fields: { besoin: "Répondre à un jeune en détresse sur Snapchat" } }).final();
    expect(need.text).toContain("Votre besoin est enregistré.");
    await slack.clickButton({ userId: chloe, actionId: "formation:libre:1" }).ack();
    await slack.idle();
    expect(slack.currentView(chloe)?.view.callback_id).toBe("formation:besoin:1");
    await slack.submitView({ userId: chloe, values: { besoin: { value: "Animer un live Twitch avec des ados" } } }).ack();
    expect(slack.problems).toEqual([]);

    const results = await slackCommand(slack, w.animator.slack, "/formation resultats");
    expect(results.fullText).toContain("3 réponses");
    expect(results.fullText).toMatch(/1\. Cyberharcèlement et cyberviolences — `█+` 3 \(100 %\)/);
    expect(results.fullText).toMatch(/2\. Intelligence artificielle et jeunes — `[█░]+` 2 \(67 %\)/);
    expect(results.fullText).toContain("Répondre à un jeune en détresse sur Snapchat");
    expect(results.fullText).toContain("Animer un live Twitch avec des ados");
    // Needs without names: the evaluation is about the network's needs, not who has them.
    expect(results.fullText).not.toContain("Alice");

    await slackCommand(slack, w.animator.slack, "/formation cloturer");
    // The menus are gone from the closed survey; an old one still lying around is refused.
    expect(() => discord.selectMenu({ userId: bruno, customId: "formation:coche:1:0", values: ["radicalisation"] })).toThrow();
    const late = await w.bot.router.handle({ type: "component", user: { platform: "discord", id: bruno, workspaceId: "", displayName: "Bruno" }, channelId: "", canOpenModal: false, customId: "formation:coche:1:0", values: ["radicalisation"] });
    expect(late.text).toContain("L'enquête n°1 est close : votre réponse n'a pas été enregistrée.");
    // The next year's survey starts afresh; last year's ranking stays available.
    w.clock.set("2027-01-10T10:00:00Z");
    await slackCommand(slack, w.animator.slack, "/formation besoins");
    const old = await slackCommand(slack, w.animator.slack, "/formation resultats annee:2026");
    expect(old.fullText).toContain("Besoins de formation 2026");
    expect(old.fullText).toContain("3 réponses");
    const none = await slackCommand(slack, w.animator.slack, "/formation resultats annee:2025");
    expect(none.fullText).toContain("Aucune enquête sur les besoins de formation en 2025. Années disponibles : 2026, 2027.");
  });

  it("refuses an unknown theme to remove or a duplicate to add, writing nothing", async () => {
    w = await startWorld();
    const refused = await slackCommand(w.slack, w.animator.slack, '/formation besoins retirer:"42 ; Astrologie" ajouter:"cyberharcèlement et cyberviolences"');
    expect(refused.fullText).toContain("« 42 » n'est pas un thème de la liste");
    expect(refused.fullText).toContain("« Astrologie » n'est pas un thème de la liste");
    expect(refused.fullText).toContain("est déjà dans la liste");
    expect(await w.bot.store.prisma.trainingSurvey.count()).toBe(0);
  });
});
