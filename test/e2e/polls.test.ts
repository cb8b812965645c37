/**
 * Polls end to end: the real bot on the Discord and Slack emulators at once, one vote count
 * across both, live results edited in place, closing as a durable job, the non-voter reminder,
 * and anonymity checked on everything the bot shows, logs and stores.
 */
import { afterEach, describe, expect, it } from "vitest";
import { messageText } from "../emulators/discord/message-content.js";
import { everythingShown, lastDiscord, postedIn, slackAnswer, slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const POLL = { question: "Quel jour pour la rencontre départementale ?", options: "Mardi ; Jeudi ; Vendredi", cloture: "mercredi 4 mars 18h" };

async function createPoll(world: World, extra: Record<string, string | boolean> = {}) {
  const shown = await world.discord.sendCommand({ userId: world.animator.discord, name: "sondage", subcommand: "creer", options: { ...POLL, ...extra } }).final();
  expect(shown.text).toContain("publié (Discord et Slack)");
  return shown;
}

const discordPoll = (world: World) => messageText(postedIn(world.discord, world.channels.discord.annonces)[0]);
const slackPoll = (world: World) => world.slack.messagesIn(world.channels.slack.annonces).filter((m) => !m.ephemeral)[0]!;

describe("polls across platforms", () => {
  it("merges Discord and Slack votes into one result, edited in place everywhere, and lets a member change their vote", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    await createPoll(w);
    expect(discordPoll(w)).toContain("0 votant");
    expect(slackPoll(w).fullText).toContain("Quel jour pour la rencontre départementale ?");

    const first = await discord.clickButton({ userId: alice, customId: "sondage:vote:1:1" }).final();
    expect(first.ephemeral).toBe(true);
    expect(first.text).toContain("Vote enregistré : **1. Mardi**");
    await discord.clickButton({ userId: bruno, customId: "sondage:vote:1:2" }).final();
    const onSlack = await slackAnswer(slack.clickButton({ userId: chloe, actionId: "sondage:vote:1:2" }));
    expect(onSlack.ephemeral).toBe(true);
    expect(onSlack.fullText).toContain("Vote enregistré : *2. Jeudi*");

    const editsBefore = slack.callsTo("chat.update").length;
    await w.c.live.flush();
    // Three votes within one render window: one edit per posted message, on each platform.
    expect(slack.callsTo("chat.update").length - editsBefore).toBe(1);
    for (const text of [discordPoll(w), slackPoll(w).fullText]) {
      expect(text).toContain("3 votants");
      expect(text).toMatch(/2\. Jeudi[\s\S]*2 voix · 67 %/);
      expect(text).toMatch(/1\. Mardi[\s\S]*1 voix · 33 %/);
    }
    expect(slackPoll(w).edited).toBe(true);

    const changed = await discord.clickButton({ userId: alice, customId: "sondage:vote:1:2" }).final();
    expect(changed.text).toContain("Vote modifié : **2. Jeudi** (au lieu de 1. Mardi)");
    await w.c.live.flush();
    expect(discordPoll(w)).toMatch(/2\. Jeudi[\s\S]*3 voix · 100 %/);
    expect(slackPoll(w).fullText).toMatch(/1\. Mardi[\s\S]*0 voix · 0 %/);
    expect(await w.bot.store.prisma.vote.count()).toBe(3);

    // Who chose what: the staff only while the poll is open, everyone once it is closed.
    const early = await slackCommand(slack, chloe, "/sondage resultats");
    expect(early.fullText).toMatch(/2\. Jeudi[\s\S]*3 voix/);
    expect(early.fullText).not.toContain("Alice Martin");
    expect(early.fullText).toContain("Les noms des votants seront visibles de tous à la clôture");
    const staff = await slackCommand(slack, w.animator.slack, "/sondage resultats");
    expect(staff.fullText).toMatch(/2\. Jeudi[\s\S]*Alice Martin, Bruno Petit, chloe/);
    await discord.sendCommand({ userId: w.animator.discord, name: "sondage", subcommand: "cloturer", options: { id: 1 } }).final();
    const closed = await slackCommand(slack, chloe, "/sondage resultats");
    expect(closed.fullText).toMatch(/2\. Jeudi[\s\S]*Alice Martin, Bruno Petit, chloe/);
  });

  it("shows the voters to every member from the start of a poll created with noms:visibles, and refuses it for an anonymous poll", async () => {
    w = await startWorld();
    const { discord } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const refused = await discord.sendCommand({ userId: w.animator.discord, name: "sondage", subcommand: "creer", options: { ...POLL, anonyme: true, noms: "visibles" } }).final();
    expect(refused.text).toContain("un vote anonyme n'a pas de noms à montrer");
    expect(await w.bot.store.prisma.poll.count()).toBe(0);
    await createPoll(w, { noms: "visibles" });
    await discord.clickButton({ userId: alice, customId: "sondage:vote:1:2" }).final();
    const seen = await discord.sendCommand({ userId: bruno, name: "sondage", subcommand: "resultats" }).final();
    expect(seen.text).toMatch(/2\. Jeudi[\s\S]*Alice Martin/);
  });

  it("ticks and unticks options of a multiple-choice poll", async () => {
    w = await startWorld();
    const alice = w.discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    await createPoll(w, { choix: "multiple" });
    await w.discord.clickButton({ userId: alice, customId: "sondage:vote:1:1" }).final();
    const two = await w.discord.clickButton({ userId: alice, customId: "sondage:vote:1:3" }).final();
    expect(two.text).toContain("Vos choix : 1. Mardi, 3. Vendredi.");
    const off = await w.discord.clickButton({ userId: alice, customId: "sondage:vote:1:1" }).final();
    expect(off.text).toContain("Retiré de votre vote : **1. Mardi**. Vos choix : 3. Vendredi.");
    await w.c.live.flush();
    expect(discordPoll(w)).toContain("1 votant");
    expect(discordPoll(w)).toMatch(/3\. Vendredi[\s\S]*1 voix · 100 %/);
    // Closed early by the animator: the result goes out now and the closing job will not run.
    const closed = await slackCommand(w.slack, w.animator.slack, "/sondage cloturer id:1");
    expect(closed.fullText).toContain("Sondage n°1 clos. Résultat publié (Discord et Slack).");
    expect(messageText(lastDiscord(w.discord, w.channels.discord.annonces))).toContain("Résultat : **3. Vendredi** (1 voix).");
    expect((await w.bot.store.prisma.job.findMany({ where: { kind: { startsWith: "poll." } } })).map((j) => j.state)).toEqual(["cancelled", "cancelled"]);
  });

  it("refuses duplicate, empty or too few options and a past closing date, in French, writing nothing", async () => {
    w = await startWorld();
    const refused = await slackCommand(w.slack, w.animator.slack, '/sondage creer question:"Quel jour ?" options:"Mardi ; mardi ;  ; Jeudi" cloture:"02/03/2026 08h00"');
    expect(refused.fullText).toContain("« mardi » est donnée deux fois (options 1 et 2)");
    expect(refused.fullText).toContain("l'option 3 est vide");
    expect(refused.fullText).toContain("qui est passé");
    expect(refused.fullText).toContain("Rien n'a été enregistré.");
    const tooFew = await slackCommand(w.slack, w.animator.slack, '/sondage creer question:"Quel jour ?" options:"Mardi" cloture:"vendredi 18h"');
    expect(tooFew.fullText).toContain("2 options au moins (1 donnée)");
    const tooMany = await slackCommand(w.slack, w.animator.slack, `/sondage creer question:"Quel jour ?" options:"${Array.from({ length: 11 }, (_, i) => `Option ${i + 1}`).join(" ; ")}" cloture:"vendredi 18h"`);
    expect(tooMany.fullText).toContain("10 options au plus (11 données)");
    expect(await w.bot.store.prisma.poll.count()).toBe(0);
    expect(await w.bot.store.prisma.job.count({ where: { kind: { startsWith: "poll." } } })).toBe(0);
    expect(w.slack.messagesIn(w.channels.slack.annonces)).toEqual([]);
  });

  it("fits ten options in Discord's rows of five buttons and Slack's blocks", async () => {
    w = await startWorld();
    const options = Array.from({ length: 10 }, (_, i) => `Proposition numéro ${i + 1} avec un intitulé vraiment très long pour voir comment il est coupé sur les boutons`.slice(0, 100)).join(" ; ");
    await createPoll(w, { options });
    const posted = lastDiscord(w.discord, w.channels.discord.annonces)!;
    const rows = posted.components as { components: { label?: string }[] }[];
    expect(rows.map((r) => r.components.length)).toEqual([5, 5, 1]);
    expect(rows.flatMap((r) => r.components).every((b) => (b.label ?? "").length <= 80)).toBe(true);
    expect(w.slack.problems).toEqual([]);
    expect(slackPoll(w).fullText).toContain("10. Proposition numéro 10");
  });

  it("keeps an anonymous poll anonymous in every message, log line and stored row", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    await createPoll(w, { anonyme: true, cloture: "samedi 7 mars 18h" });
    await discord.clickButton({ userId: alice, customId: "sondage:vote:1:1" }).final();
    await slackAnswer(slack.clickButton({ userId: chloe, actionId: "sondage:vote:1:3" }));
    await discord.clickButton({ userId: alice, customId: "sondage:vote:1:3" }).final();
    await w.c.live.flush();
    await slackCommand(slack, w.animator.slack, "/sondage resultats id:1");
    // The reminder the day before closing, then the closing itself.
    w.clock.set("2026-03-06T17:00:00Z");
    await w.bot.scheduler.tick();
    w.clock.set("2026-03-07T17:00:00Z");
    await w.bot.scheduler.tick();

    const voters = await w.bot.store.prisma.member.findMany({ where: { accounts: { some: { externalId: { in: [alice, chloe] } } } } });
    expect(voters).toHaveLength(2);
    const names = ["Alice", "Chloé", "alice", "chloe"];
    const shown = everythingShown(w);
    const resultPost = shown.filter((t) => t.includes("Résultat du sondage n°1"));
    expect(resultPost.length).toBe(2);
    expect(resultPost[0]).toMatch(/3\. Vendredi[\s\S]*2 voix · 100 %/);
    for (const text of shown) {
      for (const name of names) expect(text).not.toContain(name);
      for (const v of voters) expect(text).not.toContain(`#${v.id}`);
      expect(text).not.toContain(alice);
      expect(text).not.toContain(chloe);
    }
    const logs = w.logs().join("\n");
    for (const id of [alice, chloe]) expect(logs).not.toContain(id);
    for (const v of voters) {
      expect(logs).not.toMatch(new RegExp(`"(member|memberId|recipient)":"?(member:)?${v.id}\\b`));
    }
    // In the store: no member id on the votes, and once closed no salt to recompute the keys.
    const votes = await w.bot.store.prisma.vote.findMany();
    expect(votes.map((v) => v.memberId)).toEqual([null, null]);
    const poll = await w.bot.store.prisma.poll.findUniqueOrThrow({ where: { id: 1 } });
    expect(poll.voterSalt).toBeNull();
    const deliveries = await w.bot.store.prisma.delivery.findMany();
    expect(deliveries.every((d) => d.recipient.startsWith("anon:") || d.recipient === "resultat")).toBe(true);
    // The audit trail records the poll, never a vote.
    const audit = await w.bot.store.prisma.auditLog.findMany();
    expect(audit.map((a) => a.action).filter((a) => a.startsWith("poll."))).toEqual(["poll.create"]);
    // Closed: the buttons are gone from the poll message, so there is nothing to click any more.
    expect(() => discord.clickButton({ userId: alice, customId: "sondage:monvote:1" })).toThrow();
  });

  it("closes once at its date, even across a restart, posts the result once everywhere and refuses late votes", async () => {
    w = await startWorld();
    const alice = w.discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    await createPoll(w);
    await w.discord.clickButton({ userId: alice, customId: "sondage:vote:1:3" }).final();
    await w.restart();
    // The bot was down at the closing time: the job runs at the first tick after the restart.
    w.clock.set("2026-03-04T19:30:00Z");
    await w.restart();
    await w.bot.scheduler.tick();
    await w.bot.scheduler.tick();
    const results = (channel: string) => w!.slack.messagesIn(channel).filter((m) => m.fullText.includes("Résultat du sondage n°1"));
    expect(results(w.channels.slack.annonces)).toHaveLength(1);
    expect(results(w.channels.slack.annonces)[0]!.fullText).toContain("Résultat : *3. Vendredi* (1 voix)");
    expect(w.discord.messagesIn(w.channels.discord.annonces).filter((m) => messageText(m).includes("Résultat du sondage n°1"))).toHaveLength(1);
    const original = w.slack.messagesIn(w.channels.slack.annonces)[0]!;
    expect(original.fullText).toContain("Sondage clos n°1");
    expect(JSON.stringify(original.blocks)).not.toContain("sondage:vote");
    const jobs = await w.bot.store.prisma.job.findMany({ where: { kind: "poll.close" } });
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([["done", 1]]);
    const late = await w.bot.router.handle({ type: "component", user: { platform: "discord", id: alice, workspaceId: "", displayName: "Alice" }, channelId: "", canOpenModal: false, customId: "sondage:vote:1:1", values: [] });
    expect(late.text).toContain("Le sondage n°1 est clos");
    expect(await w.bot.store.prisma.vote.count()).toBe(1);
  });

  it("reminds, 24 hours before closing, only the members of the public who have not voted", async () => {
    w = await startWorld();
    const { discord, slack } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    const denis = slack.addUser({ name: "denis", realName: "Denis Parent", firstName: "Denis" }).id;
    // Everyone has used the bot once (so they are members); Denis is a Promeneur Parentalité.
    for (const id of [alice, bruno]) await discord.sendCommand({ userId: id, name: "aide" }).final();
    for (const id of [chloe, denis]) await slackCommand(slack, id, "/aide");
    await slackCommand(slack, denis, "/profil modifier type:parentalite");
    await createPoll(w, { public: "jeunesse" });
    await discord.clickButton({ userId: alice, customId: "sondage:vote:1:2" }).final();
    const refused = await slackAnswer(slack.clickButton({ userId: denis, actionId: "sondage:vote:1:2" }));
    expect(refused.fullText).toContain("Vous ne pouvez pas voter à ce sondage : il s'adresse aux Promeneurs Jeunesse.");

    w.clock.set("2026-03-03T16:59:00Z");
    await w.bot.scheduler.tick();
    expect(discord.dmsTo(bruno)).toEqual([]);
    w.clock.set("2026-03-03T17:00:00Z");
    await w.bot.scheduler.tick();
    await w.bot.scheduler.tick();
    expect(discord.dmsTo(alice)).toEqual([]);
    expect(discord.dmsTo(bruno)).toHaveLength(1);
    expect(messageText(discord.dmsTo(bruno)[0])).toContain("vous n'avez pas encore répondu");
    expect(slack.dmsTo(chloe)).toHaveLength(1);
    expect(slack.dmsTo(denis)).toEqual([]);
    // The reminder carries the vote buttons: Bruno votes from his private messages.
    const fromDm = await discord.clickButton({ userId: bruno, customId: "sondage:vote:1:1" }).final();
    expect(fromDm.text).toContain("Vote enregistré : **1. Mardi**");
  });

  it("leaves no open poll and no queued job when no platform could post it", async () => {
    w = await startWorld();
    const toAnnouncements = ({ method, path }: { method: string; path: string }) => method === "POST" && path === `/channels/${w!.channels.discord.annonces}/messages`;
    w.discord.failNext(toAnnouncements, { status: 403, code: 50001, message: "Missing Access" });
    w.slack.failNext("chat.postMessage", { error: "not_in_channel" });
    const refused = await w.discord.sendCommand({ userId: w.animator.discord, name: "sondage", subcommand: "creer", options: POLL }).final();
    expect(refused.text).toContain("Publication impossible (");
    expect(refused.text).toContain("Rien n'a été enregistré");
    const db = w.bot.store.prisma;
    expect(await db.poll.count()).toBe(0);
    expect(await db.pollOption.count()).toBe(0);
    expect(await db.job.count({ where: { kind: { startsWith: "poll." } } })).toBe(0);
    await createPoll(w);
  });

  it("sends the non-voter reminder of a poll closing at 3 h at 08:00, not in the night", async () => {
    w = await startWorld();
    await createPoll(w, { cloture: "05/03/2026 03h00" });
    const [remind] = await w.bot.scheduler.jobs.list({ kind: "poll.remind" });
    expect(remind?.dueAt).toEqual(new Date("2026-03-04T07:00:00Z")); // Wednesday 08:00 in Paris, not 03:00
  });
});

