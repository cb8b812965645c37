import { describe, expect, it } from "vitest";
import { Cached } from "../../src/core/cache.js";
import { StoreChanges } from "../../src/store/changes.js";
import { coreOnFreshStore } from "../helpers/store.js";

describe("read caches", () => {
  it("sees a role change at once, so a demoted referent is refused on the next command", async () => {
    const { services } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const user = { platform: "slack" as const, id: "U9", workspaceId: "T", displayName: "Zoé" };
    const zoe = await services.members.resolveOrRegister(user);
    await services.members.setRole(zoe.id, "REFERENT_CAF", admin.id);
    expect((await services.members.resolveOrRegister(user)).role).toBe("REFERENT_CAF");
    await services.members.setRole(zoe.id, "PROMENEUR", admin.id);
    expect((await services.members.resolveOrRegister(user)).role).toBe("PROMENEUR");
  });

  it("shows a consent change in the directory at once", async () => {
    const { services } = await coreOnFreshStore();
    const m = await services.members.create({ firstName: "Léo", commune: "Vittel" }, null);
    expect((await services.directory.search({}, 1)).total).toBe(0);
    await services.members.update(m.id, { directoryConsent: true }, m.id);
    expect((await services.directory.search({}, 1)).total).toBe(1);
  });

  it("notices writes made inside a transaction", async () => {
    const { services, store } = await coreOnFreshStore();
    const m = await services.members.create({ firstName: "Léo", commune: "Vittel" }, null);
    await services.members.update(m.id, { directoryConsent: true }, m.id);
    await services.directory.search({}, 1);
    await store.prisma.$transaction(async (tx) => tx.member.update({ where: { id: m.id }, data: { status: "INACTIVE" } }));
    expect((await services.directory.search({}, 1)).total).toBe(0);
  });

  it("reloads after its time-to-live for writes made by another process", async () => {
    const changes = new StoreChanges();
    let loads = 0;
    const cached = new Cached(changes, ["Member"], async () => ++loads, 30);
    expect(await cached.get()).toBe(1);
    expect(await cached.get()).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(await cached.get()).toBe(2);
    changes.bump("Member");
    expect(await cached.get()).toBe(3);
  });

  it("shares one load between concurrent misses", async () => {
    const changes = new StoreChanges();
    let loads = 0;
    const cached = new Cached(changes, ["Member"], async () => (await new Promise((r) => setTimeout(r, 10)), ++loads));
    expect(await Promise.all([cached.get(), cached.get(), cached.get()])).toEqual([1, 1, 1]);
  });
});
