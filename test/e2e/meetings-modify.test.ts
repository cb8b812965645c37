/**
 * `/rencontre modifier` tells only those concerned: a new time or place goes to everyone who
 * answered; a new number of places to nobody, except those whose seat changes; fewer places than
 * people coming is refused and writes nothing, so the card never shows more comers than places.
 */
import { describe, expect, it } from "vitest";
import { clickOnDiscord, createMeeting, discordDms, discordPost, onDiscord, startWorld } from "./meetings-world.js";

const rsvp = (id: number, choice: "oui" | "peutetre" | "non") => `rencontre:rsvp:${id}:${choice}`;

describe("/rencontre modifier", () => {
  it("refuses fewer places than people coming, and tells nobody when only the number of places grows", async () => {
    const w = await startWorld();
    const [lea, hugo, nora] = ["lea", "hugo", "nora"].map((username) => w.discord.addUser({ username }).id) as [string, string, string];
    const { id } = await createMeeting(w, { debut: "12 mars 14h", places: 3 });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    await clickOnDiscord(w, hugo, rsvp(id, "oui"));
    await clickOnDiscord(w, nora, rsvp(id, "non"));

    const refused = await onDiscord(w, w.animator, "modifier", { rencontre: String(id), places: 1 });
    expect(refused.text).toContain("2 personnes ont déjà dit « Je viens » à la rencontre n° " + id + " : impossible de passer à 1 place.");
    expect(refused.text).toContain("Indiquez places:2 ou plus, ou places:0 pour sans limite. Rien n'a été modifié.");
    expect((await w.bot.store.prisma.meeting.findUniqueOrThrow({ where: { id } })).capacity).toBe(3);
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("Places : 2/3");

    const more = await onDiscord(w, w.animator, "modifier", { rencontre: String(id), places: 2 });
    expect(more.text).toContain("places : 3 → 2");
    expect(more.text).toContain("Personne n'est prévenu : seuls le nombre de places ou les rappels changent.");
    await w.bot.scheduler.tick();
    for (const who of [lea, hugo, nora]) expect(discordDms(w, who)).toEqual([]);
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("Places : 2/2");
  });

  it("gives new seats to the waiting list and tells only them", async () => {
    const w = await startWorld();
    const [lea, hugo] = ["lea", "hugo"].map((username) => w.discord.addUser({ username }).id) as [string, string];
    const { id } = await createMeeting(w, { debut: "12 mars 14h", places: 1 });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    await clickOnDiscord(w, hugo, rsvp(id, "oui")); // waiting list
    const more = await onDiscord(w, w.animator, "modifier", { rencontre: String(id), places: 2 });
    expect(more.text).toContain("1 personne passe de la liste d'attente à « Je viens » et va être prévenue par message privé.");
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toEqual([]);
    expect(discordDms(w, hugo).at(-1)).toContain("Une place s'est libérée");
    expect(discordPost(w, w.channels.discord.rencontres)).toContain("Places : 2/2");
  });

  it("tells everyone who answered, « Je ne viens pas » included, when the time changes", async () => {
    const w = await startWorld();
    const [lea, nora] = ["lea", "nora"].map((username) => w.discord.addUser({ username }).id) as [string, string];
    const { id } = await createMeeting(w, { debut: "12 mars 14h" });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    await clickOnDiscord(w, nora, rsvp(id, "non"));
    const moved = await onDiscord(w, w.animator, "modifier", { rencontre: String(id), debut: "12 mars 16h", places: 5 });
    expect(moved.text).toContain("2 personnes qui ont répondu vont être prévenues");
    w.clock.advance(5 * 60_000);
    await w.bot.scheduler.tick();
    for (const who of [lea, nora]) {
      expect(discordDms(w, who)).toHaveLength(1);
      expect(discordDms(w, who)[0]).toContain("date : jeudi 12 mars 2026 à 14:00 → jeudi 12 mars 2026 à 16:00");
      expect(discordDms(w, who)[0]).not.toContain("places :");
    }
  });

  it("groups changes made within 5 minutes into one message, and says nothing of a change undone", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea" }).id;
    const { id } = await createMeeting(w, { debut: "12 mars 14h" });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    await onDiscord(w, w.animator, "modifier", { rencontre: String(id), debut: "12 mars 16h" });
    w.clock.advance(2 * 60_000);
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toEqual([]); // still waiting for more changes
    await onDiscord(w, w.animator, "modifier", { rencontre: String(id), debut: "12 mars 17h", lieu: "Salle des fêtes" });
    w.clock.advance(3 * 60_000);
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toHaveLength(1);
    expect(discordDms(w, lea)[0]).toContain("date : jeudi 12 mars 2026 à 14:00 → jeudi 12 mars 2026 à 17:00");
    expect(discordDms(w, lea)[0]).toContain("lieu : MJC Épinal → Salle des fêtes");

    await onDiscord(w, w.animator, "modifier", { rencontre: String(id), lieu: "Gymnase" });
    await onDiscord(w, w.animator, "modifier", { rencontre: String(id), lieu: "Salle des fêtes" });
    w.clock.advance(10 * 60_000);
    await w.bot.scheduler.tick();
    expect(discordDms(w, lea)).toHaveLength(1);
  });
});
