/**
 * /mes-donnees and /membre effacer end to end on the Discord emulator: the real bot, a Promeneur
 * who has answered, voted and asked, then sees, takes and erases their data.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startWorld, type World } from "./collective-world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

async function aliceWithData(world: World) {
  const alice = world.discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
  await world.discord.sendCommand({ userId: alice, name: "activite", subcommand: "declarer", options: { heures: "12", actions: "Atelier-Qz9 sur les écrans" } }).final();
  await world.discord.sendCommand({ userId: alice, name: "question", subcommand: "poser", options: { categorie: "pratique" } }).final();
  await world.discord
    .submitModal({ userId: alice, customId: "question:poser", fields: { sujet: "Sujet-Mm4 confidentiel", question: "Une question assez longue sur la pratique", categorie: "pratique" } })
    .final();
  const member = await world.bot.services.members.findByRef(alice, "discord");
  await world.bot.services.members.update(member.id, { email: "alice.martin@mjc.fr", lastName: "Martin" }, member.id);
  return { alice, id: member.id };
}

describe("/mes-donnees", () => {
  it("shows the data by category with retention, sends it privately as JSON and Markdown, and erases it after confirmation", async () => {
    w = await startWorld();
    const { discord } = w;
    const { alice, id } = await aliceWithData(w);

    const seen = await discord.sendCommand({ userId: alice, name: "mes-donnees", subcommand: "voir" }).final();
    expect(seen.ephemeral).toBe(true);
    expect(seen.text).toContain("Votre fiche de membre");
    expect(seen.text).toContain("alice.martin@mjc.fr");
    expect(seen.text).toContain("Vos bilans d'activité mensuels");
    expect(seen.text).toContain("5 ans, puis seulement des chiffres anonymes");
    expect(seen.text).toContain("anonymisées 2 ans après leur clôture");

    const exported = await discord.sendCommand({ userId: alice, name: "mes-donnees", subcommand: "exporter" }).final();
    expect(exported.ephemeral).toBe(true);
    const names = exported.files.map((f) => f.name);
    expect(names.some((n) => n.endsWith(".json")) && names.some((n) => n.endsWith(".md"))).toBe(true);
    const json = JSON.parse(exported.files.find((f) => f.name.endsWith(".json"))!.data.toString("utf8"));
    expect(json.données.profil[0].email).toBe("alice.martin@mjc.fr");
    expect(json.données.comptes[0].externalId).toBe(alice);
    expect(json.données.activite[0].actions).toBe("Atelier-Qz9 sur les écrans");
    expect(json.données.questions[0].subject).toBe("Sujet-Mm4 confidentiel");
    expect(json.données.journal.some((e: { action: string }) => e.action === "profile.update")).toBe(true);
    const markdown = exported.files.find((f) => f.name.endsWith(".md"))!.data.toString("utf8");
    expect(markdown).toContain("## Vos questions à l'animateur et les réponses");
    expect(markdown).toContain("Sujet-Mm4 confidentiel");

    const asked = await discord.sendCommand({ userId: alice, name: "mes-donnees", subcommand: "effacer" }).final();
    expect(asked.text).toContain("C'est définitif");
    const cancelled = await discord.clickButton({ userId: alice, customId: "mes-donnees:annuler" }).final();
    expect(cancelled.text).toContain("Rien n'a été effacé.");
    expect((await w.bot.services.members.get(id))!.email).toBe("alice.martin@mjc.fr");

    await discord.sendCommand({ userId: alice, name: "mes-donnees", subcommand: "effacer" }).final();
    const done = await discord.clickButton({ userId: alice, customId: "mes-donnees:confirmer" }).final();
    expect(done.text).toContain("Vos données sont effacées");
    const after = (await w.bot.services.members.get(id))!;
    expect(after).toMatchObject({ displayName: `Membre effacé n° ${id}`, email: null, accounts: [] });
    expect((await w.bot.store.prisma.activityReport.findFirstOrThrow({ where: { memberId: id } })).minutes).toBe(720);
  });

  it("/membre effacer is for an administrator only; a Promeneur's attempt writes nothing", async () => {
    w = await startWorld();
    const { discord } = w;
    const { alice, id } = await aliceWithData(w);
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const notHis = await discord.sendCommand({ userId: bruno, name: "membre", subcommand: "effacer", options: { membre: `#${id}` } }).final();
    expect(notHis.text).not.toContain("Effacer les données");

    const asked = await discord.sendCommand({ userId: w.animator.discord, name: "membre", subcommand: "effacer", options: { membre: `#${id}` } }).final();
    expect(asked.text).toContain("Effacer les données de Alice Martin");
    // A forged click by a Promeneur on the administrator's button: refused, nothing written.
    const refused = await discord.clickButton({ userId: bruno, customId: `membre:effacer:${id}` }).final();
    expect(refused.text).not.toContain("effacées");
    expect((await w.bot.services.members.get(id))!.erasedAt).toBeNull();
    expect(await w.bot.store.prisma.auditLog.count({ where: { action: "member.erase" } })).toBe(0);
    const done = await discord.clickButton({ userId: w.animator.discord, customId: `membre:effacer:${id}` }).final();
    expect(done.text).toContain(`Les données du membre #${id} sont effacées`);
    const audit = await w.bot.store.prisma.auditLog.findFirstOrThrow({ where: { action: "member.erase" } });
    expect(JSON.parse(audit.details)).toEqual({ demande: "administrateur" });
    // Her account is gone: coming back makes a new, empty record.
    const back = await discord.sendCommand({ userId: alice, name: "mes-donnees", subcommand: "voir" }).final();
    expect(back.text).not.toContain("alice.martin@mjc.fr");
  });
});
