/**
 * A discord.js bot exercising the interaction flows feature code uses (deferred replies, buttons,
 * modals in both layouts, DMs, files, sub-commands, follow-ups, withResponse, selects), and the
 * commands it registers. Used by the emulator's own tests.
 */
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
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from "discord.js";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startDiscordEmulator, type DiscordEmulator, type EmuUser } from "./index.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type CommandHandler = (i: ChatInputCommandInteraction) => Promise<unknown>;

const cardReply = {
  embeds: [new EmbedBuilder().setTitle("Balade du 12 juin").setDescription("Rendez-vous à Épinal").setColor(0x2e7d32)],
  components: [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("rsvp:oui").setLabel("Je viens").setStyle(ButtonStyle.Success),
      new ButtonBuilder().setCustomId("rsvp:non").setLabel("Pas dispo").setStyle(ButtonStyle.Secondary),
    ),
  ],
};

const signUpModal = (): ModalBuilder =>
  new ModalBuilder()
    .setCustomId("inscription")
    .setTitle("Inscription")
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId("prenom").setLabel("Prénom").setStyle(TextInputStyle.Short)),
    );

const feedbackModal = (): ModalBuilder =>
  new ModalBuilder()
    .setCustomId("avis")
    .setTitle("Votre avis")
    .addLabelComponents(
      new LabelBuilder().setLabel("Commentaire").setTextInputComponent(new TextInputBuilder().setCustomId("commentaire").setStyle(TextInputStyle.Paragraph)),
    );

const dayChoice = {
  content: "Quel jour ?",
  components: [
    new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
      new StringSelectMenuBuilder()
        .setCustomId("jour")
        .setMaxValues(2)
        .addOptions({ label: "Samedi", value: "sam" }, { label: "Dimanche", value: "dim" }),
    ),
  ],
};

const COMMAND_HANDLERS: Record<string, CommandHandler> = {
  differe: async (i) => {
    await i.deferReply();
    await sleep(30);
    await i.editReply("Terminé");
  },
  carte: (i) => i.reply(cardReply),
  inscription: (i) => i.showModal(signUpModal()),
  avis: (i) => i.showModal(feedbackModal()),
  dm: async (i) => {
    const target = i.options.getUser("membre", true);
    try {
      await target.send("Coucou !");
      await i.reply({ content: "envoyé", flags: MessageFlags.Ephemeral });
    } catch (err) {
      await i.reply({ content: `échec ${err instanceof DiscordAPIError ? err.code : "?"}`, flags: MessageFlags.Ephemeral });
    }
  },
  fichier: (i) => i.reply({ content: "Voici l'export", files: [new AttachmentBuilder(Buffer.from("nom;ville\nAlice;Épinal\n"), { name: "export.csv" })] }),
  agenda: (i) =>
    i.options.getSubcommand() === "ajouter"
      ? i.reply(`ajouté ${i.options.getString("titre", true)} (${i.options.getInteger("places") ?? "∞"} places)`)
      : i.reply("liste vide"),
  suivi: async (i) => {
    await i.reply("un");
    await i.followUp({ content: "deux", flags: MessageFlags.Ephemeral });
  },
  long: (i) => i.reply("x".repeat(2001)),
  reponse: async (i) => {
    const res = await i.reply({ content: "ok", withResponse: true });
    const fetched = await i.fetchReply();
    await i.followUp(`${res.resource?.message?.id === fetched.id ? "même" : "autre"} message`);
  },
  choix: (i) => i.reply(dayChoice),
};

async function handle(i: Interaction): Promise<void> {
  if (i.isChatInputCommand()) {
    const handler = COMMAND_HANDLERS[i.commandName] ?? ((c: ChatInputCommandInteraction) => c.reply("pong"));
    await handler(i);
    return;
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

/** Logs the scenario bot in; errors thrown while answering land in `errors` (tests expect none). */
function startScenarioBot(emu: DiscordEmulator, errors: unknown[]): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });
  client.on(Events.InteractionCreate, (i) => {
    handle(i).catch((err: unknown) => errors.push(err));
  });
  return new Promise((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve(client));
    client.login(emu.token).catch(reject);
  });
}

export const COMMANDS = [
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

/** Registers COMMANDS in the guild, as the bot does at start-up. */
async function registerCommands(client: Client, emu: DiscordEmulator): Promise<void> {
  await client.rest.put(Routes.applicationGuildCommands(emu.applicationId, emu.guildId), { body: COMMANDS });
}

type UserSpec = Parameters<DiscordEmulator["addUser"]>[0];

/** The world of the emulator's self-tests; its fields are filled in `beforeAll`. */
interface ScenarioWorld<Name extends string = string> {
  emu: DiscordEmulator;
  client: Client;
  /** Errors the bot raised while answering; each test ends with none left (a test expecting one takes it). */
  botErrors: unknown[];
  /** The people added before the bot logged in, by username. */
  users: Record<Name, EmuUser>;
  /** Logs a new scenario bot in (after `client.destroy()`), as a restarted process would. */
  restart(): Promise<Client>;
}

/**
 * Starts an emulator with `people`, logs the scenario bot in (and registers COMMANDS when asked),
 * checks after each test that answering raised no error, and closes everything after the file.
 */
export function useScenarioWorld<const Name extends string>(
  people: Array<UserSpec & { username: Name }>,
  options: { registerCommands?: boolean } = {},
): ScenarioWorld<Name> {
  const world = { users: {}, botErrors: [] as unknown[] } as ScenarioWorld<Name>;
  const errors = world.botErrors;
  world.restart = async () => (world.client = await startScenarioBot(world.emu, errors));
  beforeAll(async () => {
    world.emu = await startDiscordEmulator();
    for (const person of people) world.users[person.username] = world.emu.addUser(person);
    await world.restart();
    if (options.registerCommands) await registerCommands(world.client, world.emu);
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await world.client?.destroy();
    await world.emu?.close();
  });
  return world;
}
