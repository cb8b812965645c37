/**
 * Public types of the Discord emulator.
 *
 * The wire shapes are deliberately loose (index signatures) rather than the strict
 * discord-api-types unions: tests read them like plain JSON, and the emulator stores
 * whatever the bot sent after validation, so a strict union would only force casts.
 */
import type { APIEmbed } from "discord.js";

export type Snowflake = string;

export interface EmuUser {
  id: Snowflake;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
  public_flags?: number;
}

/** A component as sent by the bot (action row, button, select, text input, container…). */
export interface EmuComponent {
  type: number;
  id?: number;
  custom_id?: string;
  label?: string;
  style?: number;
  url?: string;
  disabled?: boolean;
  placeholder?: string;
  min_values?: number;
  max_values?: number;
  required?: boolean;
  value?: string;
  options?: Array<{ label: string; value: string; description?: string; default?: boolean }>;
  components?: EmuComponent[];
  component?: EmuComponent;
  accessory?: EmuComponent;
  [key: string]: unknown;
}

export interface EmuAttachment {
  id: Snowflake;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
  ephemeral?: boolean;
}

export interface EmuMessage {
  id: Snowflake;
  type: number;
  channel_id: Snowflake;
  guild_id?: Snowflake;
  author: EmuUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: EmuUser[];
  mention_roles: Snowflake[];
  attachments: EmuAttachment[];
  embeds: APIEmbed[];
  components: EmuComponent[];
  pinned: boolean;
  flags: number;
  webhook_id?: Snowflake;
  application_id?: Snowflake;
  interaction_metadata?: Record<string, unknown>;
  message_reference?: Record<string, unknown>;
  reactions?: Array<{ emoji: { id: string | null; name: string }; count: number; me: boolean }>;
  [key: string]: unknown;
}

/** A file uploaded by the bot in a multipart request. */
export interface CapturedFile {
  /** Form field name, e.g. `files[0]`. */
  key: string;
  /** File name as uploaded (what users would see). */
  name: string;
  contentType: string;
  data: Buffer;
}

export interface EmuChannel {
  id: Snowflake;
  type: number;
  name?: string;
  guild_id?: Snowflake;
  position?: number;
  parent_id?: Snowflake | null;
  topic?: string | null;
  nsfw?: boolean;
  last_message_id?: Snowflake | null;
  rate_limit_per_user?: number;
  permission_overwrites?: unknown[];
  recipients?: EmuUser[];
  flags?: number;
  [key: string]: unknown;
}

export interface EmuRole {
  id: Snowflake;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  icon: null;
  unicode_emoji: null;
  flags: number;
  tags?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface EmuMember {
  user: EmuUser;
  nick: string | null;
  avatar: null;
  roles: Snowflake[];
  joined_at: string;
  premium_since: null;
  deaf: boolean;
  mute: boolean;
  flags: number;
  pending: boolean;
  communication_disabled_until: null;
}

export interface EmuCommand {
  id: Snowflake;
  application_id: Snowflake;
  guild_id?: Snowflake;
  name: string;
  description: string;
  type: number;
  options?: EmuCommandOption[];
  default_member_permissions: string | null;
  version: Snowflake;
  [key: string]: unknown;
}

export interface EmuCommandOption {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: Array<{ name: string; value: string | number }>;
  options?: EmuCommandOption[];
  autocomplete?: boolean;
  [key: string]: unknown;
}

export interface EmuScheduledEvent {
  id: Snowflake;
  guild_id: Snowflake;
  channel_id: Snowflake | null;
  creator_id: Snowflake;
  creator: EmuUser;
  name: string;
  description: string | null;
  scheduled_start_time: string;
  scheduled_end_time: string | null;
  privacy_level: number;
  status: number;
  entity_type: number;
  entity_id: Snowflake | null;
  entity_metadata: { location?: string } | null;
  user_count: number;
  image: string | null;
  recurrence_rule: unknown;
  [key: string]: unknown;
}

export interface RequestLogEntry {
  method: string;
  /** Path below `/api/v10`, without query string (e.g. `/channels/1/messages`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart: the `payload_json` part). */
  body: unknown;
  files: CapturedFile[];
  status: number;
  /** True when the response came from `failNext`. */
  injected: boolean;
  /** True when no route matched (404/405 answered by the emulator itself). */
  unknownRoute: boolean;
  at: number;
}

/**
 * Which requests a failure applies to: `"POST /interactions/:id/:token/callback"`
 * (`:name` or `*` match one path segment, method optional), a RegExp tested against
 * `"METHOD /path"`, or a predicate.
 */
export type RouteMatcher = string | RegExp | ((req: { method: string; path: string }) => boolean);

export type InjectedFailure =
  | { status: 429; retryAfter?: number; global?: boolean; scope?: "user" | "global" | "shared"; times?: number }
  | { status: 500 | 502 | 503 | 504; times?: number }
  | { status: number; code?: number; message?: string; times?: number };

export type CommandOptionInput = string | number | boolean | { attachment: { name: string; data: Buffer | string; contentType?: string } };

export interface DiscordEmulatorOptions {
  token?: string;
  applicationId?: Snowflake;
  /** Defaults to the application id, as for any modern Discord application. */
  botUserId?: Snowflake;
  botUsername?: string;
  guildId?: Snowflake;
  guildName?: string;
  /** Discord uses ~41 s; short values let tests exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** Discord's window to acknowledge an interaction (3 s); later callbacks get 10062. */
  interactionDeadlineMs?: number;
  /** Default timeout of `handle.response()` / `handle.final()`. */
  responseTimeoutMs?: number;
  /** Privileged intents enabled "in the developer portal" (bitfield). Defaults to all three. */
  privilegedIntents?: number;
  /** Permissions of the bot's managed role. */
  botPermissions?: bigint;
  /**
   * How long a message nonce sent with `enforce_nonce` is remembered (Discord: "the past few
   * minutes"); within it, the same nonce from the same author returns the first message. Default 2 min.
   */
  nonceWindowMs?: number;
  /** Debug logger for every REST request / gateway frame. */
  log?: (line: string) => void;
}
