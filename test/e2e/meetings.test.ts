/**
 * Network meetings end to end, on the Discord and Slack emulators at once, with the real bot
 * wiring and a controlled clock: create → answers from both platforms → reminders at each offset
 * to the right people only → change → cancel; attendance and the .ics; the Discord calendar.
 */
import { describe, expect, it } from "vitest";
import {
  clickOnDiscord,
  clickOnSlack,
  createMeeting,
  discordDms,
  discordPost,
  discordPostMessage,
  onDiscord,
  onSlack,
  promeneur,
  slackDms,
  slackPost,
  startWorld,
} from "./meetings-world.js";

const rsvp = (id: number, choice: "oui" | "peutetre" | "non") => `rencontre:rsvp:${id}:${choice}`;

describe("network meetings", () => {
  it("announces a meeting on both platforms and counts the answers from both, live, one per person", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea" }).id;
    const hugo = w.slack.addUser({ name: "hugo", realName: "Hugo Petit" }).id;
    const noraD = w.discord.addUser({ username: "nora" }).id;
    const noraS = w.slack.addUser({ name: "nora" }).id;
    await promeneur(w, "Nora", { discord: noraD, slack: noraS });

    const { id, shown } = await createMeeting(w, { debut: "12 mars 14h", places: 2 });
    expect(shown.ephemeral).toBe(true);
    expect(shown.text).toContain("**jeudi 12 mars 2026 à 14:00** (2 h)");
    expect(shown.text).toContain("Publiée dans le salon des rencontres sur Discord et Slack");
    expect(shown.text).toContain("7 jours avant : jeudi 5 mars 2026 à 14:00");
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("Je viens : 0 · Peut-être : 0 · Je ne viens pas : 0");
    expect(slackPost(w, w.channels.slack.rencontres)).toContain("Rencontre départementale — Les réseaux sociaux des 11-15 ans");

    const answered = await clickOnDiscord(w, lea, rsvp(id, "oui"));
    expect(answered.ephemeral).toBe(true);
    expect(answered.text).toContain("C'est noté : vous venez à « Les réseaux sociaux des 11-15 ans »");
    expect(answered.text).toContain("Vous recevrez un rappel par message privé le jeudi 5 mars 2026 à 14:00.");
    const maybe = await clickOnSlack(w, hugo, rsvp(id, "peutetre"));
    expect(maybe.fullText).toContain("Vous recevrez un rappel par message privé le jeudi 5 mars 2026 à 14:00. Confirmez quand vous saurez.");
    // Nora answers on Discord, then changes her mind on Slack: one member, one answer.
    await clickOnDiscord(w, noraD, rsvp(id, "oui"));
    const changed = await clickOnSlack(w, noraS, rsvp(id, "non"));
    expect(changed.fullText).toContain("vous ne venez pas");

    for (const post of [discordPost(w, w.channels.discord.rencontres), slackPost(w, w.channels.slack.rencontres)]) {
      expect(post).toContain("Je viens : 1 · Peut-être : 1 · Je ne viens pas : 1");
      expect(post).toContain("Places : 1/2");
    }
    expect(w.slack.messagesIn(w.channels.slack.rencontres).filter((m) => !m.ephemeral)).toHaveLength(1);
    expect(w.slack.messagesIn(w.channels.slack.rencontres).at(0)?.edited).toBe(true);
    expect(await w.bot.store.prisma.rsvp.count()).toBe(3);

    const list = await onSlack(w, noraS, "liste");
    expect(list.fullText).toContain(`n° ${id} — Rencontre départementale`);
    expect(list.fullText).toContain("Votre réponse : *Je ne viens pas*");
  });

  it("still announces on Slack when Discord is down, and posts on Discord once it is back", async () => {
    const w = await startWorld();
    const toMeetings = ({ method, path }: { method: string; path: string }) => method === "POST" && path === `/channels/${w.channels.discord.rencontres}/messages`;
    w.discord.failNext(toMeetings, { status: 503, times: 4 }); // every try discord.js makes
    const { id, shown } = await createMeeting(w, { debut: "12 mars 14h" });
    expect(shown.text).toContain("Publiée dans le salon des rencontres sur Slack.");
    expect(shown.text).toContain("Sur Discord : la plateforme ne répond pas : nouvel essai plus tard");
    expect(slackPost(w, w.channels.slack.rencontres)).toContain("Les réseaux sociaux des 11-15 ans");
    expect(discordPost(w, w.channels.discord.rencontres)).toBe("");
    w.clock.advance(60_000);
    await w.bot.scheduler.tick();
    expect(discordPost(w, w.channels.discord.rencontres)).toContain(`Rencontre n° ${id}`);
    expect(w.slack.messagesIn(w.channels.slack.rencontres).filter((m) => !m.ephemeral)).toHaveLength(1);
  });

  it("puts latecomers on a waiting list and gives them a freed seat, by private message", async () => {
    const w = await startWorld();
    const [lea, hugo] = [w.discord.addUser({ username: "lea" }).id, w.discord.addUser({ username: "hugo" }).id];
    const { id } = await createMeeting(w, { debut: "12 mars 14h", places: 1 });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    const waiting = await clickOnDiscord(w, hugo, rsvp(id, "oui"));
    expect(waiting.text).toContain("est complète : vous êtes sur la liste d'attente (position 1)");
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("Places : 1/1 · liste d'attente : 1");
    await clickOnDiscord(w, lea, rsvp(id, "non"));
    await w.bot.scheduler.tick();
    expect(discordDms(w, hugo).at(-1)).toContain("Une place s'est libérée : vous passez de la liste d'attente à **Je viens**");
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("Places : 1/1");
  });

  it("reminds at each offset only those who come or may come, and invites the public once, with the buttons", async () => {
    const w = await startWorld();
    const yes = w.discord.addUser({ username: "oui" }).id;
    const maybe = w.slack.addUser({ name: "peutetre" }).id;
    const no = w.discord.addUser({ username: "non" }).id;
    const silent = w.discord.addUser({ username: "silencieux" }).id;
    const closed = w.discord.addUser({ username: "ferme", dmsClosed: true }).id;
    const parent = w.slack.addUser({ name: "parent" }).id;
    await promeneur(w, "Yasmine", { discord: yes }, { kind: "JEUNESSE" });
    await promeneur(w, "Maël", { slack: maybe }, { kind: "JEUNESSE" });
    await promeneur(w, "Noé", { discord: no }, { kind: "JEUNESSE" });
    await promeneur(w, "Sacha", { discord: silent }, { kind: "JEUNESSE" });
    await promeneur(w, "Fanny", { discord: closed }, { kind: "JEUNESSE" });
    await promeneur(w, "Paule", { slack: parent }, { kind: "PARENTALITE" });

    const { id } = await createMeeting(w, { debut: "12 mars 14h", public: "jeunesse" });
    await clickOnDiscord(w, yes, rsvp(id, "oui"));
    await clickOnSlack(w, maybe, rsvp(id, "peutetre"));
    await clickOnDiscord(w, no, rsvp(id, "non"));
    await clickOnDiscord(w, closed, rsvp(id, "oui"));

    w.clock.set("2026-03-05T12:59:00Z");
    await w.bot.scheduler.tick();
    expect(discordDms(w, yes)).toEqual([]);
    w.clock.set("2026-03-05T13:00:00Z"); // J-7, 14:00 in Paris
    await w.bot.scheduler.tick();
    expect(discordDms(w, yes)).toHaveLength(1);
    expect(discordDms(w, yes)[0]).toContain("Rappel : la rencontre a lieu dans 7 jours. Votre réponse : **Je viens**.");
    expect(slackDms(w, maybe)).toHaveLength(1);
    expect(slackDms(w, maybe)[0]).toContain("Votre réponse : *Peut-être*");
    expect(discordDms(w, no)).toEqual([]);
    expect(discordDms(w, silent)).toHaveLength(1);
    expect(discordDms(w, silent)[0]).toContain("serez-vous là ?");
    expect(w.discord.dmsTo(silent)[0]!.components.length).toBeGreaterThan(0);
    expect(slackDms(w, parent)).toEqual([]); // not the meeting's public
    // Closed DMs: the reminder waits in the inbox; the reminder channel only says so; nothing in the main channel.
    expect(discordPost(w, w.channels.discord.rappels)).toBe(`<@${closed}>, le bot a un message privé pour vous : ouvrez vos messages privés ou tapez \`/messages\``);
    const waiting = await w.discord.sendCommand({ userId: closed, name: "messages" }).final();
    expect(waiting.text).toContain("Rappel : la rencontre a lieu dans 7 jours");
    expect(w.discord.messagesIn(w.discord.generalChannelId).filter((m) => m.author.id === w.discord.botUserId && !(m.flags & 64))).toEqual([]);

    // The invitation works like any answer button.
    await clickOnDiscord(w, silent, rsvp(id, "oui"), w.discord.dmsTo(silent)[0]);

    w.clock.set("2026-03-11T13:00:00Z"); // J-1
    await w.bot.scheduler.tick();
    w.clock.set("2026-03-12T11:00:00Z"); // H-2
    await w.bot.scheduler.tick();
    expect(discordDms(w, yes).map((t) => /dans (\d+ \w+)/.exec(t)?.[1])).toEqual(["7 jours", "24 heures", "2 heures"]);
    expect(slackDms(w, maybe)).toHaveLength(3);
    expect(discordDms(w, silent)).toHaveLength(3); // the invitation, then two reminders once she said yes
    expect(discordDms(w, no)).toEqual([]);
    expect(slackDms(w, parent)).toEqual([]);
  });

  it("moves the reminders when the date changes, tells those who answered, and stops everything on cancellation", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea" }).id;
    const hugo = w.slack.addUser({ name: "hugo" }).id;
    const animatorOnSlack = w.slack.addUser({ name: "sophie" }).id;
    const admin = await w.bot.services.members.findByRef(w.animator, "discord");
    await w.bot.services.members.link(admin.id, { platform: "slack", externalId: animatorOnSlack }, admin.id);
    const { id } = await createMeeting(w, { debut: "12 mars 14h", rappels: "1j" });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    await clickOnSlack(w, hugo, rsvp(id, "non"));

    const modified = await onSlack(w, animatorOnSlack, `modifier rencontre:${id} debut:"vendredi 13 mars 10h" lieu:"Salle des fêtes, Golbey"`);
    expect(modified.fullText).toContain("date : jeudi 12 mars 2026 à 14:00 → vendredi 13 mars 2026 à 10:00");
    expect(modified.fullText).toContain("2 personnes qui ont répondu vont être prévenues");
    w.clock.advance(5 * 60_000); // changes are grouped for 5 minutes
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea).at(-1)).toContain("La rencontre a changé :");
    expect(discordDms(w, lea).at(-1)).toContain("Votre réponse reste **Je viens**");
    expect(slackDms(w, hugo).at(-1)).toContain("lieu : MJC Épinal → Salle des fêtes, Golbey");
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("vendredi 13 mars 2026 à 10:00");

    w.clock.set("2026-03-11T13:00:00Z"); // the former J-1: nothing
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toHaveLength(1);
    w.clock.set("2026-03-12T09:00:00Z"); // the new J-1
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toHaveLength(2);
    expect(discordDms(w, lea).at(-1)).toContain("Rappel : la rencontre a lieu dans 24 heures");

    const cancelled = await onDiscord(w, w.animator, "annuler", { rencontre: String(id), motif: "salle inondée" });
    expect(cancelled.text).toContain("est annulée. Les rappels sont annulés et 2 personnes vont être prévenues");
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea).at(-1)).toContain("est annulée.\nMotif : salle inondée");
    expect(slackPost(w, w.channels.slack.rencontres)).toContain("Rencontre annulée");
    expect(w.slack.messagesIn(w.channels.slack.rencontres)[0]!.blocks?.some((b) => b.type === "actions")).toBe(false);
    w.clock.set("2026-03-13T07:00:00Z"); // would have been H-2 of any reminder left
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toHaveLength(3);
    expect(await w.bot.store.prisma.job.count({ where: { state: "pending", kind: { startsWith: "meeting." } } })).toBe(0);
    const late = await clickOnDiscord(w, lea, rsvp(id, "oui"));
    expect(late.text).toContain("est annulée : il n'est plus possible d'y répondre");
  });

  it("says in the confirmation which Thursday « jeudi prochain » was read as", async () => {
    const w = await startWorld();
    const { shown } = await createMeeting(w, { debut: "jeudi prochain 9h" });
    expect(shown.text).toContain("« jeudi prochain 9h » compris comme le jeudi 12 mars 2026 à 09:00 (dans 10 jours, pas le jeudi 5 mars).");
    const { shown: dated } = await createMeeting(w, { debut: "13 mars 14 h 30" });
    expect(dated.text).toContain("**vendredi 13 mars 2026 à 14:30**");
    expect(dated.text).not.toContain("compris comme");
  });

  it("refuses bad dates and out-of-range values in French, naming the option, and writes nothing", async () => {
    const w = await startWorld();
    const animatorOnSlack = w.slack.addUser({ name: "sophie" }).id;
    const admin = await w.bot.services.members.findByRef(w.animator, "discord");
    await w.bot.services.members.link(admin.id, { platform: "slack", externalId: animatorOnSlack }, admin.id);
    const cases: [string, string][] = [
      [`creer type:formation titre:"Réseaux" debut:"12 mars" lieu:MJC`, "*debut* : l'heure manque dans « 12 mars »"],
      [`creer type:formation titre:"Réseaux" debut:"1er mars 10h" lieu:MJC`, "*debut* : le dimanche 1er mars 2026 à 10:00 est passé"],
      [`creer type:formation titre:"Réseaux" debut:"12 mars 2h" lieu:MJC`, "j'ai compris jeudi 12 mars 2026 à 02:00"],
      [`creer type:formation titre:"Réseaux" debut:"12/13/2027 10h" lieu:MJC`, "*debut* : « 12/13/2027 » : une date en chiffres se lit jour/mois/année, et il n'y a pas de mois 13"],
      [`creer type:formation titre:"Réseaux" debut:"12 mars 14h" lieu:MJC duree:20h`, "*duree* : 20 h est hors limites (de 15 min à 12 h)"],
      [`creer type:formation titre:"Réseaux" debut:"12 mars 14h" lieu:MJC places:0`, "*places* : 1 place au moins"],
      [`creer type:formation titre:"Réseaux" debut:"12 mars 14h" lieu:MJC rappels:"3 semaines"`, "*rappels* : « 3semaines » n'est pas un délai"],
      [`creer type:formation titre:"Réseaux" debut:"12 mars 14h"`, "*lieu* : indiquez un lieu, ou un lien de visio"],
      [`creer type:atelier titre:"Réseaux" debut:"12 mars 14h" lieu:MJC`, "*type* :"],
    ];
    for (const [text, expected] of cases) {
      const shown = await onSlack(w, animatorOnSlack, text);
      expect(shown.fullText).toContain(expected);
      expect(shown.fullText).toContain("Rien n'a été modifié.");
    }
    const onDiscordToo = await onDiscord(w, w.animator, "creer", { type: "formation", titre: "Réseaux", debut: "mardi 12 mars 2026 14h", lieu: "MJC" });
    expect(onDiscordToo.text).toContain("**debut** : le 12 mars 2026 est un jeudi, pas un mardi");
    const promeneurId = w.discord.addUser({ username: "lea" }).id;
    const refused = await onDiscord(w, promeneurId, "creer", { type: "formation", titre: "Réseaux", debut: "12 mars 14h", lieu: "MJC" });
    expect(refused.text).toContain("réservée aux rôles suivants : Animateur du réseau, Administrateur");
    expect(await w.bot.store.prisma.meeting.count()).toBe(0);
    expect(await w.bot.store.prisma.job.count({ where: { kind: { startsWith: "meeting." } } })).toBe(0);
    expect(w.discord.messagesIn(w.channels.discord.rencontres)).toEqual([]);
  });

  it("closes the post at the end, asks the animator for attendance prefilled from the answers, and serves an .ics", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea" }).id;
    const hugo = w.discord.addUser({ username: "hugo" }).id;
    const { id } = await createMeeting(w, { debut: "12 mars 14h", type: "analyse_pratique", rappels: "aucun" });
    // No reminder is set: the confirmation must not promise one.
    const answered = await clickOnDiscord(w, lea, rsvp(id, "oui"));
    expect(answered.text).toContain("Aucun rappel n'est prévu pour cette rencontre.");
    expect(answered.text).not.toContain("Vous recevrez un rappel");
    await clickOnDiscord(w, hugo, rsvp(id, "non"));

    const ics = await onDiscord(w, lea, "ics");
    expect(ics.files).toHaveLength(1);
    const calendar = ics.files[0]!.data.toString("utf8");
    expect(calendar).toContain(`UID:rencontre-${id}@promeneurs-du-net-vosges`);
    expect(calendar).toContain("DTSTART:20260312T130000Z");
    expect(calendar).toContain("DTEND:20260312T160000Z"); // 3 h: practice analysis

    const early = await onDiscord(w, w.animator, "presences", { rencontre: String(id) });
    expect(early.text).toContain("n'a pas encore commencé");
    w.clock.set("2026-03-12T16:00:00Z");
    await w.bot.scheduler.tick();
    expect(discordDms(w, w.animator).at(-1)).toContain(`Saisissez les présences : \`/rencontre presences rencontre:${id}\``);
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("La rencontre a eu lieu.");
    expect(discordPostMessage(w, w.channels.discord.rencontres)!.components).toEqual([]);

    const sheet = await onDiscord(w, w.animator, "presences", { rencontre: String(id) });
    expect(sheet.text).toContain("Proposition d'après les réponses");
    expect(sheet.text).toMatch(/lea \(#\d+\) — \*\*présence\*\* · réponse : Je viens/);
    expect(sheet.text).toMatch(/hugo \(#\d+\) — \*\*absence excusée\*\* · réponse : Je ne viens pas/);
    const hugoMember = await w.bot.services.members.findByRef(hugo, "discord");
    const corrected = await onDiscord(w, w.animator, "presences", { rencontre: String(id), presents: `#${hugoMember.id}` });
    expect(corrected.text).toContain("Présences enregistrées");
    const rows = await w.bot.store.prisma.attendance.findMany({ where: { meetingId: id }, orderBy: { memberId: "asc" } });
    expect(Object.fromEntries(rows.map((r) => [r.memberId, r.status]))).toMatchObject({ [hugoMember.id]: "present" });
    expect((await w.bot.store.prisma.rsvp.findFirst({ where: { memberId: hugoMember.id } }))?.answer).toBe("no");
  });

  it("mirrors the meeting as a Discord scheduled event, kept in sync on change and cancellation", async () => {
    // Discord refuses events in the past by the real clock, so this world lives in 2027.
    const w = await startWorld({ now: "2027-01-04T08:00:00Z" });
    const { id } = await createMeeting(w, { debut: "14 janvier 2027 14h", visio: "https://visio.exemple.fr/pdn88" });
    expect(w.discord.scheduledEvents()).toHaveLength(1);
    expect(w.discord.scheduledEvents()[0]).toMatchObject({
      name: "Rencontre départementale — Les réseaux sociaux des 11-15 ans",
      scheduled_start_time: "2027-01-14T13:00:00.000Z",
      scheduled_end_time: "2027-01-14T15:00:00.000Z",
      entity_type: 3,
      entity_metadata: { location: "MJC Épinal" },
    });
    await onDiscord(w, w.animator, "modifier", { rencontre: String(id), debut: "15 janvier 2027 9h30" });
    expect(w.discord.scheduledEvents()[0]).toMatchObject({ scheduled_start_time: "2027-01-15T08:30:00.000Z", status: 1 });
    await onDiscord(w, w.animator, "annuler", { rencontre: String(id) });
    expect(w.discord.scheduledEvents()[0]).toMatchObject({ status: 4 });
  });
});
