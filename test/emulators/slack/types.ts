/**
 * Shared types of the Slack emulator. Field names on the *recorded* objects are camelCase
 * (they are ours); payloads sent to the bot keep Slack's snake_case wire format.
 */

export type JsonObject = Record<string, unknown>;

export interface EmulatorUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  firstName: string;
  lastName: string;
  email?: string;
  tz: string;
  isBot: boolean;
  isAdmin: boolean;
  deleted: boolean;
  /** false, or the Slack error code that conversations.open / chat.postMessage answer for a DM to this user. */
  dmsClosed: false | string;
  image192: string;
  /** Guest accounts: multi-channel (restricted) or single-channel (ultra-restricted). */
  isRestricted: boolean;
  isUltraRestricted: boolean;
  /** Home workspace of a Slack Connect user from another organisation; undefined: this workspace. */
  teamId?: string;
}

export interface AddUserOptions {
  id?: string;
  name: string;
  realName?: string;
  displayName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
  isAdmin?: boolean;
  deleted?: boolean;
  /** true = DMs fail with `cannot_dm_bot`; a string = DMs fail with that error code. */
  dmsClosed?: boolean | string;
  /** A multi-channel guest. */
  restricted?: boolean;
  /** A single-channel guest (also restricted, as Slack reports it). */
  ultraRestricted?: boolean;
  /** A Slack Connect user whose home workspace is this other team. */
  teamId?: string;
}

export interface EmulatorChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isMpim: boolean;
  isGeneral: boolean;
  /** For an IM: the human on the other side. */
  user?: string;
  members: string[];
  /** Whether the bot is in the channel (Slack answers `not_in_channel` to chat.postMessage otherwise). */
  isMember: boolean;
  created: number;
  topic: string;
  purpose: string;
}

export interface AddChannelOptions {
  id?: string;
  name: string;
  isPrivate?: boolean;
  members?: string[];
  /** Defaults to true: most tests want the bot to be able to post. */
  isMember?: boolean;
  topic?: string;
  purpose?: string;
}

export type MessageSource =
  | "chat.postMessage"
  | "chat.postEphemeral"
  | "response_url"
  | "ack"
  | "files.completeUploadExternal";

export interface SlackMessage {
  ts: string;
  channel: string;
  /** Author: the bot user id for everything the app posts. */
  user: string;
  botId?: string;
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  threadTs?: string;
  metadata?: JsonObject;
  /** Ephemeral messages are only visible to `visibleTo`. */
  ephemeral: boolean;
  visibleTo?: string;
  source: MessageSource;
  /** For response_url / ack messages: the response_type Slack applied. */
  responseType?: "ephemeral" | "in_channel";
  deleted: boolean;
  edited: boolean;
  pinned: boolean;
  files: string[];
  /** Text plus every text found in blocks/attachments, newline separated: handy for `toContain` assertions. */
  fullText: string;
  /** Previous versions (oldest first) when the message was updated or replaced. */
  history: Array<{ text: string; blocks?: JsonObject[] }>;
  /** Global emulator sequence of the last change; orders "latest" across channels. */
  seq: number;
  createdSeq: number;
}

export interface ApiCall {
  seq: number;
  method: string;
  args: JsonObject;
  /** Token used (header or body), for auth assertions. */
  token?: string;
  at: number;
  status: number;
  ok: boolean;
  error?: string;
  /** Set when the answer came from failNext(). */
  injected?: boolean;
  unknown?: boolean;
  response: unknown;
}

export type FailureSpec =
  | { status: 429; retryAfter?: number; times?: number }
  | { status: number; body?: string; times?: number }
  | { error: string; times?: number };

export interface ViewRecord {
  id: string;
  userId: string;
  type: "modal" | "home";
  triggerId?: string;
  externalId?: string;
  /** The current definition, as the app sent it (blocks, title, callback_id, private_metadata, ...). */
  view: JsonObject;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  open: boolean;
  openedBy: "views.open" | "views.push" | "views.publish" | "response_action";
  /** Previous definitions, oldest first. */
  history: JsonObject[];
  /** Errors from the last `response_action: "errors"` ack, keyed by block_id. */
  errors?: Record<string, string>;
  submissions: number;
}

export interface UploadedFile {
  id: string;
  filename: string;
  title?: string;
  altText?: string;
  declaredLength: number;
  bytes: Buffer;
  uploaded: boolean;
  completed: boolean;
  channelId?: string;
  initialComment?: string;
  threadTs?: string;
  /** UTF-8 view of bytes, convenient for CSV/text exports. */
  readonly content: string;
}

export interface ResponseUrlPost {
  at: number;
  seq: number;
  body: JsonObject;
  /** What the emulator did with it. */
  effect: "new" | "replaced" | "deleted" | "rejected";
  messageTs?: string;
}

export type AckPayload = JsonObject;

export type InteractionKind = "command" | "block_actions" | "view_submission" | "event";
