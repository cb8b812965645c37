import {
  Client,
  ClientUser,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Options,
  Routes,
  type ChatInputCommandInteraction,
  type Interaction as DiscordInteraction,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
  type CommandInteractionOption,
  Status,
} from "discord.js";

import type { Router } from "../../bot/router.js";
import type { Config } from "../../config.js";
import { internalErrorMessage, newErrorReference } from "../../core/errors.js";
import type { Interaction, Membership, PlatformUser } from "../../core/interaction.js";
import { DirectMessageUnavailable, type MessageRef, type PlatformNotifier, type ScheduledEvents, type SendOptions } from "../../core/notifier.js";
import type { Reply } from "../../core/reply.js";
import type { Logger } from "../../logger.js";
import { within } from "../../core/within.js";
import type { PlatformEvents } from "../../core/events.js";
import type { PlatformAdapter } from "../adapter.js";
import { discordPlatform } from "./descriptor.js";
import { discordCommands, inviteUrl, sameCommands } from "./register.js";
import { renderMessage, renderModal } from "./render.js";
import { gatewayClosedForGood } from "./gateway.js";
import { nonceOf, scheduledEventBody } from "./payloads.js";

/** Discord drops an interaction not answered within 3 s; past this we defer and edit later. */
const DEFER_AFTER_MS = 2000;

type Answerable = ChatInputCommandInteraction | MessageComponentInteraction | ModalSubmitInteraction;

interface DiscordAdapterOptions {
  config: Config;
  router: Router;
  log: Logger;
  /** Joins and departures of the guild, when Discord lets the bot see them. */
  events?: PlatformEvents;
}

/**
 * Without the gateway the guild is not in discord.js's cache, and a guild channel fetched by id
 * would come back null: take it anyway (sending needs only its id), uncached.
 */
const SENDING_ONLY = { allowUnknownGuild: true } as const;

/** Discord error codes meaning « this person cannot be reached privately ». */
const DM_REFUSED = new Set([50007, 10013, 50278]);

/**
 * The bot never reads a message, reaction, emoji, sticker, presence, voice state or thread member
 * from discord.js's caches: it sends, edits and pins by id through REST. Kept by default, the sent
 * messages alone (200 per channel, DMs included) grow with every reminder and answer.
 * Channels, guilds, users and members keep discord.js's defaults: arrivals and departures read them.
 */
const DISCORD_CACHES = Options.cacheWithLimits({
  ...Options.DefaultMakeCacheSettings,
  MessageManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  GuildEmojiManager: 0,
  GuildStickerManager: 0,
  PresenceManager: 0,
  VoiceStateManager: 0,
  StageInstanceManager: 0,
  ThreadMemberManager: 0,
  GuildInviteManager: 0,
  GuildBanManager: 0,
  AutoModerationRuleManager: 0,
});

/** Serves the commands on the network's Discord server through an unmodified discord.js client. */
export class DiscordAdapter implements PlatformAdapter, PlatformNotifier {
  readonly name = "discord" as const;
  readonly platform = "discord" as const;
  client: Client;
  /** False when the application has not been granted the Server Members intent. */
  seesMembers = true;
  /** The close code after which discord.js gave up reconnecting (a bad token, refused intents…). */
  private closedForGood: number | undefined;
  /** Several instances: the gateway may be another instance's (startSending). */
  private standby = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.client = this.createClient(true);
  }

  /**
   * Joins are only sent with the privileged Server Members intent. It is asked for first; if
   * the application was not granted it, Discord refuses the login and the bot runs without it.
   */
  private createClient(withMembers: boolean): Client {
    const api = this.options.config.DISCORD_API_URL;
    return new Client({
      intents: withMembers ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] : [GatewayIntentBits.Guilds],
      // With an API override, discord.js also takes the gateway URL from its /gateway/bot.
      rest: api ? { api: api.replace(/\/+$/, "") } : {},
      makeCache: DISCORD_CACHES,
    });
  }

  async start(): Promise<void> {
    try {
      await this.login();
    } catch (err) {
      if (!/disallowed intents/i.test(String((err as Error).message))) throw err;
      this.options.log.warn(
        "Discord refuse l'intent « Server Members » : le bot ne verra pas les arrivées sur le serveur. Activez-le dans le portail développeur (Bot → Privileged Gateway Intents) puis redémarrez.",
      );
      await this.client.destroy();
      this.seesMembers = false;
      this.client = this.createClient(false);
      await this.login();
    }
    await this.registerCommands();
    this.options.log.info({ invite: inviteUrl(this.client.application!.id), membres: this.seesMembers }, "Discord connecté — lien d'invitation du bot");
  }

  private async login(): Promise<void> {
    const { client } = this;
    const { log, config, events } = this.options;
    client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(interaction));
    client.on(Events.Error, (err) => log.error({ err }, "Discord : erreur du client"));
    client.on(Events.Warn, (message) => log.warn({ message }, "Discord : avertissement du client"));
    client.on(Events.ShardError, (err) => log.warn({ err }, "Discord : erreur de la passerelle"));
    client.on(Events.ShardDisconnect, (event) => {
      this.closedForGood = event.code;
      log.error({ closeCode: event.code }, gatewayClosedForGood(event.code));
    });
    if (events) {
      client.on(Events.GuildMemberAdd, (m) => {
        if (m.user.bot || m.guild.id !== config.DISCORD_GUILD_ID) return;
        void events.emit({ type: "joined", user: this.platformUser(m.user, m.nickname) });
      });
      client.on(Events.GuildMemberRemove, (m) => {
        if (m.user.bot || m.guild.id !== config.DISCORD_GUILD_ID) return;
        void events.emit({ type: "left", user: this.platformUser(m.user, m.nickname) });
      });
    }
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(config.DISCORD_TOKEN);
    await ready;
  }

  private platformUser(user: { id: string; globalName: string | null; username: string }, nickname?: string | null): PlatformUser {
    const name = nickname ?? user.globalName ?? user.username;
    return {
      platform: "discord",
      id: user.id,
      workspaceId: this.options.config.DISCORD_GUILD_ID ?? "",
      displayName: name,
      firstName: (user.globalName ?? user.username).split(/\s+/)[0],
    };
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  /**
   * Sends (reminders, posts) through Discord's REST API without opening the gateway: a standby
   * instance, while another instance holds the gateway connection (gateway-turn.ts), still
   * delivers the jobs it claims. start() opens the gateway when its turn comes.
   */
  async startSending(): Promise<void> {
    this.standby = true;
    const { client } = this;
    client.rest.setToken(this.options.config.DISCORD_TOKEN!);
    // discord.js learns its own user from the gateway's READY, and needs it to open DMs: ask REST.
    const me = await client.rest.get(Routes.user());
    if (this.client === client && !client.isReady()) {
      (client as { user: ClientUser | null }).user = new (ClientUser as unknown as new (c: Client, data: unknown) => ClientUser)(client, me);
    }
  }

  /** Leaves the gateway (its lock was lost) and goes back to sending only. */
  async stopGateway(): Promise<void> {
    await this.client.destroy();
    this.client = this.createClient(this.seesMembers);
    this.closedForGood = undefined;
    await this.startSending();
  }

  /** True while serving commands through the gateway (a standby only sends). */
  get holdsGateway(): boolean {
    return this.client.isReady();
  }

  /**
   * Ready and its gateway socket open (discord.js reconnects on its own; this says if it is up now).
   * A standby is well as long as it can send: the gateway is another instance's.
   */
  connected(): boolean {
    if (this.standby && !this.client.isReady()) return true;
    return this.closedForGood === undefined && this.client.isReady() && this.client.ws.status === Status.Ready;
  }

  async dm(externalId: string, reply: Reply, options?: SendOptions): Promise<MessageRef> {
    try {
      const user = await this.client.users.fetch(externalId);
      const channel = await user.createDM();
      const { flags: _f, ...payload } = renderMessage(reply, { mentionUsers: true });
      const message = await channel.send({ ...payload, ...nonceOf(options) });
      return { platform: "discord", channelId: channel.id, messageId: message.id };
    } catch (err) {
      if (err instanceof DiscordAPIError && DM_REFUSED.has(Number(err.code))) throw new DirectMessageUnavailable(err.message);
      throw err;
    }
  }

  async post(channelId: string, reply: Reply, options?: SendOptions): Promise<MessageRef> {
    const channel = await this.client.channels.fetch(channelId, SENDING_ONLY);
    if (!channel?.isSendable()) throw new Error(`le salon Discord ${channelId} n'accepte pas de messages du bot`);
    const { flags: _f, ...payload } = renderMessage(reply, { mentionUsers: true });
    const message = await channel.send({ ...payload, ...nonceOf(options) });
    return { platform: "discord", channelId, messageId: message.id };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const channel = await this.client.channels.fetch(ref.channelId, SENDING_ONLY);
    if (!channel?.isTextBased()) throw new Error(`le salon Discord ${ref.channelId} est introuvable`);
    const { flags: _f, files: _files, ...payload } = renderMessage(reply, { mentionUsers: true });
    await channel.messages.edit(ref.messageId, payload);
  }

  mention(externalId: string): string {
    return discordPlatform.mentionUser(externalId);
  }

  /** Meetings mirrored as the guild's scheduled events (see scheduledEventBody). */
  readonly scheduledEvents: ScheduledEvents = {
    create: async (event) => {
      const route = Routes.guildScheduledEvents(this.options.config.DISCORD_GUILD_ID!);
      return ((await this.client.rest.post(route, { body: scheduledEventBody(event) })) as { id: string }).id;
    },
    update: async (id, event) => {
      await this.client.rest.patch(Routes.guildScheduledEvent(this.options.config.DISCORD_GUILD_ID!, id), { body: scheduledEventBody(event) });
    },
    cancel: async (id) => {
      // 4 = CANCELED: the event stays visible as cancelled to those who marked interest.
      await this.client.rest.patch(Routes.guildScheduledEvent(this.options.config.DISCORD_GUILD_ID!, id), { body: { status: 4 } });
    },
  };

  async pin(ref: MessageRef): Promise<void> {
    const channel = await this.client.channels.fetch(ref.channelId, SENDING_ONLY);
    if (!channel?.isTextBased()) throw new Error(`le salon Discord ${ref.channelId} est introuvable`);
    await channel.messages.pin(ref.messageId);
  }

  /** Registers the guild's commands only when they differ from what Discord already has. */
  private async registerCommands(): Promise<void> {
    const appId = this.client.application!.id;
    const guildId = this.options.config.DISCORD_GUILD_ID!;
    const route = Routes.applicationGuildCommands(appId, guildId);
    const wanted = discordCommands(this.options.router.commands);
    const current = (await this.client.rest.get(route)) as Record<string, unknown>[];
    if (sameCommands(current, wanted as unknown as Record<string, unknown>[])) {
      this.options.log.debug("commandes Discord déjà à jour");
      return;
    }
    await this.client.rest.put(route, { body: wanted });
    this.options.log.info({ count: wanted.length }, "commandes Discord enregistrées");
  }

  private async onInteraction(interaction: DiscordInteraction): Promise<void> {
    const neutral = this.toNeutral(interaction);
    if (!neutral) {
      this.options.log.debug({ type: interaction.type }, "Discord : interaction ignorée");
      return;
    }
    const target = interaction as Answerable;
    let deferred = false;
    try {
      const pending = this.options.router.handle(neutral);
      const early = await within(pending, DEFER_AFTER_MS);
      if (early) return await this.answer(target, early, false);
      deferred = true;
      if (target.isMessageComponent()) await target.deferUpdate();
      else await target.deferReply({ flags: MessageFlags.Ephemeral });
      await this.answer(target, await pending, true);
    } catch (err) {
      const ref = newErrorReference();
      this.options.log.error({ err, ref, interaction: interaction.id }, "Discord : interaction en échec");
      await this.tellFailure(target, ref, deferred).catch(() => undefined);
    }
  }

  private toNeutral(i: DiscordInteraction): Interaction | null {
    const member = i.member as { nick?: string | null; nickname?: string | null } | null;
    const user: PlatformUser = {
      platform: "discord",
      id: i.user.id,
      workspaceId: i.guildId ?? "",
      displayName: member?.nickname ?? member?.nick ?? i.user.globalName ?? i.user.username,
      firstName: (i.user.globalName ?? i.user.username).split(/\s+/)[0],
      membership: () => this.membershipOf(i.guildId, i.user.id),
    };
    const base = { user, channelId: i.channelId ?? "", canOpenModal: true };
    if (i.isChatInputCommand()) {
      const first = i.options.data[0];
      const isSub = first?.type === 1;
      const list: readonly CommandInteractionOption[] = isSub ? (first!.options ?? []) : i.options.data;
      return {
        ...base,
        type: "command",
        command: i.commandName,
        subcommand: isSub ? first!.name : undefined,
        options: Object.fromEntries(list.map((o) => [o.name, o.value])),
      };
    }
    if (i.isButton()) return { ...base, type: "component", customId: i.customId, values: [] };
    if (i.isStringSelectMenu()) return { ...base, type: "component", customId: i.customId, values: i.values };
    if (i.isModalSubmit()) {
      const fields: Record<string, string> = {};
      for (const [id, field] of i.fields.fields) {
        if ("value" in field && typeof field.value === "string") fields[id] = field.value;
      }
      return { ...base, canOpenModal: false, type: "modal", customId: i.customId, fields };
    }
    return null;
  }

  /**
   * Only the configured guild is served. In the guild Discord vouches for the member; in a DM
   * (an old button, a private command) the guild is asked, so someone who left is refused.
   */
  private async membershipOf(guildId: string | null, userId: string): Promise<Membership> {
    const ours = this.options.config.DISCORD_GUILD_ID;
    if (!ours) return "member";
    if (guildId) return guildId === ours ? "member" : "outsider";
    try {
      await this.client.rest.get(Routes.guildMember(ours, userId));
      return "member";
    } catch (err) {
      if (err instanceof DiscordAPIError && (err.code === 10007 || err.code === 10013)) return "departed";
      throw err;
    }
  }

  private async answer(i: Answerable, reply: Reply, deferred: boolean): Promise<void> {
    if (reply.modal) {
      if (!deferred && !i.isModalSubmit()) return void (await i.showModal(renderModal(reply.modal)));
      const text = "Le formulaire n'a pas pu s'ouvrir : relancez la commande.";
      return void (deferred ? await i.editReply({ content: text }) : await i.reply({ content: text, flags: MessageFlags.Ephemeral }));
    }
    const payload = renderMessage(reply);
    if (reply.update && i.isMessageComponent()) {
      const { flags: _ignored, ...update } = payload;
      return void (deferred ? await i.editReply(update) : await i.update(update));
    }
    if (!deferred) return void (await i.reply(payload));
    if (i.isMessageComponent()) return void (await i.followUp(payload));
    // Deferred as private: a private answer edits it; a public one replaces it.
    if (reply.private) {
      const { flags: _ignored, ...edit } = payload;
      return void (await i.editReply(edit));
    }
    await i.deleteReply().catch(() => undefined);
    await i.followUp(payload);
  }

  private async tellFailure(i: Answerable, ref: string, deferred: boolean): Promise<void> {
    const content = internalErrorMessage(ref);
    if (deferred || i.replied || i.deferred) await i.followUp({ content, flags: MessageFlags.Ephemeral });
    else await i.reply({ content, flags: MessageFlags.Ephemeral });
  }
}
