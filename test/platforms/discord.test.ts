/**
 * The real bot wiring (startBot) served on Discord through an unmodified discord.js client,
 * against the Discord emulator (REST + gateway) over 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { crashingCommand, memoryLogger, testConfig } from "../helpers/bot.js";
import { discordEnv } from "../helpers/env.js";

let emu: DiscordEmulator;
let bot: Bot | undefined;
let logLines: () => string[];
let animator: string;
let promeneur: string;
let storeUrl: string;

async function startDiscordBot(extraEnv: Record<string, string> = {}) {
  const config = await testConfig({
    ...discordEnv(emu),
    BOT_ADMINS: `discord:${animator}`,
    ...(storeUrl ? { DATABASE_URL: storeUrl } : {}),
    ...extraEnv,
  });
  storeUrl = config.DATABASE_URL;
  const memory = memoryLogger([emu.token]);
  logLines = memory.lines;
  bot = await startBot({ scheduler: { timer: false }, config, log: memory.log, commands: [...commands, crashingCommand] });
  return bot;
}

beforeEach(async () => {
  storeUrl = "";
  emu = await startDiscordEmulator();
  animator = emu.addUser({ username: "sophie", globalName: "Sophie Animatrice" }).id;
  promeneur = emu.addUser({ username: "lucas88", globalName: "Lucas Bernard", nick: "Lucas (EJ Thaon)" }).id;
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await emu.close();
});

describe("the bot on Discord", () => {
  it("stores no photo at first contact: the Discord avatar is not the member's choice", async () => {
    await startDiscordBot();
    await emu.sendCommand({ userId: promeneur, name: "aide" }).final();
    const member = await bot!.services.members.findByRef(promeneur, "discord");
    expect(member.displayName).toBe("Lucas (EJ Thaon)");
    expect(member.photoUrl).toBeNull();
  });

  it("registers its commands for the guild at start-up, and again only when they change", async () => {
    await startDiscordBot();
    expect(emu.commandPuts).toBe(1);
    const names = emu.guildCommands().map((c) => c.name).sort();
    // Every declared command, plus the test's own crashing one.
    expect(names).toEqual([...commands.map((c) => c.name), "panne"].sort());
    const membre = emu.guildCommands().find((c) => c.name === "membre")!;
    expect(membre.default_member_permissions).toBe("32");
    await bot!.stop();
    await startDiscordBot();
    expect(emu.commandPuts).toBe(1);
    await bot!.stop();
    bot = await startBot({ scheduler: { timer: false }, config: await testConfig({ ...discordEnv(emu), DATABASE_URL: storeUrl }), log: memoryLogger().log, commands });
    expect(emu.commandPuts).toBe(2);
    expect(emu.guildCommands().map((c) => c.name)).not.toContain("panne");
  });

  it("logs the invite URL with the bot and applications.commands scopes", async () => {
    await startDiscordBot();
    const line = logLines().map((l) => JSON.parse(l)).find((l) => l.invite);
    expect(line.invite).toContain(`client_id=${emu.applicationId}`);
    expect(line.invite).toContain("scope=bot+applications.commands");
  });

  it("answers /aide privately with the commands of the member's role", async () => {
    await startDiscordBot();
    const shown = await emu.sendCommand({ userId: promeneur, name: "aide" }).final();
    expect(shown.ephemeral).toBe(true);
    expect(shown.text).toContain("/annuaire");
    expect(shown.text).not.toContain("/membre");
    const asAnimator = await emu.sendCommand({ userId: animator, name: "aide" }).final();
    expect(asAnimator.text).toContain("/membre ajouter");
  });

  it("registers a newcomer on first contact with their server nickname", async () => {
    await startDiscordBot();
    const shown = await emu.sendCommand({ userId: promeneur, name: "profil", subcommand: "voir" }).final();
    expect(shown.text).toContain("Lucas (EJ Thaon)");
    const member = await bot!.services.members.findByRef(promeneur, "discord");
    expect(member).toMatchObject({ role: "PROMENEUR", status: "ONBOARDING", firstName: "Lucas" });
  });

  it("refuses a Promeneur the member commands in the core, whatever Discord shows", async () => {
    await startDiscordBot();
    const shown = await emu.sendCommand({ userId: promeneur, name: "membre", subcommand: "role", options: { membre: `<@${promeneur}>`, role: "admin" } }).final();
    expect(shown.ephemeral).toBe(true);
    expect(shown.text).toContain("réservée aux rôles suivants : Animateur du réseau, Administrateur");
    expect((await bot!.services.members.findByRef(promeneur, "discord")).role).toBe("PROMENEUR");
  });

  it("lets the animator choose a channel with Discord's channel option", async () => {
    await startDiscordBot();
    const veille = emu.addChannel({ name: "veille" });
    const shown = await emu.sendCommand({ userId: animator, name: "config", subcommand: "canal", options: { usage: "veille", canal: veille.id } }).final();
    expect(shown.text).toContain(`le salon <#${veille.id}> sert désormais à l'usage « veille » (Veille réglementaire et réseaux sociaux)`);
    expect(await bot!.services.settings.channel("discord", "veille")).toBe(veille.id);
    expect(await bot!.services.settings.channel("slack", "veille")).toBeNull();
  });

  it("explains a bad option in French and changes nothing", async () => {
    await startDiscordBot();
    const shown = await emu.sendCommand({ userId: promeneur, name: "profil", subcommand: "modifier", options: { photo: "http://exemple.fr/a.png", commune: "Épinal" } }).final();
    expect(shown.ephemeral).toBe(true);
    expect(shown.text).toContain("**photo** : une adresse d'image en https://");
    expect(shown.text).toContain("Rien n'a été modifié.");
    expect((await bot!.services.members.findByRef(promeneur, "discord")).commune).toBeNull();
  });

  it("answers a crash with a reference, logs the stack with it, and keeps serving", async () => {
    await startDiscordBot();
    const shown = await emu.sendCommand({ userId: promeneur, name: "panne" }).final();
    const ref = /réf\. ([A-Z2-9]{6})/.exec(shown.text)?.[1];
    expect(ref).toBeDefined();
    const logged = logLines().map((l) => JSON.parse(l)).find((l) => l.ref === ref);
    expect(logged.err.stack).toContain("panne simulée");
    expect((await emu.sendCommand({ userId: promeneur, name: "aide" }).final()).text).toContain("/annuaire");
  });

  it("edits the profile through a modal, refusing bad fields one by one", async () => {
    await startDiscordBot();
    const opened = await emu.sendCommand({ userId: promeneur, name: "profil", subcommand: "modifier" }).final();
    expect(opened.modal?.custom_id).toBe("profil:form");
    const bad = await emu.submitModal({ userId: promeneur, customId: "profil:form", fields: { prenom: "L1", contact: "x" } }).final();
    expect(bad.text).toContain("**Prénom** : lettres, espaces, apostrophes et tirets seulement");
    expect(bad.text).toContain("**Comment les jeunes ou parents vous joignent** : 3 caractères au moins");
    const good = await emu
      .submitModal({ userId: promeneur, customId: "profil:form", fields: { prenom: "Lucas", structure: "Espace Jeunes de Thaon", commune: "Thaon-les-Vosges", reseaux: "Instagram, Discord", contact: "Instagram @lucas_ej" } })
      .final();
    expect(good.text).toContain("Votre profil est à jour.");
    expect(await bot!.services.members.findByRef(promeneur, "discord")).toMatchObject({ structure: "Espace Jeunes de Thaon", networks: "Instagram, Discord" });
  });

  it("pages through the directory with buttons that update the message in place", async () => {
    await startDiscordBot();
    for (let i = 0; i < 7; i++) {
      const m = await bot!.services.members.create({ firstName: `Prom${String.fromCharCode(65 + i)}`, commune: "Épinal", kind: "JEUNESSE" }, null);
      await bot!.services.members.update(m.id, { directoryConsent: true }, m.id);
    }
    const first = await emu.sendCommand({ userId: promeneur, name: "annuaire", options: { commune: "epinal" } }).final();
    expect(first.text).toContain("7 Promeneurs du Net pour commune epinal — page 1/2");
    expect(first.customIds).toEqual(["annuaire:page:2:-:epinal:"]);
    const click = emu.clickButton({ userId: promeneur, customId: "annuaire:page:2:-:epinal:" });
    expect((await click.response()).type).toBe(7);
    const second = await click.final();
    expect(second.text).toContain("page 2/2");
    expect(second.customIds).toEqual(["annuaire:page:1:-:epinal:"]);
  });

  it("manages members: add, change role, link an account, remove — each audited", async () => {
    await startDiscordBot();
    const added = await emu.sendCommand({ userId: animator, name: "membre", subcommand: "ajouter", options: { prenom: "Inès", nom: "Haddad", structure: "MJC Golbey", type: "parentalite", email: "ines@mjc-golbey.fr" } }).final();
    const id = /#(\d+)/.exec(added.text)?.[1];
    expect(id).toBeDefined();
    await emu.sendCommand({ userId: animator, name: "membre", subcommand: "role", options: { membre: `#${id}`, role: "referent_caf" } }).final();
    const linked = await emu.sendCommand({ userId: animator, name: "membre", subcommand: "lier", options: { membre: "ines haddad", compte: promeneur } }).final();
    expect(linked.text).toContain(`est lié à Inès Haddad (#${id})`);
    const removed = await emu.sendCommand({ userId: animator, name: "membre", subcommand: "retirer", options: { membre: `<@${promeneur}>` } }).final();
    expect(removed.text).toContain("ne fait plus partie du réseau (départ)");
    const actions = (await bot!.store.prisma.auditLog.findMany({ orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["member.create", "member.role", "member.link", "member.remove"]);
  });

  it("defers a slow answer and fills it in, instead of letting Discord drop it", async () => {
    const slow = {
      name: "lent",
      description: "Répond lentement (tests)",
      subcommands: [{ name: "", description: "Lent", options: {}, run: async () => (await new Promise((r) => setTimeout(r, 2300)), { text: "Enfin prêt.", private: true }) }],
    };
    const config = await testConfig({ ...discordEnv(emu) });
    bot = await startBot({ scheduler: { timer: false }, config, log: memoryLogger().log, commands: [...commands, slow] });
    const h = emu.sendCommand({ userId: promeneur, name: "lent" });
    expect((await h.response()).type).toBe(5);
    expect((await h.final({ timeoutMs: 5000 })).text).toContain("Enfin prêt.");
  });

  it("answers a button it no longer knows with a French hint", async () => {
    // A message left by an older version: its button routes to an action that no longer exists.
    const old = { name: "ancien", description: "Ancien message (tests)", subcommands: [{ name: "", description: "Ancien", options: {}, run: () => ({ text: "Venez-vous ?", components: [{ buttons: [{ kind: "button" as const, id: "ancien:rsvp:999:oui", label: "Je viens" }] }] }) }] };
    const config = await testConfig({ ...discordEnv(emu) });
    bot = await startBot({ scheduler: { timer: false }, config, log: memoryLogger().log, commands: [...commands, old] });
    await emu.sendCommand({ userId: promeneur, name: "ancien" }).final();
    const shown = await emu.clickButton({ userId: promeneur, customId: "ancien:rsvp:999:oui" }).final();
    expect(shown.text).toContain("Ce bouton n'est plus valable");
    expect((await emu.sendCommand({ userId: promeneur, name: "aide" }).final()).text).toContain("/annuaire");
  });

  it("honours a 429 on the interaction callback and still answers", async () => {
    await startDiscordBot();
    emu.failNext("POST /interactions/:id/:token/callback", { status: 429, retryAfter: 0.3 });
    const h = emu.sendCommand({ userId: promeneur, name: "aide" });
    const shown = await h.final();
    expect(shown.text).toContain("/annuaire");
  });

  it("never writes the token to the logs", async () => {
    await startDiscordBot({ LOG_LEVEL: "trace" });
    await emu.sendCommand({ userId: promeneur, name: "panne" }).final();
    expect(logLines().join("\n")).not.toContain(emu.token);
  });
});
