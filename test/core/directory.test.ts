import { describe, expect, it } from "vitest";
import { coreOnFreshStore } from "../helpers/store.js";

describe("the departmental directory", () => {
  it("lists only active members who consented, matched accents and case aside", async () => {
    const { store, services } = await coreOnFreshStore();
    const add = async (firstName: string, commune: string, consent: boolean, status: "ACTIVE" | "ONBOARDING" | "INACTIVE" = "ACTIVE") => {
      const m = await services.members.create({ firstName, commune, kind: "JEUNESSE", structure: "MJC" }, null);
      await services.members.update(m.id, { directoryConsent: consent }, null);
      if (status !== "ACTIVE") await store.prisma.member.update({ where: { id: m.id }, data: { status } });
      return m;
    };
    await add("Léa", "Épinal", true);
    await add("Marc", "Épinal", false);
    await add("Nina", "Épinal", true, "ONBOARDING");
    await add("Omar", "Épinal", true, "INACTIVE");
    await add("Paul", "Vittel", true);
    const epinal = await services.directory.search({ commune: "epinal" }, 1);
    expect(epinal.members.map((m) => m.firstName)).toEqual(["Léa"]);
    const all = await services.directory.search({}, 1);
    expect(all.total).toBe(2);
    expect((await services.directory.search({ text: "lea mjc" }, 1)).total).toBe(1);
    expect((await services.directory.search({ kind: "PARENTALITE" }, 1)).total).toBe(0);
  });

  it("pages by five and clamps a page past the end", async () => {
    const { services } = await coreOnFreshStore();
    for (let i = 0; i < 12; i++) {
      const m = await services.members.create({ firstName: `P${String(i).padStart(2, "0")}`, commune: "Golbey" }, null);
      await services.members.update(m.id, { directoryConsent: true }, null);
    }
    const last = await services.directory.search({}, 9);
    expect([last.page, last.pages, last.total, last.members.length]).toEqual([3, 3, 12, 2]);
  });
});
