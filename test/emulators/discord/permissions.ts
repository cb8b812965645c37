/** Channel types and permission bits, with the defaults of a fresh server and of an invited bot. */
import type { Snowflake } from "./types.js";

export const ChannelType = { GuildText: 0, DM: 1, GuildVoice: 2, GuildCategory: 4, GuildAnnouncement: 5, GuildForum: 15 } as const;

/** Permission bits used to build realistic role / interaction permissions. */
export const Perm = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  AddReactions: 1n << 6n,
  Stream: 1n << 9n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  UseVAD: 1n << 25n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  RequestToSpeak: 1n << 32n,
  ManageEvents: 1n << 33n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  UseExternalStickers: 1n << 37n,
  SendMessagesInThreads: 1n << 38n,
  UseEmbeddedActivities: 1n << 39n,
  CreateEvents: 1n << 44n,
  SendVoiceMessages: 1n << 46n,
  SendPolls: 1n << 49n,
  UseExternalApps: 1n << 50n,
} as const;
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What @everyone gets on a freshly created Discord server. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Perm.CreateInstantInvite | Perm.AddReactions | Perm.Stream | Perm.ViewChannel | Perm.SendMessages |
  Perm.EmbedLinks | Perm.AttachFiles | Perm.ReadMessageHistory | Perm.UseExternalEmojis | Perm.Connect |
  Perm.Speak | Perm.UseVAD | Perm.ChangeNickname | Perm.UseApplicationCommands | Perm.RequestToSpeak |
  Perm.CreatePublicThreads | Perm.CreatePrivateThreads | Perm.UseExternalStickers | Perm.SendMessagesInThreads |
  Perm.UseEmbeddedActivities | Perm.CreateEvents | Perm.SendVoiceMessages | Perm.SendPolls | Perm.UseExternalApps;

/** A bot invited with the usual "send messages + manage events" scopes, not Administrator. */
export const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS | Perm.ManageMessages | Perm.ManageRoles | Perm.ManageEvents;

/** A channel's exception to the roles' permissions, for a role (type 0) or a member (type 1). */
export interface PermissionOverwrite {
  id: Snowflake;
  type: 0 | 1;
  allow?: bigint;
  deny?: bigint;
}

/** Discord sends permission bitfields as decimal strings. */
export const wireOverwrite = (o: PermissionOverwrite) => ({ id: o.id, type: o.type, allow: (o.allow ?? 0n).toString(), deny: (o.deny ?? 0n).toString() });
