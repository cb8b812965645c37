import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import type { PlatformUser } from "../../src/core/interaction.js";
import { coreOnFreshStore } from "../helpers/store.js";

const discordUser = (id: string, displayName: string): PlatformUser => ({ platform: "discord", id, workspaceId: "G1", displayName });

describe("members", () => {
  it("registers a person on first contact as an onboarding Promeneur named from the platform", async () => {
    const { services, store } = await coreOnFreshStore();
    const m = await services.members.resolveOrRegister(discordUser("111", "Camille Durand"));
    expect(m).toMatchObject({ firstName: "Camille", displayName: "Camille Durand", role: "PROMENEUR", status: "ONBOARDING", photoUrl: null });
    const again = await services.members.resolveOrRegister(discordUser("111", "Autre nom"));
    expect(again.id).toBe(m.id);
    expect(await store.prisma.member.count()).toBe(1);
  });

  it("registers once when two first interactions race", async () => {
    const { services, store } = await coreOnFreshStore();
    const both = await Promise.all([services.members.resolveOrRegister(discordUser("222", "A")), services.members.resolveOrRegister(discordUser("222", "A"))]);
    expect(both[0].id).toBe(both[1].id);
    expect(await store.prisma.platformAccount.count()).toBe(1);
  });

  it("fetches a lazily loaded profile only when registering", async () => {
    const { services } = await coreOnFreshStore();
    let loads = 0;
    const user: PlatformUser = { platform: "slack", id: "U1", workspaceId: "T1", displayName: "jdoe", loadProfile: async () => (loads++, { displayName: "Jeanne Doe", firstName: "Jeanne" }) };
    expect((await services.members.resolveOrRegister(user)).displayName).toBe("Jeanne Doe");
    await services.members.resolveOrRegister(user);
    expect(loads).toBe(1);
  });

  it("makes BOT_ADMINS active administrators, idempotently", async () => {
    const { services, store } = await coreOnFreshStore();
    const existing = await services.members.resolveOrRegister(discordUser("333000000000000000", "Déjà là"));
    await services.members.bootstrapAdmins(["discord:333000000000000000", "slack:UADMIN0001"]);
    await services.members.bootstrapAdmins(["discord:333000000000000000", "slack:UADMIN0001"]);
    const admins = await store.prisma.member.findMany({ where: { role: "ADMIN", status: "ACTIVE" } });
    expect(admins.map((a) => a.id)).toContain(existing.id);
    expect(admins).toHaveLength(2);
  });

  it("finds a member by number, mention or name, accents and case aside, and lists ambiguities", async () => {
    const { services } = await coreOnFreshStore();
    const a = await services.members.create({ firstName: "Élodie", lastName: "Martin" }, null);
    await services.members.create({ firstName: "Élodie", lastName: "Bernard" }, null);
    const linked = await services.members.resolveOrRegister(discordUser("444", "Hugo"));
    expect((await services.members.findByRef(`#${a.id}`, "discord")).id).toBe(a.id);
    expect((await services.members.findByRef("<@444>", "discord")).id).toBe(linked.id);
    expect((await services.members.findByRef("elodie martin", "discord")).id).toBe(a.id);
    await expect(services.members.findByRef("elodie", "discord")).rejects.toThrow(/Plusieurs membres correspondent à « elodie » : Élodie Martin \(#\d+\), Élodie Bernard/);
    await expect(services.members.findByRef("Zébulon", "discord")).rejects.toThrow(UserError);
  });

  it("records every administrative change in the audit log, with before and after", async () => {
    const { services, store } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const m = await services.members.create({ firstName: "Paul", structure: "Centre social" }, admin.id);
    await services.members.update(m.id, { structure: "MJC Vittel" }, admin.id);
    await services.members.setRole(m.id, "REFERENT_CAF", admin.id);
    await services.members.remove(m.id, "INACTIVE", admin.id);
    const log = await store.prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(log.map((l) => l.action)).toEqual(["member.create", "member.update", "member.role", "member.remove"]);
    expect(log.every((l) => l.actorId === admin.id && l.targetId === String(m.id))).toBe(true);
    expect(JSON.parse(log[1]!.details)).toEqual({ structure: { avant: "Centre social", après: "MJC Vittel" } });
  });

  it("refuses to demote the last administrator", async () => {
    const { services } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const retired = await services.members.create({ firstName: "Ancien", role: "ADMIN" }, admin.id);
    await services.members.setStatus(retired.id, "INACTIVE", admin.id);
    await expect(services.members.setRole(admin.id, "PROMENEUR", retired.id)).rejects.toThrow(/dernier administrateur/);
  });

  it("links an account and merges the stub that first contact created", async () => {
    const { services, store } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const imported = await services.members.create({ firstName: "Inès", email: "ines@mjc.fr" }, admin.id);
    const stub = await services.members.resolveOrRegister({ platform: "slack", id: "UINES0001", workspaceId: "T1", displayName: "ines" });
    const { mergedStub } = await services.members.link(imported.id, { platform: "slack", externalId: "UINES0001" }, admin.id);
    expect(mergedStub?.id).toBe(stub.id);
    expect((await services.members.resolveOrRegister({ platform: "slack", id: "UINES0001", workspaceId: "T1", displayName: "ines" })).id).toBe(imported.id);
    expect(await store.prisma.member.findUnique({ where: { id: stub.id } })).toBeNull();
  });

  it("refuses to steal an account from a member with a filled profile", async () => {
    const { services } = await coreOnFreshStore();
    const admin = (await services.members.bootstrapAdmins(["discord:100000000000000001"]))[0]!;
    const a = await services.members.create({ firstName: "Anna", email: "anna@x.fr" }, admin.id);
    const b = await services.members.create({ firstName: "Bea", email: "bea@x.fr" }, admin.id);
    await services.members.link(a.id, { platform: "discord", externalId: "555000000000000000" }, admin.id);
    await expect(services.members.link(b.id, { platform: "discord", externalId: "555000000000000000" }, admin.id)).rejects.toThrow(/déjà lié à Anna/);
  });

  it("refuses a second member with the same e-mail", async () => {
    const { services } = await coreOnFreshStore();
    await services.members.create({ firstName: "Anna", email: "anna@x.fr" }, null);
    await expect(services.members.create({ firstName: "Anne", email: "anna@x.fr" }, null)).rejects.toThrow(/déjà celle de Anna/);
  });
});
