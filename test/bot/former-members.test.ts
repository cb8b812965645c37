/** Members who left keep only what is about themselves; newcomers see the directory without contacts. */
import { describe, expect, it } from "vitest";
import type { Bot } from "../../src/app.js";
import { runConsole } from "../helpers/bot.js";

/** #2 Paul, listed with a contact; #3 Marc, retired; #4 Inès, inactive. */
async function network(bot: Bot) {
  const { members } = bot.services;
  const paul = await members.create({ firstName: "Paul", commune: "Épinal" }, null);
  await members.update(paul.id, { contact: "paul@mjc.fr", directoryConsent: true }, paul.id);
  const marc = await members.create({ firstName: "Marc" }, null);
  await members.remove(marc.id, "INACTIVE", null);
  const ines = await members.create({ firstName: "Inès" }, null);
  await members.setStatus(ines.id, "INACTIVE", null);
}

describe("members who left", () => {
  it("are told their access has ended for the directory, questions and meetings", async () => {
    const { printed } = await runConsole(["/as #3", "/annuaire", "/question poser", "/rencontre liste", "/as #4", "/annuaire"], { setup: network });
    expect(printed.match(/Votre accès au réseau a pris fin ; contactez l'animateur\./g)).toHaveLength(4);
    expect(printed).not.toContain("paul@mjc.fr");
  });

  it("keep their help, which says so, and their own profile", async () => {
    const { printed } = await runConsole(["/as #3", "/aide", "/profil voir"], { setup: network });
    const help = printed.slice(printed.indexOf("Votre accès au réseau a pris fin"));
    expect(help).toContain("/profil voir");
    expect(help).not.toContain("/annuaire");
    expect(printed).toContain("Statut : inactif");
  });
});

describe("the directory for a newcomer", () => {
  it("shows no contact details until the charter is accepted", async () => {
    const { printed } = await runConsole(["/as Lucie", "/annuaire", "/as #1", "/annuaire"], {
      setup: network,
    });
    const newcomer = printed.slice(printed.indexOf("Bonjour Lucie") >= 0 ? printed.indexOf("Lucie") : 0, printed.lastIndexOf("Annuaire des Promeneurs"));
    expect(newcomer).toContain("Paul");
    expect(newcomer).not.toContain("paul@mjc.fr");
    expect(newcomer).toContain("Les moyens de contact s'affichent une fois la charte des Promeneurs du Net acceptée");
    expect(printed.slice(printed.lastIndexOf("Annuaire des Promeneurs"))).toContain("Contact : paul@mjc.fr");
  });

  it("shows them once the newcomer has accepted the charter", async () => {
    const { printed } = await runConsole(["/as Lucie", "/aide", "/annuaire"], {
      setup: async (bot) => {
        await network(bot);
        const lucie = await bot.services.members.resolveOrRegister({ platform: "console", id: "Lucie", workspaceId: "", displayName: "Lucie" });
        const now = new Date();
        await bot.store.prisma.onboardingJourney.create({ data: { memberId: lucie.id, origin: "membre", startedAt: now, lastProgressAt: now, createdAt: now, updatedAt: now, steps: { create: { key: "charte", doneAt: now } } } });
      },
    });
    expect(printed).toContain("Contact : paul@mjc.fr");
  });
});
