// The bot's messages on Matrix: sent (in a thread, in reply to a command, or at the top of a room),
// edited in place with `m.replace`, and their choices remembered for the answers. A job's message
// carries its delivery key as the transaction id: the homeserver keeps one event per transaction id
// of a device, and the bot keeps its device across restarts, so a send repeated after a crash is
// answered with the event already sent instead of a second one.
import { createHash } from "node:crypto";
import type { Reply, ReplyFile } from "../../core/reply.js";
import { encryptAttachment, fileMessage, type EncryptedFile } from "./attachments.js";
import { ChoiceBook, storedBallot, storedChoices } from "./choices.js";
import { pollEndContent, pollStartContent } from "./polls.js";
import { withRateLimit } from "./rate-limit.js";
import { renderMessage, type MatrixContent } from "./render.js";
import { decryptedEvent } from "./room-events.js";
import { sdk } from "./sdk.js";

interface Placement {
  /** The thread to answer in (its root event). */
  threadRoot?: string;
  /** The message answered (shown as a reply inside the thread). */
  replyTo?: string;
  /** Stable key of a job's delivery (see SendOptions). */
  idempotencyKey?: string;
}

function transactionId(key: string): string {
  return `pdn-${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

export class MatrixOutbound {
  readonly choices = new ChoiceBook();
  /** Native polls already ended (a closing re-rendered twice sends one m.poll.end). */
  private readonly ended = new Set<string>();

  constructor(
    private readonly client: sdk.MatrixClient,
    /** The bot's command names, written `!nom` on Matrix. */
    private readonly commandNames: ReadonlySet<string>,
    /** Whether a room is a direct room with one person (votes are answered there only). */
    private readonly isDirect: (roomId: string) => boolean,
  ) {}

  async send(roomId: string, reply: Reply, placement: Placement = {}): Promise<string> {
    this.knownRoom(roomId);
    const txnId = placement.idempotencyKey ? transactionId(placement.idempotencyKey) : undefined;
    if (this.isNativePoll(roomId, reply) && !placement.threadRoot) {
      const sent = await this.client.sendEvent(roomId, sdk.M_POLL_START.name as never, pollStartContent(reply.poll!) as never, txnId);
      return sent.event_id;
    }
    const { content, choices } = renderMessage(reply, this.commandNames, !this.isDirect(roomId));
    const relation = placement.threadRoot
      ? { rel_type: "m.thread", event_id: placement.threadRoot, is_falling_back: !placement.replyTo || placement.replyTo === placement.threadRoot, "m.in_reply_to": { event_id: placement.replyTo ?? placement.threadRoot } }
      : undefined;
    const full: MatrixContent = relation ? { ...content, "m.relates_to": relation } : content;
    const sent = await this.client.sendEvent(roomId, placement.threadRoot ?? null, "m.room.message" as never, full as never, txnId);
    this.choices.remember(roomId, sent.event_id, choices, reply, placement.threadRoot);
    for (const [i, file] of (reply.files ?? []).entries()) await this.sendFile(roomId, file, placement.threadRoot, placement.idempotencyKey && `${placement.idempotencyKey}:fichier:${i}`);
    return sent.event_id;
  }

  /** A file after its message, in the same thread; a job's file keeps a transaction id of its own. */
  private async sendFile(roomId: string, file: ReplyFile, threadRoot: string | undefined, idempotencyKey: string | undefined): Promise<void> {
    const encrypted = this.client.getRoom(roomId)?.hasEncryptionStateEvent() ?? false;
    const media = encrypted ? { file: await this.uploadEncrypted(file.data) } : { url: await this.upload(file.data, { name: file.name, type: file.contentType ?? "application/octet-stream" }) };
    const content = fileMessage(file, media);
    if (threadRoot) content["m.relates_to"] = { rel_type: "m.thread", event_id: threadRoot, is_falling_back: true, "m.in_reply_to": { event_id: threadRoot } };
    await this.client.sendEvent(roomId, threadRoot ?? null, "m.room.message" as never, content as never, idempotencyKey ? transactionId(idempotencyKey) : undefined);
  }

  private async upload(data: Buffer, options: { name?: string; type: string }): Promise<string> {
    const uploaded = await withRateLimit(() => this.client.uploadContent(data, { ...options, includeFilename: options.name !== undefined }));
    return uploaded.content_uri;
  }

  /** Encrypted as the specification says; uploaded without its name or type, which only the message (encrypted) carries. */
  private async uploadEncrypted(data: Buffer): Promise<EncryptedFile> {
    const { ciphertext, file } = encryptAttachment(data);
    return { ...file, url: await this.upload(ciphertext, { type: "application/octet-stream" }) };
  }

  /** Replaces a message's content (a live count, an answered card); its choices follow. */
  async edit(roomId: string, eventId: string, reply: Reply): Promise<void> {
    this.knownRoom(roomId);
    if (this.isNativePoll(roomId, reply)) return this.updatePoll(roomId, eventId, reply.poll!.closedResult);
    const { content, choices } = renderMessage(reply, this.commandNames, !this.isDirect(roomId));
    const { "m.mentions": _mentions, ...newContent } = content;
    const edit = {
      msgtype: content.msgtype,
      body: `* ${content.body}`,
      format: content.format,
      formatted_body: `* ${content.formatted_body}`,
      "m.new_content": newContent,
      // An edit notifies no one again.
      "m.mentions": {},
      "m.relates_to": { rel_type: "m.replace", event_id: eventId },
    };
    await this.client.sendEvent(roomId, "m.room.message" as never, edit as never);
    this.choices.remember(roomId, eventId, choices, reply);
  }

  /**
   * The choices of a bot message the book does not hold (sent before a restart, or long ago), read
   * back from the message itself. Only the bot's own messages are believed. The original's choices
   * count: an edit seldom changes them, and the command behind each one checks its state anyway.
   */
  async recall(roomId: string, eventId: string | undefined): Promise<void> {
    if (!eventId || this.choices.has(eventId)) return;
    const event = await decryptedEvent(this.client, roomId, eventId);
    if (!event || event.getSender() !== this.client.getUserId()) return;
    const choices = storedChoices(event.getContent());
    if (choices) this.choices.remember(roomId, eventId, choices, storedBallot(event.getContent()));
  }

  /** A poll that is not anonymous, in a shared room: shown as Matrix's own poll (see ./polls.ts). */
  private isNativePoll(roomId: string, reply: Reply): boolean {
    return reply.poll !== undefined && !this.isDirect(roomId);
  }

  /**
   * While open, Element counts the Matrix answers itself and the shared count is one
   * « !sondage resultats » away: a native poll is not edited (an edited poll start would read as a
   * changed question). Closed, it ends with the result counted on every platform, once: the end's
   * transaction id comes from the poll, so the homeserver takes a second one (a close job re-run
   * after a restart renders the closed poll again) as the same request.
   */
  private async updatePoll(roomId: string, eventId: string, closedResult: string | undefined): Promise<void> {
    if (closedResult === undefined || this.ended.has(eventId)) return;
    await this.client.sendEvent(roomId, sdk.M_POLL_END.name as never, pollEndContent(eventId, closedResult) as never, transactionId(`poll-end:${eventId}`));
    this.ended.add(eventId);
  }

  /**
   * The SDK encrypts for the rooms it knows to be encrypted; a room it has not synced yet would get
   * the message in clear. Nothing is sent to a room the bot has not joined and synced.
   */
  private knownRoom(roomId: string): void {
    if (this.client.getRoom(roomId)?.getMyMembership() !== "join") throw new Error("le bot n'est pas (encore) dans ce salon Matrix : invitez-le, puis réessayez");
  }

  async react(roomId: string, eventId: string, key: string): Promise<void> {
    await this.client.sendEvent(roomId, "m.reaction" as never, { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key } } as never);
  }
}
