/**
 * The role rule: only an administrator may act on an administrator or an animator, nobody changes
 * their own role or status, and the last administrator / animator stays. Attacks first.
 */
import { describe, expect, it } from "vitest";
import { coreOnFreshStore } from "../helpers/store.js";

const ADMIN_DISCORD = "100000000000000001";
const ANIMATOR_DISCORD = "100000000000000002";
const ANIMATOR_SECOND = "100000000000000003";

async function network() {
  const core = await coreOnFreshStore();
  const { services } = core;
  const admin = (await services.members.bootstrapAdmins([`discord:${ADMIN_DISCORD}`]))[0]!;
  const animator = await services.members.create({ firstName: "Sophie", role: "ANIMATEUR" }, admin.id);
  await services.members.link(animator.id, { platform: "discord", externalId: ANIMATOR_DISCORD }, admin.id);
  const promeneur = await services.members.create({ firstName: "Lucas" }, admin.id);
  const snapshot = async () => JSON.stringify([await core.store.prisma.member.findMany({ orderBy: { id: "asc" } }), await core.store.prisma.platformAccount.findMany({ orderBy: { id: "asc" } })]);
  return { ...core, admin, animator, promeneur, snapshot };
}

describe("who may manage whom", () => {
  it("refuses an animator who links their own second account to the administrator's record", async () => {
    const { services, admin, animator, snapshot } = await network();
    const before = await snapshot();
    await expect(services.members.link(admin.id, { platform: "discord", externalId: ANIMATOR_SECOND }, animator.id)).rejects.toThrow(
      /Refusé : seul un administrateur peut lier un compte à un administrateur/,
    );
    expect(await snapshot()).toBe(before);
  });

  it("refuses an animator who takes the administrator's account for their own record", async () => {
    const { services, animator, snapshot } = await network();
    const before = await snapshot();
    await expect(services.members.link(animator.id, { platform: "discord", externalId: ADMIN_DISCORD }, animator.id)).rejects.toThrow(/Refusé/);
    expect(await snapshot()).toBe(before);
  });

  it("refuses an animator who sets the administrator inactive or retires them", async () => {
    const { services, admin, animator, snapshot } = await network();
    const before = await snapshot();
    await expect(services.members.setStatus(admin.id, "INACTIVE", animator.id)).rejects.toThrow(/seul un administrateur peut changer le statut d'un administrateur/);
    await expect(services.members.remove(admin.id, "EXCLUDED", animator.id)).rejects.toThrow(/seul un administrateur peut retirer du réseau un administrateur/);
    await expect(services.members.update(admin.id, { structure: "X" }, animator.id)).rejects.toThrow(/seul un administrateur peut modifier la fiche d'un administrateur/);
    expect(await snapshot()).toBe(before);
  });

  it("refuses anyone who changes their own role or status, the administrator included", async () => {
    const { services, admin, animator, snapshot } = await network();
    await services.members.setRole((await services.members.create({ firstName: "Zoé" }, admin.id)).id, "ADMIN", admin.id);
    const before = await snapshot();
    await expect(services.members.setRole(animator.id, "PROMENEUR", animator.id)).rejects.toThrow(/personne ne peut changer son propre rôle/);
    await expect(services.members.setRole(admin.id, "PROMENEUR", admin.id)).rejects.toThrow(/son propre rôle/);
    await expect(services.members.setStatus(animator.id, "INACTIVE", animator.id)).rejects.toThrow(/son propre statut/);
    expect(await snapshot()).toBe(before);
  });

  it("lets an animator edit their own profile, and manage Promeneurs but not name animators or administrators", async () => {
    const { services, animator, promeneur } = await network();
    await services.members.update(animator.id, { structure: "Caf des Vosges" }, animator.id);
    await services.members.setRole(promeneur.id, "REFERENT_CAF", animator.id);
    await expect(services.members.setRole(promeneur.id, "ANIMATEUR", animator.id)).rejects.toThrow(/seul un administrateur peut nommer un animateur/);
    await expect(services.members.setRole(promeneur.id, "ADMIN", animator.id)).rejects.toThrow(/nommer un administrateur/);
    await services.members.remove(promeneur.id, "INACTIVE", animator.id);
  });

  it("keeps the last administrator and the last animator, naming the reason", async () => {
    const { services, admin, animator } = await network();
    const other = await services.members.create({ firstName: "Zoé", role: "ADMIN" }, admin.id);
    await expect(services.members.setRole(animator.id, "PROMENEUR", admin.id)).rejects.toThrow(/Sophie est le dernier animateur du réseau\. Nommez-en d'abord un autre/);
    await expect(services.members.remove(animator.id, "INACTIVE", admin.id)).rejects.toThrow(/dernier animateur/);
    await services.members.remove(other.id, "INACTIVE", admin.id);
    await expect(services.members.setRole(admin.id, "PROMENEUR", other.id)).rejects.toThrow();
    const second = await services.members.create({ firstName: "Marc" }, admin.id);
    await services.members.setRole(second.id, "ANIMATEUR", admin.id);
    await services.members.setRole(animator.id, "PROMENEUR", admin.id);
    expect((await services.members.get(animator.id))!.role).toBe("PROMENEUR");
  });

  it("refuses the last administrator's demotion even by another, retired administrator", async () => {
    const { services, admin } = await network();
    const retired = await services.members.create({ firstName: "Ancien", role: "ADMIN" }, admin.id);
    await services.members.remove(retired.id, "INACTIVE", admin.id);
    await expect(services.members.setStatus(admin.id, "INACTIVE", retired.id)).rejects.toThrow(/dernier administrateur/);
  });
});
