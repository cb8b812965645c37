/**
 * In-memory workspace state shared by the Web API, the response_url endpoint and Socket Mode.
 * It lives in the emulator (not in a socket connection) so that it survives reconnections.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { attachmentsText, blocksText } from "./blocks.js";
import { reportBotOutput } from "../../helpers/bot-output.js";
import type {
  AddChannelOptions,
  AddUserOptions,
  ApiCall,
  EmulatorChannel,
  EmulatorUser,
  FailureSpec,
  InteractionKind,
  JsonObject,
  MessageSource,
  ResponseUrlPost,
  SlackMessage,
  UploadedFile,
  ViewRecord,
} from "./types.js";

export interface Identity {
  teamId: string;
  /** Digits Slack embeds in trigger ids. */
  teamNumber: string;
  teamDomain: string;
  teamName: string;
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
  botToken: string;
  appToken: string;
  signingSecret: string;
  /** OAuth scopes granted to the bot token at install, sent back in `x-oauth-scopes`. */
  botScopes: string[];
}

/** One thing Slack sent to the app (command, click, submission, event) and what followed from it. */
export interface Interaction {
  id: string;
  kind: InteractionKind;
  userId?: string;
  channelId?: string;
  triggerId?: string;
  responseUrl?: string;
  /** Message the interaction came from (block_actions): target of replace_original/delete_original. */
  originalTs?: string;
  originalEphemeral?: boolean;
  /** For view_submission: the submitted view. */
  viewId?: string;
  startSeq: number;
  responses: ResponseUrlPost[];
  /** Last message this interaction produced via ack/response_url (a slash command's "original"). */
  lastResponseTs?: string;
}

export class StoredFile implements UploadedFile {
  bytes: Buffer = Buffer.alloc(0);
  uploaded = false;
  completed = false;
  title?: string;
  channelId?: string;
  initialComment?: string;
  threadTs?: string;
  constructor(
    readonly id: string,
    readonly filename: string,
    readonly declaredLength: number,
    readonly altText?: string,
  ) {}
  get content(): string {
    return this.bytes.toString("utf8");
  }
}

interface NewMessage {
  channel: string;
  text?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  threadTs?: string;
  metadata?: JsonObject;
  ephemeral?: boolean;
  visibleTo?: string;
  source: MessageSource;
  responseType?: "ephemeral" | "in_channel";
  files?: string[];
}

export class Workspace extends EventEmitter {
  readonly users = new Map<string, EmulatorUser>();
  readonly channels = new Map<string, EmulatorChannel>();
  readonly messages: SlackMessage[] = [];
  readonly views: ViewRecord[] = [];
  /** Open modal stack per user, bottom first (Slack allows 3). */
  readonly modalStacks = new Map<string, string[]>();
  readonly files = new Map<string, StoredFile>();
  readonly triggers = new Map<string, { userId: string; interactionId: string; createdAt: number }>();
  readonly interactions = new Map<string, Interaction>();
  readonly calls: ApiCall[] = [];
  /** Things real Slack would reject or show as an error to the user, but that do not surface in the app. */
  readonly problems: string[] = [];
  readonly failures = new Map<string, FailureSpec[]>();

  seq = 0;
  inFlight = 0;
  lastActivity = performance.now();
  private counter = 0;
  private lastTsSec = 0;
  private tsMicro = 0;

  constructor(readonly id: Identity) {
    super();
    this.setMaxListeners(0);
  }

  /** Marks activity (for idle detection) and returns a fresh sequence number. */
  touch(): number {
    this.seq += 1;
    this.lastActivity = performance.now();
    this.emit("activity");
    return this.seq;
  }

  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(8, "0")}`;
  }

  /** Slack message timestamps: unique, increasing, "seconds.micro". */
  nextTs(): string {
    const sec = Math.floor(Date.now() / 1000);
    if (sec > this.lastTsSec) {
      this.lastTsSec = sec;
      this.tsMicro = 0;
    }
    this.tsMicro += 100;
    return `${this.lastTsSec}.${String(this.tsMicro).padStart(6, "0")}`;
  }

  // -- users & channels -------------------------------------------------------------------------

  addUser(o: AddUserOptions): EmulatorUser {
    const id = o.id ?? this.newId("U");
    const realName = o.realName ?? o.name;
    const [first = realName, ...rest] = realName.split(" ");
    const user: EmulatorUser = {
      id,
      name: o.name,
      realName,
      displayName: o.displayName ?? o.name,
      firstName: o.firstName ?? first,
      lastName: o.lastName ?? rest.join(" "),
      email: o.email,
      tz: o.tz ?? "Europe/Paris",
      isBot: o.isBot ?? false,
      isAdmin: o.isAdmin ?? false,
      deleted: o.deleted ?? false,
      dmsClosed: o.dmsClosed === true ? "cannot_dm_bot" : o.dmsClosed ? o.dmsClosed : false,
      image192: `https://avatars.slack-edge.emulator/${id}_192.png`,
      isRestricted: Boolean(o.restricted || o.ultraRestricted),
      isUltraRestricted: Boolean(o.ultraRestricted),
      ...(o.teamId ? { teamId: o.teamId } : {}),
    };
    this.users.set(id, user);
    this.touch();
    return user;
  }

  addChannel(o: AddChannelOptions): EmulatorChannel {
    const id = o.id ?? this.newId(o.isPrivate ? "G" : "C");
    const ch: EmulatorChannel = {
      id,
      name: o.name.replace(/^#/, ""),
      isPrivate: o.isPrivate ?? false,
      isIm: false,
      isMpim: false,
      isGeneral: false,
      members: o.members ?? [],
      isMember: o.isMember ?? true,
      created: Math.floor(Date.now() / 1000),
      topic: o.topic ?? "",
      purpose: o.purpose ?? "",
    };
    this.channels.set(id, ch);
    this.touch();
    return ch;
  }

  /** The bot<->user IM channel, created on first use like Slack does. */
  imWith(userId: string): EmulatorChannel {
    for (const ch of this.channels.values()) if (ch.isIm && ch.user === userId) return ch;
    const ch: EmulatorChannel = {
      id: `D${userId.replace(/^[UW]/, "")}`,
      name: userId,
      isPrivate: true,
      isIm: true,
      isMpim: false,
      isGeneral: false,
      user: userId,
      members: [userId, this.id.botUserId],
      isMember: true,
      created: Math.floor(Date.now() / 1000),
      topic: "",
      purpose: "",
    };
    this.channels.set(ch.id, ch);
    return ch;
  }

  /** Channel from an id, a `#name`/name, or a user id (= the DM with that user). */
  resolveChannel(ref: string): { channel?: EmulatorChannel; error?: string } {
    const direct = this.channels.get(ref);
    if (direct) {
      if (direct.isIm && direct.user) {
        const closed = this.users.get(direct.user)?.dmsClosed;
        if (closed) return { error: closed };
      }
      return { channel: direct };
    }
    const user = this.users.get(ref);
    if (user) {
      if (user.dmsClosed) return { error: user.dmsClosed };
      if (user.isBot) return { error: "cannot_dm_bot" };
      return { channel: this.imWith(user.id) };
    }
    const name = ref.replace(/^#/, "");
    for (const ch of this.channels.values()) if (!ch.isIm && ch.name === name) return { channel: ch };
    return { error: "channel_not_found" };
  }

  // -- messages -----------------------------------------------------------------------------------

  createMessage(m: NewMessage): SlackMessage {
    const seq = this.touch();
    const text = m.text ?? "";
    const msg: SlackMessage = {
      ts: this.nextTs(),
      channel: m.channel,
      user: this.id.botUserId,
      botId: this.id.botId,
      text,
      blocks: m.blocks,
      attachments: m.attachments,
      threadTs: m.threadTs,
      metadata: m.metadata,
      ephemeral: m.ephemeral ?? false,
      visibleTo: m.visibleTo,
      source: m.source,
      responseType: m.responseType,
      deleted: false,
      edited: false,
      pinned: false,
      files: m.files ?? [],
      fullText: fullText(text, m.blocks, m.attachments),
      history: [],
      seq,
      createdSeq: seq,
    };
    this.messages.push(msg);
    reportBotOutput(`Slack, salon ${msg.channel}`, msg.fullText);
    return msg;
  }

  updateMessage(msg: SlackMessage, u: { text?: string; blocks?: JsonObject[]; attachments?: JsonObject[] }): void {
    msg.history.push({ text: msg.text, blocks: msg.blocks });
    if (u.text !== undefined) msg.text = u.text;
    if (u.blocks !== undefined) msg.blocks = u.blocks;
    if (u.attachments !== undefined) msg.attachments = u.attachments;
    msg.edited = true;
    msg.fullText = fullText(msg.text, msg.blocks, msg.attachments);
    msg.seq = this.touch();
    reportBotOutput(`Slack, salon ${msg.channel}`, msg.fullText);
  }

  deleteMessage(msg: SlackMessage): void {
    msg.deleted = true;
    msg.seq = this.touch();
  }

  findMessage(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Messages a given user can see in a channel (no deleted ones, no ephemerals of others). */
  visibleMessages(channel: string, userId?: string): SlackMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && !m.deleted && (!m.ephemeral || userId === undefined || m.visibleTo === userId),
    );
  }

  // -- views --------------------------------------------------------------------------------------

  findView(viewId?: string, externalId?: string): ViewRecord | undefined {
    return this.views.find((v) => (viewId !== undefined && v.id === viewId) || (externalId !== undefined && v.externalId === externalId));
  }

  topView(userId: string): ViewRecord | undefined {
    const stack = this.modalStacks.get(userId);
    const id = stack?.[stack.length - 1];
    return id === undefined ? undefined : this.views.find((v) => v.id === id);
  }

  newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${this.newId("h")}`;
  }

  // -- interactions & triggers -----------------------------------------------------------------------

  newInteraction(kind: InteractionKind, o: Partial<Interaction> & { responseUrlBase?: string }): Interaction {
    const id = this.newId("I");
    const it: Interaction = {
      id,
      kind,
      userId: o.userId,
      channelId: o.channelId,
      originalTs: o.originalTs,
      originalEphemeral: o.originalEphemeral,
      viewId: o.viewId,
      startSeq: this.touch(),
      responses: [],
    };
    if (o.responseUrlBase !== undefined) it.responseUrl = `${o.responseUrlBase}${id}`;
    if (o.userId !== undefined) {
      // Same shape as Slack's: "<digits>.<digits>.<hex>"
      const triggerId = `${Date.now()}${this.counter}.${this.id.teamNumber}.${randomBytes(10).toString("hex")}`;
      this.triggers.set(triggerId, { userId: o.userId, interactionId: id, createdAt: performance.now() });
      it.triggerId = triggerId;
    }
    this.interactions.set(id, it);
    return it;
  }

  // -- bookkeeping ------------------------------------------------------------------------------------

  /** Takes the next injected failure for a method, if any. */
  takeFailure(method: string): FailureSpec | undefined {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    const times = (head.times ?? 1) - 1;
    if (times <= 0) queue.shift();
    else queue[0] = { ...head, times };
    return head;
  }

  problem(msg: string): void {
    this.problems.push(msg);
    this.touch();
  }

  /**
   * Resolves once nothing happened for `quietMs` and no request is being processed.
   * Used to decide that the bot is done reacting to something.
   */
  idle(quietMs: number, timeoutMs: number): Promise<void> {
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const check = () => {
        const now = performance.now();
        const quietFor = now - this.lastActivity;
        if (this.inFlight === 0 && quietFor >= quietMs) return resolve();
        if (now - start > timeoutMs) return reject(new Error(`Slack emulator: the bot did not settle within ${timeoutMs} ms`));
        setTimeout(check, Math.max(2, Math.min(quietMs - quietFor, 20)));
      };
      check();
    });
  }
}

function fullText(text: string, blocks?: JsonObject[], attachments?: JsonObject[]): string {
  return [text, ...blocksText(blocks), ...attachmentsText(attachments)].filter((s) => s !== "").join("\n");
}
