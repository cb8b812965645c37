/**
 * Self-test of the Discord emulator: an unmodified discord.js 14 client talks to it over
 * 127.0.0.1 (REST + gateway), and every behaviour later feature tests rely on is checked.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type TextChannel,
} from "discord.js";
import { WebSocket } from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBareDiscordBot, type BareDiscordBot } from "./discord/bare-bot.js";
import { startDiscordEmulator, type DiscordEmulator, type EmuUser } from "./discord/index.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("bare discord.js bot against the emulator", () => {
  let emu: DiscordEmulator;
  let bot: BareDiscordBot;
  let alice: EmuUser;

  beforeAll(async () => {
    emu = await startDiscordEmulator();
    alice = emu.addUser({ username: "alice", globalName: "Alice" });
    bot = await startBareDiscordBot(emu);
  });

  afterAll(async () => {
    await bot?.stop();
    await emu?.close();
  });

  it("logs in through GET /gateway/bot, then READY and GUILD_CREATE fill the cache", () => {
    expect(emu.requests[0]).toMatchObject({ method: "GET", path: "/gateway/bot", status: 200 });
    expect(bot.client.user?.id).toBe(emu.botUserId);
    expect(bot.client.application?.id).toBe(emu.applicationId);
    const guild = bot.client.guilds.cache.get(emu.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(emu.generalChannelId)?.name).toBe("général");
    expect(guild?.members.me?.id).toBe(emu.botUserId);
    expect(emu.gatewayStats.identifies).toBe(1);
    expect(emu.unknownRequests()).toEqual([]);
  });

  it("answers /ping with pong", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    const response = await h.response();
    expect(response.type).toBe(4);
    expect(response.data?.content).toBe("pong");
    expect(h.responseLatencyMs).toBeGreaterThan(0);
    expect(h.responseLatencyMs).toBeLessThan(1000);
    const view = await h.final();
    expect(view.content).toBe("pong");
    expect(view.message?.author.id).toBe(emu.botUserId);
    expect(emu.messagesIn(emu.generalChannelId).at(-1)?.content).toBe("pong");
    expect(bot.errors).toEqual([]);
  });

  it("sends a realistic CHAT_INPUT payload (member, locale, token, app permissions)", () => {
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    expect(h.payload).toMatchObject({
      type: 2,
      application_id: emu.applicationId,
      guild_id: emu.guildId,
      channel_id: emu.generalChannelId,
      locale: "fr",
      member: { user: { id: alice.id, username: "alice", global_name: "Alice" } },
      data: { name: "ping", type: 1 },
    });
    expect(typeof h.payload.token).toBe("string");
    expect(BigInt(h.payload.app_permissions as string) > 0n).toBe(true);
    return h.response();
  });

  it("refuses a second acknowledgement and late callbacks like Discord", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    await h.response();
    const res = await fetch(`${emu.apiUrl}/v10/interactions/${h.id}/${h.token}/callback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: 4, data: { content: "again" } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: "Interaction has already been acknowledged.", code: 40060 });
  });

  it("answers unknown routes with a 404 JSON and records them", async () => {
    const res = await fetch(`${emu.apiUrl}/v10/nope/nothing`, { headers: { authorization: `Bot ${emu.token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404: Not Found", code: 0 });
    expect(emu.unknownRequests().map((r) => r.path)).toEqual(["/nope/nothing"]);
    emu.requests.length = 0; // keep the log assertion of other tests independent
  });

  it("rejects a bad token on REST (discord.js reports TokenInvalid)", async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });
    await expect(client.login("not-the-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    await client.destroy();
  });
});

/** A bot exercising the interaction flows feature code will use. */
function startScenarioBot(emu: DiscordEmulator, errors: unknown[]): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });

  async function handle(i: Interaction): Promise<void> {
    if (i.isChatInputCommand()) {
      switch (i.commandName) {
        case "differe":
          await i.deferReply();
          await sleep(30);
          await i.editReply("Terminé");
          return;
        case "carte":
          await i.reply({
            embeds: [new EmbedBuilder().setTitle("Balade du 12 juin").setDescription("Rendez-vous à Épinal").setColor(0x2e7d32)],
            components: [
              new ActionRowBuilder<ButtonBuilder>().addComponents(
                new ButtonBuilder().setCustomId("rsvp:oui").setLabel("Je viens").setStyle(ButtonStyle.Success),
                new ButtonBuilder().setCustomId("rsvp:non").setLabel("Pas dispo").setStyle(ButtonStyle.Secondary),
              ),
            ],
          });
          return;
        case "inscription":
          await i.showModal(
            new ModalBuilder()
              .setCustomId("inscription")
              .setTitle("Inscription")
              .addComponents(
                new ActionRowBuilder<TextInputBuilder>().addComponents(
                  new TextInputBuilder().setCustomId("prenom").setLabel("Prénom").setStyle(TextInputStyle.Short),
                ),
              ),
          );
          return;
        case "avis":
          await i.showModal(
            new ModalBuilder()
              .setCustomId("avis")
              .setTitle("Votre avis")
              .addLabelComponents(
                new LabelBuilder()
                  .setLabel("Commentaire")
                  .setTextInputComponent(new TextInputBuilder().setCustomId("commentaire").setStyle(TextInputStyle.Paragraph)),
              ),
          );
          return;
        case "dm": {
          const target = i.options.getUser("membre", true);
          try {
            await target.send("Coucou !");
            await i.reply({ content: "envoyé", flags: MessageFlags.Ephemeral });
          } catch (err) {
            await i.reply({ content: `échec ${err instanceof DiscordAPIError ? err.code : "?"}`, flags: MessageFlags.Ephemeral });
          }
          return;
        }
        case "fichier":
          await i.reply({ content: "Voici l'export", files: [new AttachmentBuilder(Buffer.from("nom;ville\nAlice;Épinal\n"), { name: "export.csv" })] });
          return;
        case "agenda": {
          const sub = i.options.getSubcommand();
          if (sub === "ajouter") {
            await i.reply(`ajouté ${i.options.getString("titre", true)} (${i.options.getInteger("places") ?? "∞"} places)`);
          } else await i.reply("liste vide");
          return;
        }
        case "suivi":
          await i.reply("un");
          await i.followUp({ content: "deux", flags: MessageFlags.Ephemeral });
          return;
        case "long":
          await i.reply("x".repeat(2001));
          return;
        case "reponse": {
          const res = await i.reply({ content: "ok", withResponse: true });
          const fetched = await i.fetchReply();
          await i.followUp(`${res.resource?.message?.id === fetched.id ? "même" : "autre"} message`);
          return;
        }
        case "choix":
          await i.reply({
            content: "Quel jour ?",
            components: [
              new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
                new StringSelectMenuBuilder()
                  .setCustomId("jour")
                  .setMaxValues(2)
                  .addOptions({ label: "Samedi", value: "sam" }, { label: "Dimanche", value: "dim" }),
              ),
            ],
          });
          return;
        default:
          await i.reply("pong");
      }
    }
    if (i.isButton() && i.customId.startsWith("rsvp:")) {
      await i.update({ content: `${i.user.username} : ${i.customId === "rsvp:oui" ? "présent" : "absent"}`, embeds: [], components: [] });
      return;
    }
    if (i.isStringSelectMenu() && i.customId === "jour") {
      await i.deferUpdate();
      await i.editReply({ content: `Choisi : ${i.values.join(", ")}`, components: [] });
      return;
    }
    if (i.isModalSubmit()) {
      if (i.customId === "inscription") await i.reply(`Bienvenue ${i.fields.getTextInputValue("prenom")}`);
      if (i.customId === "avis") await i.reply(`Merci pour « ${i.fields.getTextInputValue("commentaire")} »`);
    }
  }

  client.on(Events.InteractionCreate, (i) => {
    handle(i).catch((err: unknown) => errors.push(err));
  });
  return new Promise((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve(client));
    client.login(emu.token).catch(reject);
  });
}

const COMMANDS = [
  new SlashCommandBuilder().setName("ping").setDescription("Répond pong"),
  new SlashCommandBuilder().setName("differe").setDescription("Réponse différée"),
  new SlashCommandBuilder().setName("carte").setDescription("Carte avec boutons"),
  new SlashCommandBuilder().setName("inscription").setDescription("Formulaire"),
  new SlashCommandBuilder().setName("avis").setDescription("Formulaire avec label"),
  new SlashCommandBuilder()
    .setName("dm")
    .setDescription("Envoie un MP")
    .addUserOption((o) => o.setName("membre").setDescription("Destinataire").setRequired(true)),
  new SlashCommandBuilder().setName("fichier").setDescription("Envoie un fichier"),
  new SlashCommandBuilder()
    .setName("agenda")
    .setDescription("Agenda")
    .addSubcommand((s) =>
      s
        .setName("ajouter")
        .setDescription("Ajoute une sortie")
        .addStringOption((o) => o.setName("titre").setDescription("Titre").setRequired(true))
        .addIntegerOption((o) => o.setName("places").setDescription("Places")),
    )
    .addSubcommand((s) => s.setName("liste").setDescription("Liste")),
  new SlashCommandBuilder().setName("suivi").setDescription("Réponse et suivi"),
  new SlashCommandBuilder().setName("long").setDescription("Message trop long"),
  new SlashCommandBuilder().setName("reponse").setDescription("withResponse + fetchReply"),
  new SlashCommandBuilder().setName("choix").setDescription("Menu déroulant"),
].map((c) => c.toJSON());

describe("interaction flows with discord.js", () => {
  let emu: DiscordEmulator;
  let client: Client;
  let alice: EmuUser;
  let bob: EmuUser;
  const botErrors: unknown[] = [];

  beforeAll(async () => {
    emu = await startDiscordEmulator();
    alice = emu.addUser({ username: "alice" });
    bob = emu.addUser({ username: "bob", dmsClosed: true });
    client = await startScenarioBot(emu, botErrors);
  });

  afterEach(() => {
    const errors = botErrors.splice(0);
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  it("stores guild commands bulk-overwritten with rest.put", async () => {
    const result = (await client.rest.put(Routes.applicationGuildCommands(emu.applicationId, emu.guildId), { body: COMMANDS })) as Array<{ id: string; name: string }>;
    expect(result.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(emu.commandPuts).toBe(1);
    expect(emu.guildCommands().find((c) => c.name === "agenda")?.options?.map((o) => o.name)).toEqual(["ajouter", "liste"]);
    // Re-registering keeps ids stable, as Discord does for unchanged names.
    const again = (await client.rest.put(Routes.applicationGuildCommands(emu.applicationId, emu.guildId), { body: COMMANDS })) as Array<{ id: string }>;
    expect(again.map((c) => c.id)).toEqual(result.map((c) => c.id));
    expect(emu.commandPuts).toBe(2);
    const fetched = await client.guilds.cache.get(emu.guildId)!.commands.fetch();
    expect(fetched.size).toBe(COMMANDS.length);
  });

  it("rejects invalid command definitions with 50035", async () => {
    const bad = [{ name: "Majuscule", description: "x" }];
    await expect(client.rest.put(Routes.applicationGuildCommands(emu.applicationId, emu.guildId), { body: bad })).rejects.toMatchObject({ code: 50035, status: 400 });
  });

  it("defers then edits the reply", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "differe" });
    expect((await h.response()).type).toBe(5);
    const view = await h.final();
    expect(view.content).toBe("Terminé");
    expect(view.message?.flags ?? 0).toBe(0); // the "thinking" flag is gone
  });

  it("replies with an embed and buttons, then a click is answered with update", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "carte" });
    const card = await h.final();
    expect(card.embeds[0]).toMatchObject({ title: "Balade du 12 juin", description: "Rendez-vous à Épinal", color: 0x2e7d32 });
    expect(card.customIds).toEqual(["rsvp:oui", "rsvp:non"]);

    const click = emu.clickButton({ userId: alice.id, customId: "rsvp:oui" });
    expect(click.payload).toMatchObject({ type: 3, data: { custom_id: "rsvp:oui", component_type: 2 }, message: { id: card.message!.id } });
    const updated = await click.final();
    expect(updated.type).toBe(7);
    expect(updated.message?.id).toBe(card.message!.id);
    expect(updated.content).toBe("alice : présent");
    expect(updated.components).toEqual([]);
    expect(() => emu.clickButton({ userId: alice.id, customId: "rsvp:oui" })).toThrow(/no live message/);
  });

  it("shows a modal (action rows) and discord.js reads the submitted fields", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "inscription" });
    const view = await h.final();
    expect(view.type).toBe(9);
    expect(view.modal?.title).toBe("Inscription");
    const submit = emu.submitModal({ userId: alice.id, customId: "inscription", fields: { prenom: "Alice" } });
    expect(submit.payload.data).toMatchObject({ custom_id: "inscription", components: [{ type: 1, components: [{ type: 4, custom_id: "prenom", value: "Alice" }] }] });
    expect((await submit.final()).content).toBe("Bienvenue Alice");
  });

  it("mirrors the newer label layout of modals", async () => {
    await emu.sendCommand({ userId: alice.id, name: "avis" }).response();
    const submit = emu.submitModal({ userId: alice.id, customId: "avis", fields: { commentaire: "Super sortie" } });
    expect(submit.payload.data).toMatchObject({ components: [{ type: 18, component: { type: 4, custom_id: "commentaire", value: "Super sortie" } }] });
    expect((await submit.final()).content).toBe("Merci pour « Super sortie »");
    expect(() => emu.submitModal({ userId: alice.id, customId: "avis", fields: { inconnu: "x" } })).toThrow(/no field inconnu/);
  });

  it("nests sub-command options using the registered schema", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "agenda", subcommand: "ajouter", options: { titre: "Rando", places: 12 } });
    expect(h.payload.data).toMatchObject({
      name: "agenda",
      options: [{ type: 1, name: "ajouter", options: [{ name: "titre", type: 3, value: "Rando" }, { name: "places", type: 4, value: 12 }] }],
    });
    expect((await h.final()).content).toBe("ajouté Rando (12 places)");
    expect(() => emu.sendCommand({ userId: alice.id, name: "agenda", subcommand: "ajouter", options: {} })).toThrow(/requires option "titre"/);
  });

  it("gets 50007 when DMing a user who closed their DMs", async () => {
    const refused = await emu.sendCommand({ userId: alice.id, name: "dm", options: { membre: bob.id } }).final();
    expect(refused.content).toBe("échec 50007");
    expect(refused.ephemeral).toBe(true);
    expect(emu.dmsTo(bob.id)).toEqual([]);

    const sent = await emu.sendCommand({ userId: alice.id, name: "dm", options: { membre: alice.id } }).final();
    expect(sent.content).toBe("envoyé");
    expect(emu.dmsTo(alice.id).map((m) => m.content)).toEqual(["Coucou !"]);
  });

  it("returns the message already created when a nonce comes again with enforce_nonce, like Discord", async () => {
    // A channel of its own: other tests count the posts in « général ».
    const rappels = emu.addChannel({ name: "rappels" });
    const channel = (await client.channels.fetch(rappels.id)) as TextChannel;
    const first = await channel.send({ content: "Rappel", nonce: "rappel-42", enforceNonce: true });
    const again = await channel.send({ content: "Rappel", nonce: "rappel-42", enforceNonce: true });
    expect(again.id).toBe(first.id);
    expect((await channel.send({ content: "Rappel", nonce: "rappel-43", enforceNonce: true })).id).not.toBe(first.id);
    // Without enforce_nonce, a nonce deduplicates nothing.
    expect((await channel.send({ content: "Rappel", nonce: "rappel-42", enforceNonce: false })).id).not.toBe(first.id);
    expect(emu.messagesIn(rappels.id)).toHaveLength(3);
    await expect(channel.send({ content: "Rappel", nonce: "x".repeat(26), enforceNonce: true })).rejects.toMatchObject({ code: 50035 });
  });

  it("captures multipart uploads with their name and bytes", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "fichier" });
    const view = await h.final();
    expect(view.content).toBe("Voici l'export");
    expect(h.files).toHaveLength(1);
    expect(h.files[0]!.name).toBe("export.csv");
    expect(h.files[0]!.data.toString("utf8")).toBe("nom;ville\nAlice;Épinal\n");
    expect(view.message?.attachments[0]).toMatchObject({ filename: "export.csv", size: h.files[0]!.data.length });
    const download = await fetch(view.message!.attachments[0]!.url);
    expect(await download.text()).toBe("nom;ville\nAlice;Épinal\n");
  });

  it("collects follow-ups", async () => {
    const view = await emu.sendCommand({ userId: alice.id, name: "suivi" }).final();
    expect(view.content).toBe("un");
    expect(view.followUps.map((m) => [m.content, m.flags & 64])).toEqual([["deux", 64]]);
    expect(view.text).toBe("un\ndeux");
  });

  it("validates payloads like Discord (2000 characters max)", async () => {
    const h = emu.sendCommand({ userId: alice.id, name: "long" });
    await expect(h.response({ timeoutMs: 500 })).rejects.toThrow(/type 4 -> 400 \(50035\)/);
    const err = botErrors.splice(0)[0];
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).rawError).toMatchObject({ errors: { data: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } });
  });

  it("parses withResponse callbacks and serves @original", async () => {
    const view = await emu.sendCommand({ userId: alice.id, name: "reponse" }).final();
    expect(view.followUps.map((m) => m.content)).toEqual(["même message"]);
  });

  it("handles a select menu answered with deferUpdate + editReply", async () => {
    const card = await emu.sendCommand({ userId: alice.id, name: "choix" }).final();
    expect(() => emu.selectMenu({ userId: alice.id, customId: "jour", values: ["lun"] })).toThrow(/no option lun/);
    const pick = emu.selectMenu({ userId: alice.id, customId: "jour", values: ["sam", "dim"] });
    const view = await pick.final();
    expect(view.type).toBe(6);
    expect(view.message?.id).toBe(card.message!.id);
    expect(view.content).toBe("Choisi : sam, dim");
  });

  it("supports scheduled events CRUD and member fetches through discord.js managers", async () => {
    const guild = client.guilds.cache.get(emu.guildId)!;
    const start = new Date(Date.now() + 86_400_000);
    const event = await guild.scheduledEvents.create({
      name: "Balade numérique",
      scheduledStartTime: start,
      scheduledEndTime: new Date(start.getTime() + 7_200_000),
      privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
      entityType: GuildScheduledEventEntityType.External,
      entityMetadata: { location: "Médiathèque d'Épinal" },
      description: "Atelier",
    });
    expect(emu.scheduledEvents()).toMatchObject([{ id: event.id, name: "Balade numérique", entity_metadata: { location: "Médiathèque d'Épinal" } }]);
    await guild.scheduledEvents.edit(event.id, { name: "Balade numérique (complet)" });
    expect((await guild.scheduledEvents.fetch(event.id)).name).toBe("Balade numérique (complet)");
    await guild.scheduledEvents.delete(event.id);
    expect(emu.scheduledEvents()).toEqual([]);
    await expect(
      guild.scheduledEvents.create({
        name: "Passé",
        scheduledStartTime: new Date(Date.now() - 60_000),
        privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
        entityType: GuildScheduledEventEntityType.External,
        entityMetadata: { location: "Épinal" },
        scheduledEndTime: new Date(),
      }),
    ).rejects.toMatchObject({ code: 50035 });

    const member = await guild.members.fetch({ user: alice.id, force: true });
    expect(member.user.username).toBe("alice");
    await expect(guild.members.fetch({ user: "1234567890123456789", force: true })).rejects.toMatchObject({ code: 10013 });
    const outsider = emu.addUser({ username: "outsider", member: false });
    await expect(guild.members.fetch({ user: outsider.id, force: true })).rejects.toMatchObject({ code: 10007 });
  });

  it("delivers GUILD_MEMBER_ADD / REMOVE only to clients with the GuildMembers intent", async () => {
    const watcher = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], rest: { api: emu.apiUrl } });
    const joined = new Promise<string>((resolve) => watcher.once(Events.GuildMemberAdd, (m) => resolve(m.user.username)));
    const left = new Promise<string>((resolve) => watcher.once(Events.GuildMemberRemove, (m) => resolve(m.user.username)));
    const ready = new Promise<void>((resolve) => watcher.once(Events.ClientReady, () => resolve()));
    await watcher.login(emu.token);
    await ready;
    expect(watcher.guilds.cache.get(emu.guildId)?.members.cache.has(alice.id)).toBe(true);
    const dave = emu.joinGuild({ username: "dave" });
    expect(await joined).toBe("dave");
    emu.leaveGuild(dave.user.id);
    expect(await left).toBe("dave");
    // The scenario bot (Guilds only) never saw the member.
    expect(client.guilds.cache.get(emu.guildId)?.members.cache.has(dave.user.id)).toBe(false);
    await watcher.destroy();
  });

  it("retries after an injected 429 once retry-after has elapsed", async () => {
    const channel = client.channels.cache.get(emu.generalChannelId) as TextChannel;
    const limited: number[] = [];
    client.rest.on("rateLimited", (info) => limited.push(info.retryAfter));
    emu.failNext("POST /channels/:id/messages", { status: 429, retryAfter: 1 });
    const start = performance.now();
    const message = await channel.send("après la pluie");
    expect(performance.now() - start).toBeGreaterThanOrEqual(1000);
    expect(message.content).toBe("après la pluie");
    expect(limited).toHaveLength(1);
    const posts = emu.requests.filter((r) => r.method === "POST" && r.path === `/channels/${emu.generalChannelId}/messages`);
    expect(posts.map((r) => [r.status, r.injected])).toEqual([[429, true], [200, false]]);
    expect(emu.pendingFailures).toBe(0);
  });

  it("retries an interaction callback after a 429 and a 500", async () => {
    emu.failNext("POST /interactions/:id/:token/callback", { status: 429, retryAfter: 0.2 });
    const h = emu.sendCommand({ userId: alice.id, name: "ping" });
    expect((await h.response()).data?.content).toBe("pong");
    expect(h.responseLatencyMs).toBeGreaterThanOrEqual(200);

    emu.failNext("POST /channels/:id/messages", { status: 500 });
    const channel = client.channels.cache.get(emu.generalChannelId) as TextChannel;
    await expect(channel.send("malgré tout")).resolves.toMatchObject({ content: "malgré tout" });
  });

  it("keeps its state for a restarted bot", async () => {
    const identifiesBefore = emu.gatewayStats.identifies;
    await client.destroy();
    expect(emu.gatewayStats.closeCodesReceived.at(-1)).toBe(1000);
    expect(emu.liveSessions).toBe(0);
    // Injected before the new bot is connected: delivered once it is READY.
    const early = emu.sendCommand({ userId: alice.id, name: "agenda", subcommand: "liste" });
    client = await startScenarioBot(emu, botErrors);
    expect((await early.final()).content).toBe("liste vide");
    expect(emu.guildCommands()).toHaveLength(COMMANDS.length);
    expect(emu.gatewayStats.identifies).toBe(identifiesBefore + 1);
  });
});

/** Minimal raw gateway client to check the protocol itself (not discord.js' tolerance). */
class RawGateway {
  readonly frames: Array<{ op: number; t: string | null; s: number | null; d: any }> = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<number>;
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(`${url}?v=10&encoding=json`);
    this.ws.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => this.ws.on("close", (code) => resolve(code)));
  }

  async next(predicate: (f: RawGateway["frames"][number]) => boolean): Promise<RawGateway["frames"][number]> {
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(op: number, d: unknown): void {
    this.ws.send(JSON.stringify({ op, d }));
  }
}

describe("gateway protocol", () => {
  let emu: DiscordEmulator;

  beforeAll(async () => {
    emu = await startDiscordEmulator({ heartbeatIntervalMs: 1000 });
  });

  afterAll(async () => {
    await emu?.close();
  });

  it("closes with 4004 on a bad token", async () => {
    const gw = new RawGateway(emu.gatewayUrl);
    expect((await gw.next((f) => f.op === 10)).d.heartbeat_interval).toBe(1000);
    gw.send(2, { token: "bad", intents: 1, properties: {} });
    expect(await gw.closed).toBe(4004);
  });

  it("identifies, acks heartbeats, numbers events and replays them on RESUME", async () => {
    const gw = new RawGateway(emu.gatewayUrl);
    await gw.next((f) => f.op === 10);
    gw.send(2, { token: emu.token, intents: 1 | 2, properties: { os: "linux", browser: "test", device: "test" } });
    const ready = await gw.next((f) => f.t === "READY");
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({ user: { id: emu.botUserId, bot: true }, application: { id: emu.applicationId }, guilds: [{ id: emu.guildId, unavailable: true }] });
    const guildCreate = await gw.next((f) => f.t === "GUILD_CREATE");
    expect(guildCreate.s).toBe(2);
    expect(guildCreate.d.channels.map((c: { name: string }) => c.name)).toEqual(["général"]);

    gw.send(1, 2);
    await gw.next((f) => f.op === 11);

    emu.joinGuild({ username: "carol" });
    const add = await gw.next((f) => f.t === "GUILD_MEMBER_ADD");
    expect(add.s).toBe(3);
    gw.ws.close(4000); // abnormal close: the session stays resumable
    await gw.closed;

    const again = new RawGateway(ready.d.resume_gateway_url);
    await again.next((f) => f.op === 10);
    again.send(6, { token: emu.token, session_id: ready.d.session_id, seq: 2 });
    const resumed = await again.next((f) => f.t === "RESUMED");
    expect(again.frames.filter((f) => f.op === 0).map((f) => [f.t, f.s])).toEqual([["GUILD_MEMBER_ADD", 3], ["RESUMED", 4]]);
    expect(resumed.s).toBe(4);
    again.ws.close(1000);
    await again.closed;
    expect(emu.gatewayStats.resumes).toBe(1);
  });

  it("answers an unknown session with op 9 (not resumable)", async () => {
    const gw = new RawGateway(emu.gatewayUrl);
    await gw.next((f) => f.op === 10);
    gw.send(6, { token: emu.token, session_id: "nope", seq: 1 });
    expect((await gw.next((f) => f.op === 9)).d).toBe(false);
    gw.ws.close(1000);
    await gw.closed;
  });
});

describe("shutdown", () => {
  it("leaves no handle behind: a process running bot + emulator exits by itself", async () => {
    const fixture = fileURLToPath(new URL("./discord/fixtures/exit-check.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 8000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain("answer:pong");
    expect(code).toBe(0);
  });
});
