/**
 * In-memory state of the emulated Discord: one guild, its users/members/roles/channels,
 * messages, application commands and scheduled events, plus the factories that turn
 * that state into the JSON shapes discord.js parses.
 *
 * State lives outside gateway sessions on purpose: a bot restarted in a test reconnects
 * to the same "Discord" and finds its commands, messages and events where it left them.
 */
import type { APIEmbed } from "discord.js";
import { reportBotOutput } from "../../helpers/bot-output.js";
import { findInTree } from "./component-tree.js";
import { snowflake } from "./http-util.js";
import { attachmentsFor, messageText, numberComponents } from "./message-content.js";
import { ALL_PERMISSIONS, ChannelType, DEFAULT_EVERYONE_PERMISSIONS, Perm, wireOverwrite, type PermissionOverwrite } from "./permissions.js";
import { MessageFlags } from "./validate.js";
import type {
  CapturedFile,
  EmuAttachment,
  EmuChannel,
  EmuCommand,
  EmuComponent,
  EmuMember,
  EmuMessage,
  EmuRole,
  EmuScheduledEvent,
  EmuUser,
  Snowflake,
} from "./types.js";

interface UserRecord {
  user: EmuUser;
  dmsClosed: boolean;
  locale: string;
}

interface MemberRecord {
  userId: Snowflake;
  roles: Snowflake[];
  nick: string | null;
  joinedAt: string;
}

export interface StoredMessage {
  message: EmuMessage;
  files: CapturedFile[];
  deleted: boolean;
  /** The interaction this message answers (callback, @original or follow-up), if any. */
  interactionId?: Snowflake;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class EmulatorStore {
  readonly users = new Map<Snowflake, UserRecord>();
  readonly members = new Map<Snowflake, MemberRecord>();
  readonly roles = new Map<Snowflake, EmuRole>();
  readonly channels = new Map<Snowflake, EmuChannel>();
  readonly dmChannelByUser = new Map<Snowflake, Snowflake>();
  readonly messages = new Map<Snowflake, StoredMessage>();
  readonly channelMessageIds = new Map<Snowflake, Snowflake[]>();
  readonly attachmentFiles = new Map<Snowflake, CapturedFile>();
  readonly scheduledEvents = new Map<Snowflake, EmuScheduledEvent>();
  guildCommands: EmuCommand[] = [];
  globalCommands: EmuCommand[] = [];
  readonly botRoleId: Snowflake;
  readonly guildCreatedAt = new Date(Date.now() - 86_400_000).toISOString();
  /** Nonces sent with enforce_nonce, per author: the message they created and when. */
  private readonly nonces = new Map<string, { messageId: Snowflake; at: number }>();
  nonceWindowMs = 2 * 60_000;
  /** Set once the HTTP server listens; used for attachment URLs. */
  baseUrl = "http://127.0.0.1";

  constructor(
    readonly applicationId: Snowflake,
    readonly botUserId: Snowflake,
    botUsername: string,
    readonly guildId: Snowflake,
    readonly guildName: string,
    botPermissions: bigint,
  ) {
    this.users.set(botUserId, {
      user: { id: botUserId, username: botUsername, global_name: null, discriminator: "0", avatar: null, bot: true, public_flags: 0 },
      dmsClosed: true,
      locale: "fr",
    });
    // @everyone shares the guild id, as on Discord.
    this.roles.set(guildId, this.makeRole(guildId, "@everyone", DEFAULT_EVERYONE_PERMISSIONS, 0));
    this.botRoleId = snowflake();
    this.roles.set(this.botRoleId, { ...this.makeRole(this.botRoleId, botUsername, botPermissions, 1), managed: true, tags: { bot_id: botUserId } });
    this.members.set(botUserId, { userId: botUserId, roles: [this.botRoleId], nick: null, joinedAt: this.guildCreatedAt });
  }

  makeRole(id: Snowflake, name: string, permissions: bigint, position: number): EmuRole {
    return {
      id,
      name,
      permissions: permissions.toString(),
      position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: false,
      mentionable: false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    };
  }

  get botUser(): EmuUser {
    return this.user(this.botUserId);
  }

  user(id: Snowflake): EmuUser {
    const rec = this.users.get(id);
    if (!rec) throw new Error(`Discord emulator: unknown user ${id} (add it with emu.addUser first)`);
    return { ...rec.user };
  }

  member(userId: Snowflake): EmuMember | undefined {
    const rec = this.members.get(userId);
    if (!rec) return undefined;
    return {
      user: this.user(userId),
      nick: rec.nick,
      avatar: null,
      roles: [...rec.roles],
      joined_at: rec.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** Guild-level permissions of a member (Administrator implies everything). */
  permissionsOf(userId: Snowflake): bigint {
    const rec = this.members.get(userId);
    let perms = BigInt(this.roles.get(this.guildId)?.permissions ?? "0");
    for (const roleId of rec?.roles ?? []) perms |= BigInt(this.roles.get(roleId)?.permissions ?? "0");
    return (perms & Perm.Administrator) !== 0n ? ALL_PERMISSIONS : perms;
  }

  guildChannels(): EmuChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === this.guildId);
  }

  /** The GUILD_CREATE payload; members are limited to the bot without the GUILD_MEMBERS intent. */
  guildCreatePayload(includeAllMembers: boolean): Record<string, unknown> {
    const memberIds = includeAllMembers ? [...this.members.keys()] : [this.botUserId];
    return {
      ...this.guildObject(),
      joined_at: this.members.get(this.botUserId)?.joinedAt ?? this.guildCreatedAt,
      large: false,
      unavailable: false,
      member_count: this.members.size,
      voice_states: [],
      members: memberIds.map((id) => this.member(id)).filter((m) => m !== undefined),
      channels: this.guildChannels().map((c) => ({ ...c, guild_id: undefined })),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [...this.scheduledEvents.values()],
      soundboard_sounds: [],
    };
  }

  guildObject(): Record<string, unknown> {
    const general = this.guildChannels().find((c) => c.type === ChannelType.GuildText);
    return {
      id: this.guildId,
      name: this.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.ownerId(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: [...this.roles.values()],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: general?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: "fr",
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  /** The first human member stands for the server owner (the bot never owns a server). */
  ownerId(): Snowflake {
    for (const id of this.members.keys()) if (id !== this.botUserId) return id;
    return "0";
  }

  addChannel(spec: { id?: Snowflake; name: string; type?: number; parentId?: Snowflake | null; topic?: string | null; permissionOverwrites?: readonly PermissionOverwrite[] }): EmuChannel {
    const id = spec.id ?? snowflake();
    const type = spec.type ?? ChannelType.GuildText;
    const position = this.guildChannels().filter((c) => c.type === type).length;
    const channel: EmuChannel = {
      id,
      type,
      name: spec.name,
      guild_id: this.guildId,
      position,
      parent_id: spec.parentId ?? null,
      permission_overwrites: (spec.permissionOverwrites ?? []).map(wireOverwrite),
      nsfw: false,
      flags: 0,
    };
    if (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement) {
      Object.assign(channel, { topic: spec.topic ?? null, last_message_id: null, rate_limit_per_user: 0 });
    }
    if (type === ChannelType.GuildVoice) {
      Object.assign(channel, { bitrate: 64000, user_limit: 0, rtc_region: null, last_message_id: null, rate_limit_per_user: 0 });
    }
    this.channels.set(id, channel);
    return channel;
  }

  /** Returns (creating once) the DM channel between the bot and a user — same id every time, like Discord. */
  dmChannel(userId: Snowflake): EmuChannel {
    const existing = this.dmChannelByUser.get(userId);
    if (existing) return this.channels.get(existing)!;
    const channel: EmuChannel = { id: snowflake(), type: ChannelType.DM, last_message_id: null, flags: 0, recipients: [this.user(userId)] };
    this.channels.set(channel.id, channel);
    this.dmChannelByUser.set(userId, channel.id);
    return channel;
  }

  dmRecipient(channel: EmuChannel): UserRecord | undefined {
    const recipient = channel.recipients?.[0];
    return recipient ? this.users.get(recipient.id) : undefined;
  }

  messagesIn(channelId: Snowflake): StoredMessage[] {
    return (this.channelMessageIds.get(channelId) ?? [])
      .map((id) => this.messages.get(id))
      .filter((m): m is StoredMessage => m !== undefined && !m.deleted);
  }

  attachmentsFor(channelId: Snowflake, body: Record<string, unknown>, files: CapturedFile[], existing: EmuAttachment[]): EmuAttachment[] {
    return attachmentsFor(this, channelId, body, files, existing);
  }

  private mentionsIn(content: string): { users: EmuUser[]; roles: Snowflake[]; everyone: boolean } {
    const users = new Map<Snowflake, EmuUser>();
    for (const m of content.matchAll(/<@!?(\d+)>/g)) {
      const id = m[1]!;
      if (this.users.has(id)) users.set(id, this.user(id));
    }
    const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!).filter((id) => this.roles.has(id));
    return { users: [...users.values()], roles, everyone: /@(everyone|here)\b/.test(content) };
  }

  /** The message this author created with this nonce within the window, if any (enforce_nonce). */
  messageByNonce(authorId: Snowflake, nonce: string): StoredMessage | undefined {
    const seen = this.nonces.get(`${authorId}:${nonce}`);
    if (!seen || Date.now() - seen.at > this.nonceWindowMs) return undefined;
    return this.messages.get(seen.messageId);
  }

  rememberNonce(authorId: Snowflake, nonce: string, messageId: Snowflake): void {
    this.nonces.set(`${authorId}:${nonce}`, { messageId, at: Date.now() });
  }

  createMessage(
    channelId: Snowflake,
    body: Record<string, unknown>,
    files: CapturedFile[],
    extra: { author: EmuUser; type?: number; webhookId?: Snowflake; interactionId?: Snowflake; interactionMetadata?: Record<string, unknown>; flags?: number },
  ): StoredMessage {
    const channel = this.channels.get(channelId);
    const content = typeof body.content === "string" ? body.content : "";
    const mentions = this.mentionsIn(content);
    const message: EmuMessage = {
      id: snowflake(),
      type: extra.type ?? 0,
      channel_id: channelId,
      ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
      author: extra.author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: mentions.everyone,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      attachments: this.attachmentsFor(channelId, body, files, []),
      embeds: Array.isArray(body.embeds) ? body.embeds.map((e) => ({ type: "rich", ...(e as object) }) as APIEmbed) : [],
      components: numberComponents(body.components),
      pinned: false,
      flags: extra.flags ?? (typeof body.flags === "number" ? body.flags : 0),
    };
    if (extra.webhookId) {
      message.webhook_id = extra.webhookId;
      message.application_id = this.applicationId;
    }
    if (extra.interactionMetadata) message.interaction_metadata = extra.interactionMetadata;
    if (isObj(body.message_reference)) {
      message.message_reference = { type: 0, channel_id: channelId, ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}), ...body.message_reference };
      if (message.type === 0) message.type = 19; // REPLY
    }
    const stored: StoredMessage = { message, files: [...files], deleted: false, ...(extra.interactionId ? { interactionId: extra.interactionId } : {}) };
    this.messages.set(message.id, stored);
    const ids = this.channelMessageIds.get(channelId) ?? [];
    ids.push(message.id);
    this.channelMessageIds.set(channelId, ids);
    if (channel) channel.last_message_id = message.id;
    this.reportIfBot(message);
    return stored;
  }

  /** Hands what the bot shows (text, embeds, button labels) to the style check of the e2e suites. */
  private reportIfBot(message: EmuMessage): void {
    if (message.author.id !== this.botUserId) return;
    const labels: string[] = [];
    findInTree(message.components, (c) => {
      if (typeof c.label === "string") labels.push(c.label);
      return false;
    });
    reportBotOutput(`Discord, salon ${message.channel_id}`, [messageText(message), ...labels].join("\n"));
  }

  /** Applies an edit payload; only fields present in the body change, as on Discord. */
  editMessage(stored: StoredMessage, body: Record<string, unknown>, files: CapturedFile[], opts: { clearLoading?: boolean } = {}): EmuMessage {
    const msg = stored.message;
    const wasLoading = (msg.flags & MessageFlags.Loading) !== 0;
    if ("content" in body) {
      msg.content = typeof body.content === "string" ? body.content : "";
      const mentions = this.mentionsIn(msg.content);
      msg.mentions = mentions.users;
      msg.mention_roles = mentions.roles;
      msg.mention_everyone = mentions.everyone;
    }
    if ("embeds" in body) msg.embeds = Array.isArray(body.embeds) ? body.embeds.map((e) => ({ type: "rich", ...(e as object) }) as APIEmbed) : [];
    if ("components" in body) msg.components = numberComponents(body.components);
    if ("attachments" in body || files.length > 0) msg.attachments = this.attachmentsFor(msg.channel_id, body, files, msg.attachments);
    if (typeof body.flags === "number") {
      // Only SUPPRESS_EMBEDS (4) and IS_COMPONENTS_V2 can be toggled on edit.
      const mutable = 4 | MessageFlags.IsComponentsV2;
      msg.flags = (msg.flags & ~mutable) | (body.flags & mutable);
    }
    if (opts.clearLoading) msg.flags &= ~MessageFlags.Loading;
    // Filling a deferred ("thinking…") message is not shown as an edit by Discord.
    if (!wasLoading) msg.edited_timestamp = new Date().toISOString();
    stored.files.push(...files);
    this.reportIfBot(msg);
    return msg;
  }

  /** Finds the newest live message carrying a component with this custom id. */
  findComponent(customId: string, messageId?: Snowflake): { stored: StoredMessage; component: EmuComponent } | undefined {
    const candidates = messageId
      ? [this.messages.get(messageId)].filter((m): m is StoredMessage => m !== undefined)
      : [...this.messages.values()].reverse();
    for (const stored of candidates) {
      if (stored.deleted) continue;
      const component = findInTree(stored.message.components, (c) => c.custom_id === customId);
      if (component) return { stored, component };
    }
    return undefined;
  }

  allCustomIds(): string[] {
    const ids: string[] = [];
    for (const stored of this.messages.values()) {
      if (stored.deleted) continue;
      findInTree(stored.message.components, (c) => {
        if (c.custom_id) ids.push(c.custom_id);
        return false;
      });
    }
    return ids;
  }
}
