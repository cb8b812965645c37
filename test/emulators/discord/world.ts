/**
 * The emulated guild as tests build and observe it: users, roles, channels, members joining and
 * leaving, users writing; and what the bot left there (messages, DMs, files, commands, events).
 * Changes made while a bot is connected reach it as the gateway events Discord would send.
 */
import { snowflake } from "./http-util.js";
import { wireOverwrite, type PermissionOverwrite } from "./permissions.js";
import type { EmulatorStore, StoredMessage } from "./store.js";
import type { EmuChannel, EmuCommand, EmuMember, EmuMessage, EmuRole, EmuScheduledEvent, EmuUser, Snowflake } from "./types.js";
import type { AddUserOptions } from "./world-options.js";

type Json = Record<string, unknown>;

export abstract class DiscordWorld {
  readonly applicationId: Snowflake;
  readonly botUserId: Snowflake;
  readonly guildId: Snowflake;

  protected constructor(readonly store: EmulatorStore) {
    this.applicationId = store.applicationId;
    this.botUserId = store.botUserId;
    this.guildId = store.guildId;
  }

  /** Sends a raw gateway event to every connected bot that would receive it (intents, shard). */
  abstract dispatch(eventName: string, data: Json): void;

  /** Whether a bot is connected (world changes are then announced over the gateway). */
  protected abstract hasLiveBot(): boolean;

  // ------------------------------------------------------------------ world setup

  addUser(spec: AddUserOptions): EmuUser {
    const id = spec.id ?? snowflake();
    const user: EmuUser = {
      id,
      username: spec.username,
      global_name: spec.globalName ?? null,
      discriminator: "0",
      avatar: null,
      public_flags: 0,
      ...(spec.bot ? { bot: true } : {}),
    };
    this.store.users.set(id, { user, dmsClosed: spec.dmsClosed ?? false, locale: spec.locale ?? "fr" });
    if (spec.member ?? true) {
      this.store.members.set(id, { userId: id, roles: spec.roles ?? [], nick: spec.nick ?? null, joinedAt: new Date().toISOString() });
    }
    return { ...user };
  }

  addRole(spec: { id?: Snowflake; name: string; permissions?: bigint; color?: number }): EmuRole {
    const id = spec.id ?? snowflake();
    const role = { ...this.store.makeRole(id, spec.name, spec.permissions ?? 0n, this.store.roles.size), color: spec.color ?? 0 };
    this.store.roles.set(id, role);
    return role;
  }

  /** `permissionOverwrites` deny or allow bits per role (type 0; @everyone is `guildId`) or member (type 1). */
  addChannel(spec: { id?: Snowflake; name: string; type?: number; parentId?: Snowflake; topic?: string; permissionOverwrites?: readonly PermissionOverwrite[] }): EmuChannel {
    const channel = this.store.addChannel(spec);
    if (this.hasLiveBot()) this.dispatch("CHANNEL_CREATE", channel);
    return channel;
  }

  /** Replaces a channel's overwrites, as an administrator editing its permissions would (CHANNEL_UPDATE). */
  setPermissionOverwrites(channelId: Snowflake, overwrites: readonly PermissionOverwrite[]): void {
    const channel = this.store.channels.get(channelId);
    if (!channel || channel.guild_id !== this.guildId) throw new Error(`Discord emulator: unknown guild channel ${channelId}`);
    channel.permission_overwrites = overwrites.map(wireOverwrite);
    if (this.hasLiveBot()) this.dispatch("CHANNEL_UPDATE", channel);
  }

  /** The bot's managed role (the one its invitation created): deny overwrites usually target it. */
  get botRoleId(): Snowflake {
    return this.store.botRoleId;
  }

  user(id: Snowflake): EmuUser {
    return this.store.user(id);
  }

  member(userId: Snowflake): EmuMember | undefined {
    return this.store.member(userId);
  }

  channel(idOrName: string): EmuChannel | undefined {
    return this.store.channels.get(idOrName) ?? this.store.guildChannels().find((c) => c.name === idOrName);
  }

  setDmsClosed(userId: Snowflake, closed: boolean): void {
    const rec = this.store.users.get(userId);
    if (!rec) throw new Error(`Discord emulator: unknown user ${userId}`);
    rec.dmsClosed = closed;
  }

  /** A user joins the guild: GUILD_MEMBER_ADD (delivered with the GuildMembers intent only). */
  joinGuild(userOrSpec: Snowflake | AddUserOptions): EmuMember {
    const id = typeof userOrSpec === "string" ? userOrSpec : this.addUser({ ...userOrSpec, member: false }).id;
    if (!this.store.users.has(id)) throw new Error(`Discord emulator: unknown user ${id}`);
    const roles = typeof userOrSpec === "string" ? [] : (userOrSpec.roles ?? []);
    this.store.members.set(id, { userId: id, roles, nick: null, joinedAt: new Date().toISOString() });
    const member = this.store.member(id)!;
    this.dispatch("GUILD_MEMBER_ADD", { guild_id: this.guildId, ...member });
    return member;
  }

  /** A user leaves (or is kicked): GUILD_MEMBER_REMOVE. */
  leaveGuild(userId: Snowflake): void {
    if (!this.store.members.delete(userId)) throw new Error(`Discord emulator: ${userId} is not a member`);
    this.dispatch("GUILD_MEMBER_REMOVE", { guild_id: this.guildId, user: this.store.user(userId) });
  }

  /** A user writes in a channel (MESSAGE_CREATE; content is blanked without MESSAGE_CONTENT). */
  postAsUser(spec: { userId: Snowflake; channelId?: Snowflake; content: string }): EmuMessage {
    const author = this.store.user(spec.userId);
    const channelId = spec.channelId ?? this.defaultChannelId();
    if (!this.store.channels.has(channelId)) throw new Error(`Discord emulator: unknown channel ${channelId}`);
    const stored = this.store.createMessage(channelId, { content: spec.content }, [], { author });
    const member = stored.message.guild_id ? this.store.member(spec.userId) : undefined;
    const { user: _u, ...memberData } = member ?? { user: undefined };
    this.dispatch("MESSAGE_CREATE", { ...stored.message, ...(member ? { member: memberData } : {}) });
    return stored.message;
  }

  /** Where users write and commands are sent when a test names no channel (`général`). */
  protected abstract defaultChannelId(): Snowflake;

  // ------------------------------------------------------------------ observation

  /** Live (not deleted) messages of a channel, oldest first, ephemeral ones included (see `flags`). */
  messagesIn(channelId: Snowflake): EmuMessage[] {
    return this.store.messagesIn(channelId).map((m) => m.message);
  }

  /** Messages the bot sent to a user in DM, oldest first. */
  dmsTo(userId: Snowflake): EmuMessage[] {
    const channelId = this.store.dmChannelByUser.get(userId);
    return channelId ? this.messagesIn(channelId).filter((m) => m.author.id === this.botUserId) : [];
  }

  /** Files uploaded with a given message. */
  filesOf(messageId: Snowflake): StoredMessage["files"] {
    return this.store.messages.get(messageId)?.files ?? [];
  }

  guildCommands(): EmuCommand[] {
    return this.store.guildCommands;
  }

  globalCommands(): EmuCommand[] {
    return this.store.globalCommands;
  }

  scheduledEvents(): EmuScheduledEvent[] {
    return [...this.store.scheduledEvents.values()];
  }
}
