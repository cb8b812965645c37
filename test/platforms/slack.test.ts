/**
 * The real bot wiring (startBot) served on Slack through an unmodified Bolt app, against the
 * Slack emulator over 127.0.0.1: Socket Mode, and HTTP mode with signed requests.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import { SlackAdapter } from "../../src/platforms/slack/adapter.js";
import { signedSlackRequest, startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { crashingCommand, memoryLogger, testConfig } from "../helpers/bot.js";
import { slackEnv } from "../helpers/env.js";

let emu: SlackEmulator;
let bot: Bot | undefined;
let logLines: () => string[];
let animator: string;
let promeneur: string;

async function startSlackBot(extraEnv: Record<string, string> = {}) {
  const config = await testConfig({
    ...slackEnv(emu),
    BOT_ADMINS: `slack:${animator}`,
    ...extraEnv,
  });
  const memory = memoryLogger([emu.botToken, emu.appToken, emu.signingSecret]);
  logLines = memory.lines;
  bot = await startBot({ scheduler: { timer: false }, config, log: memory.log, commands: [...commands, crashingCommand] });
  return bot;
}

/** Runs a slash command as `userId` and returns what Slack shows for it. */
async function command(userId: string, text: string) {
  const [name, ...rest] = text.split(" ");
  const h = emu.slashCommand({ userId, command: name!, text: rest.join(" ") });
  await h.ack();
  return { h, shown: await h.final() };
}

beforeEach(async () => {
  emu = await startSlackEmulator();
  animator = emu.addUser({ name: "anim", realName: "Sophie Animatrice", firstName: "Sophie" }).id;
  promeneur = emu.addUser({ name: "lucas", realName: "Lucas Bernard", displayName: "Lucas B.", firstName: "Lucas" }).id;
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await emu.close();
});

describe("the bot on Slack (Socket Mode)", () => {
  it("stores no photo at first contact: the Slack avatar is not the member's choice", async () => {
    await startSlackBot();
    await command(promeneur, "/aide");
    const member = await bot!.services.members.findByRef(promeneur, "slack");
    expect(member.displayName).toBe("Lucas B.");
    expect(member.photoUrl).toBeNull();
  });

  it("answers /aide inside the ack, privately, with the commands of the member's role", async () => {
    await startSlackBot();
    const { h, shown } = await command(promeneur, "/aide");
    expect(h.ackPayload).toMatchObject({ response_type: "ephemeral" });
    expect(shown.ephemeral).toBe(true);
    expect(shown.fullText).toContain("/annuaire");
    expect(shown.fullText).not.toContain("/membre");
    const asAnimator = await command(animator, "/aide");
    expect(asAnimator.shown.fullText).toContain("/membre ajouter");
    expect(emu.problems).toEqual([]);
  });

  it("registers a newcomer on first contact with the name from their Slack profile", async () => {
    await startSlackBot();
    const { shown } = await command(promeneur, "/profil voir");
    expect(shown.fullText).toContain("Lucas B.");
    expect(shown.fullText).toContain("en cours d'accueil");
    const account = await bot!.store.prisma.platformAccount.findFirst({ where: { externalId: promeneur }, include: { member: true } });
    expect(account?.member).toMatchObject({ role: "PROMENEUR", status: "ONBOARDING", firstName: "Lucas" });
    expect(account?.workspaceId).toBe(emu.teamId);
  });

  it("refuses a Promeneur the configuration, naming the role needed, and writes nothing", async () => {
    await startSlackBot();
    const { shown } = await command(promeneur, `/config canal usage:annonces canal:<#${emu.defaultChannelId}|general>`);
    expect(shown.fullText).toContain("réservée aux rôles suivants : Animateur du réseau, Administrateur");
    expect(await bot!.store.prisma.setting.count()).toBe(0);
  });

  it("lets the animator choose a channel by its Slack mention", async () => {
    await startSlackBot();
    const { shown } = await command(animator, `/config canal usage:annonces canal:<#${emu.defaultChannelId}|general>`);
    expect(shown.fullText).toContain(`le salon <#${emu.defaultChannelId}> sert désormais à l'usage « annonces » (Annonces du réseau)`);
    expect(await bot!.services.settings.channel("slack", "annonces")).toBe(emu.defaultChannelId);
    const seen = await command(animator, "/config voir");
    expect(seen.shown.fullText).toContain(`annonces — Annonces du réseau*\n<#${emu.defaultChannelId}>`);
  });

  it("explains a bad option in French and changes nothing", async () => {
    await startSlackBot();
    const { shown } = await command(promeneur, "/profil modifier photo:http://exemple.fr/moi.png commune:Épinal");
    expect(shown.fullText).toContain("*photo* : une adresse d'image en https://");
    expect(shown.fullText).toContain("Rien n'a été modifié.");
    const member = await bot!.services.members.findByRef(promeneur, "slack");
    expect(member.commune).toBeNull();
  });

  it("answers a crash with a reference, logs the stack with it, and keeps serving", async () => {
    await startSlackBot();
    const { shown } = await command(promeneur, "/panne");
    const ref = /réf\. ([A-Z2-9]{6})/.exec(shown.fullText)?.[1];
    expect(ref).toBeDefined();
    const logged = logLines().map((l) => JSON.parse(l)).find((l) => l.ref === ref);
    expect(logged.err.stack).toContain("panne simulée");
    expect((await command(promeneur, "/aide")).shown.fullText).toContain("/annuaire");
  });

  it("opens a form for missing required options and runs the command once it is filled", async () => {
    await startSlackBot();
    const target = await bot!.services.members.create({ firstName: "Inès", structure: "MJC Golbey" }, null);
    const h = emu.slashCommand({ userId: animator, command: "/membre", text: "role" });
    await h.ack();
    await emu.idle();
    expect(h.openedViews).toHaveLength(1);
    const view = h.openedViews[0]!;
    expect(JSON.stringify(view)).toContain("membre — ");
    const submit = emu.submitView({ userId: animator, values: { membre: { value: `#${target.id}` }, role: { value: "referent_caf" } } });
    await submit.ack();
    await emu.idle();
    expect((await bot!.services.members.get(target.id))?.role).toBe("REFERENT_CAF");
    const told = emu.messagesIn(emu.defaultChannelId, { visibleTo: animator }).at(-1);
    expect(told?.fullText).toContain("Inès (#");
    expect(told?.fullText).toContain("Référent Caf");
  });

  it("edits the profile through a Slack modal, refusing bad fields one by one", async () => {
    await startSlackBot();
    const h = emu.slashCommand({ userId: promeneur, command: "/profil", text: "modifier" });
    await h.ack();
    await emu.idle();
    expect(h.openedViews).toHaveLength(1);
    const bad = emu.submitView({ userId: promeneur, values: { prenom: { value: "L1" }, contact: { value: "x" } } });
    expect(await bad.ack()).toMatchObject({ response_action: "errors" });
    await emu.idle();
    // The view stays open as typed, each error under its field; nothing else is said or written.
    const view = emu.currentView(promeneur);
    expect(view?.open).toBe(true);
    expect(view?.errors?.prenom).toContain("Lettres, espaces, apostrophes et tirets seulement.");
    expect(view?.errors?.contact).toContain("3 caractères au moins.");
    expect(Object.keys(view?.errors ?? {})).toEqual(["prenom", "contact"]);

    const good = emu.submitView({ userId: promeneur, values: { prenom: { value: "Lucas" }, structure: { value: "Espace Jeunes de Thaon" }, commune: { value: "Thaon-les-Vosges" }, reseaux: { value: "Instagram, Discord" }, contact: { value: "Instagram @lucas_ej" } } });
    await good.ack();
    await emu.idle();
    const member = await bot!.services.members.findByRef(promeneur, "slack");
    expect(member).toMatchObject({ structure: "Espace Jeunes de Thaon", commune: "Thaon-les-Vosges", networks: "Instagram, Discord", contact: "Instagram @lucas_ej" });
  });

  it("pages through the directory with buttons that replace the message", async () => {
    await startSlackBot();
    for (let i = 0; i < 7; i++) {
      const m = await bot!.services.members.create({ firstName: `Prom${String.fromCharCode(65 + i)}`, commune: "Épinal", kind: "JEUNESSE" }, null);
      await bot!.services.members.update(m.id, { directoryConsent: true }, m.id);
    }
    const { shown } = await command(promeneur, "/annuaire commune:epinal");
    expect(shown.fullText).toContain("7 Promeneurs du Net pour commune epinal — page 1/2");
    const next = emu.clickButton({ userId: promeneur, actionId: "annuaire:page:2:-:epinal:", message: shown });
    await next.ack();
    const page2 = await next.final();
    expect(page2.fullText).toContain("page 2/2");
    expect(page2.fullText).toContain("PromF");
    expect(page2.ts).toBe(shown.ts);
  });

  it("links a Slack account to an imported member and merges the first-contact stub", async () => {
    await startSlackBot();
    await command(promeneur, "/aide");
    const imported = await bot!.services.members.create({ firstName: "Lucas", lastName: "Bernard", email: "lucas@ej-thaon.fr" }, null);
    const { shown } = await command(animator, `/membre lier membre:#${imported.id} compte:<@${promeneur}|lucas>`);
    expect(shown.fullText).toContain(`est lié à Lucas Bernard (#${imported.id})`);
    expect(shown.fullText).toContain("a été fusionnée");
    expect((await bot!.services.members.findByRef(promeneur, "slack")).id).toBe(imported.id);
    const audit = await bot!.store.prisma.auditLog.findMany({ where: { action: "member.link" } });
    expect(audit).toHaveLength(1);
  });

  it("acks a slow command at once and answers through response_url when ready", async () => {
    const slow = { name: "lent", description: "Lent (tests)", subcommands: [{ name: "", description: "Lent", options: {}, run: async () => (await new Promise((r) => setTimeout(r, 2300)), { text: "Enfin prêt.", private: true }) }] };
    const config = await testConfig({ ...slackEnv(emu) });
    bot = await startBot({ scheduler: { timer: false }, config, log: memoryLogger().log, commands: [...commands, slow] });
    const h = emu.slashCommand({ userId: promeneur, command: "/lent", text: "" });
    expect(await h.ack()).toEqual({});
    expect(h.ackLatencyMs).toBeLessThan(2900);
    const shown = await h.final({ timeoutMs: 5000, until: (m) => m.fullText.includes("Enfin") });
    expect(shown.fullText).toContain("Enfin prêt.");
    expect(h.responses).toHaveLength(1);
  });

  it("answers a button it no longer knows with a French hint, and keeps serving", async () => {
    await startSlackBot();
    const click = emu.clickButton({ userId: promeneur, actionId: "rencontre:rsvp:999:oui" });
    await click.ack();
    const shown = await click.final();
    expect(shown.fullText).toContain("Ce bouton n'est plus valable");
    expect((await command(promeneur, "/aide")).shown.fullText).toContain("/annuaire");
  });

  it("never writes a token to the logs", async () => {
    await startSlackBot({ LOG_LEVEL: "trace" });
    await command(promeneur, "/aide");
    await command(promeneur, "/panne");
    const all = logLines().join("\n");
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [emu.botToken, emu.appToken]) expect(all).not.toContain(secret);
  });
});

describe("the bot on Slack (HTTP mode)", () => {
  it("answers a correctly signed command and refuses a bad signature", async () => {
    const b = await startSlackBot({ SLACK_APP_TOKEN: "", SLACK_SIGNING_SECRET: emu.signingSecret, SLACK_PORT: "0" });
    const port = (b.adapters.find((a) => a.name === "slack") as SlackAdapter).httpPort;
    const url = `http://127.0.0.1:${port}/slack/events`;
    const fields = emu.commandPayload({ userId: promeneur, command: "/aide", text: "" });
    const ok = await signedSlackRequest(url, emu.signingSecret, { kind: "command", fields });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ response_type: "ephemeral" });
    expect(ok.body).toContain("/annuaire");
    const forged = await signedSlackRequest(url, emu.signingSecret, { kind: "command", fields }, { badSignature: true });
    expect(forged.status).toBe(401);
    expect(await b.store.prisma.member.count()).toBe(2);
  });
});
