/**
 * Findings of the fuzz (test/fuzz): a button or form id comes back from the platform as the bot
 * sent it, or forged, or cut short. Whatever number it carries (« 1.5 », « x », « -1 », past the
 * store's integers), the answer is the French « no longer valid », never an internal error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberArg, numberArgs } from "../../src/core/reply.js";
import { startFuzzWorld, type FuzzWorld } from "../fuzz/world.js";

describe("numbers carried by a component id", () => {
  it("are whole numbers from 1 (or the given minimum) up to the store's largest integer", () => {
    expect(numberArg("12")).toBe(12);
    expect(numberArg("0", 0)).toBe(0);
    expect(numberArg("2147483647")).toBe(2147483647);
    for (const bad of [undefined, "", "0", "-1", "1.5", "1e3", "NaN", " 3", "3 ", "0x1f", "2147483648", "99999999999", "１２"]) expect(numberArg(bad)).toBeUndefined();
  });

  it("are refused in French when one is missing or wrong", () => {
    expect(numberArgs(["3", "2"], 2)).toEqual([3, 2]);
    expect(() => numberArgs(["3"], 2)).toThrow(/n'est plus valable/);
    expect(() => numberArgs(["3", "1.5"], 2)).toThrow(/n'est plus valable/);
  });
});

describe("forged component ids through the router", () => {
  let world: FuzzWorld;
  beforeAll(async () => void (world = await startFuzzWorld()));
  afterAll(async () => world.close());

  const forged = [
    "accueil:page:1.5",
    "accueil:lire:1.5",
    "accueil:lire:99999999999",
    "accueil:rsvp:x:oui",
    "accueil:rsvp:99999999999:oui",
    "rencontre:presences:x",
    "rencontre:presences:99999999999",
    "rencontre:rsvp:99999999999:oui",
    "sondage:vote:99999999999:1",
    "analyse:repondre:99999999999",
    "formation:mes:99999999999",
    "annuaire:page:1.5",
    "veille:semaine:1.5",
    "question:clore:99999999999",
  ];
  it.each(forged)("%s is answered in French, without an internal error", async (customId) => {
    const reply = await world.router.handle({ type: "component", user: world.users.admin.discord, channelId: "c", canOpenModal: true, customId, values: [] });
    expect(reply.text).not.toMatch(/Une erreur est survenue/);
    expect(reply.text?.length).toBeGreaterThan(0);
  });
});

describe("a forged answer to a practice-analysis slot", () => {
  let world: FuzzWorld;
  beforeAll(async () => void (world = await startFuzzWorld()));
  afterAll(async () => world.close());

  // A name every object inherits (« toString », « constructor ») was once taken for one of the three answers and stored.
  it.each(["toString", "constructor", "peut-être"])("« %s » is refused in French and stores nothing", async (value) => {
    const user = world.users.promeneur.discord;
    await world.prepare(user);
    const before = await world.store.prisma.availabilityAnswer.count();
    const reply = await world.router.handle({ type: "component", user, channelId: "c", canOpenModal: true, customId: "analyse:dispo:1:1:1", values: [value] });
    expect(reply.text).toBe("Réponse inconnue : choisissez Disponible, Si besoin ou Indisponible.");
    expect(await world.store.prisma.availabilityAnswer.count()).toBe(before);
  });

  it("« oui » is recorded, which shows the forged ids above reach a real slot", async () => {
    const user = world.users.promeneur.discord;
    await world.prepare(user);
    const reply = await world.router.handle({ type: "component", user, channelId: "c", canOpenModal: true, customId: "analyse:dispo:1:1:1", values: ["oui"] });
    expect(reply.text).toContain("1/2 renseigné");
    expect(await world.store.prisma.availabilityAnswer.count()).toBe(1);
  });
});
