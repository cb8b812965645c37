import { describe, expect, it } from "vitest";

import { ActivityService, openMonth, parseMonth } from "../../../src/core/activity/service.js";
import { coreOnFreshStore } from "../../helpers/store.js";

const TZ = "Europe/Paris";

async function world(now = "2026-11-05T10:00:00Z") {
  const { store, services, clock } = await coreOnFreshStore();
  clock.set(now);
  const alice = await services.members.create({ firstName: "Alice" }, null);
  const bruno = await services.members.create({ firstName: "Bruno" }, null);
  const caf = await services.members.create({ firstName: "Caf", role: "REFERENT_CAF" }, null);
  return { a: new ActivityService(store.prisma, clock, TZ), clock, alice, bruno, caf, db: store.prisma, services };
}

describe("monthly activity reports", () => {
  it("files last month by default and keeps one report per member and month", async () => {
    const { a, alice, db } = await world();
    const first = await a.file(alice, { hours: "12,5", platforms: "Instagram, Snapchat", youth: 30, parents: 4, themes: "ecrans; Santé", otherThemes: "jeux vidéo" });
    expect(first.replaced).toBe(false);
    expect(first.report).toMatchObject({ month: "2026-10", hours: 12.5, platforms: ["Instagram", "Snapchat"], youthContacts: 30, parentContacts: 4, themes: ["ecrans", "sante"] });
    const again = await a.file(alice, { month: "octobre 2026", hours: 14 });
    expect(again.replaced).toBe(true);
    expect(await db.activityReport.count()).toBe(1);
  });

  it("refuses a future month and negative hours in French, and writes nothing", async () => {
    const { a, alice, db } = await world();
    await expect(a.file(alice, { month: "2026-12", hours: "-3", youth: -1 })).rejects.toThrow(
      /mois\*\* : décembre 2026 n'a pas encore commencé[\s\S]*heures\*\* : le nombre d'heures ne peut pas être négatif[\s\S]*jeunes\*\* : le nombre de jeunes ne peut pas être négatif[\s\S]*Rien n'a été enregistré/,
    );
    await expect(a.file(alice, { hours: "beaucoup" })).rejects.toThrow("un nombre d'heures");
    await expect(a.file(alice, { hours: 2, themes: "astrologie" })).rejects.toThrow("« astrologie » n'est pas dans la liste");
    expect(await db.activityReport.count()).toBe(0);
  });

  it("can be changed until the 10th of the next month (Paris time), not after", async () => {
    const { a, clock, alice } = await world("2026-11-10T22:59:00Z"); // 23:59 in Paris on the 10th
    await a.file(alice, { month: "2026-10", hours: 3 });
    clock.set("2026-11-10T23:00:00Z"); // midnight in Paris: the 11th
    await expect(a.file(alice, { month: "2026-10", hours: 4 })).rejects.toThrow("n'est plus modifiable");
  });

  it("shows a report to its author and to the evaluation roles only", async () => {
    const { a, alice, bruno, caf } = await world();
    await a.file(alice, { hours: 5 });
    expect(await a.get(bruno, alice.id, "2026-10")).toBeNull();
    expect((await a.get(caf, alice.id, "2026-10"))?.hours).toBe(5);
    expect((await a.get(alice, alice.id, "2026-10"))?.hours).toBe(5);
  });

  it("names the active Promeneurs who have not filed", async () => {
    const { a, alice, bruno, services } = await world();
    for (const m of [alice, bruno]) await services.members.setStatus(m.id, "ACTIVE", null);
    await a.file(alice, { hours: 5 });
    expect(await a.missing("2026-10")).toEqual([bruno.id]);
  });

  it("reads months typed in several ways", () => {
    expect(parseMonth("2026-3")).toBe("2026-03");
    expect(parseMonth("03/2026")).toBe("2026-03");
    expect(parseMonth("Février 2026")).toBe("2026-02");
    expect(parseMonth("13/2026")).toBeUndefined();
  });

  it("keeps the fields a correction leaves out, and clears those it gives empty", async () => {
    const { a, alice } = await world();
    await a.file(alice, { hours: 10, platforms: "Instagram", youth: 30, parents: 4, themes: "ecrans", otherThemes: "jeux vidéo", actions: "Atelier au collège" });
    const corrected = await a.file(alice, { hours: 12, themes: "sante" });
    expect(corrected.report).toMatchObject({ hours: 12, platforms: ["Instagram"], youthContacts: 30, parentContacts: 4, themes: ["sante"], otherThemes: "jeux vidéo", actions: "Atelier au collège" });
    const cleared = await a.file(alice, { hours: 12, youth: 0, actions: "", platforms: "" });
    expect(cleared.report).toMatchObject({ youthContacts: 0, actions: null, platforms: [], parentContacts: 4, otherThemes: "jeux vidéo" });
  });

  it("files the oldest month still open by default: the previous one until the 10th, then the current one", async () => {
    const { a, clock, alice } = await world("2026-11-10T22:59:00Z"); // 23:59 on the 10th in Paris
    expect((await a.file(alice, { hours: 1 })).report.month).toBe("2026-10");
    clock.set("2026-11-10T23:00:00Z"); // the 11th
    expect((await a.file(alice, { hours: 2 })).report.month).toBe("2026-11");
    expect(openMonth(new Date("2026-12-01T08:00:00Z"), TZ)).toBe("2026-11");
  });
});

