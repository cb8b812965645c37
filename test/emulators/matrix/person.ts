/**
 * A person on the emulated homeserver, driven by the real matrix-js-sdk with its Rust crypto: what
 * they send in an encrypted room is encrypted on their side, and what the bot answers is decrypted
 * on their side. Tests act through it as they would through Element.
 */
import { reportBotOutput } from "../../helpers/bot-output.js";
import { WAIT_CEILING_MS } from "../wait.js";
import { decryptAttachment, type EncryptedFile } from "../../../src/platforms/matrix/attachments.js";
import { quietSdk, sdk, sdkLogger } from "../../../src/platforms/matrix/sdk.js";
import type { MatrixEmulator } from "./index.js";

type Client = sdk.MatrixClient;
type Event = sdk.MatrixEvent;

/**
 * Both sides run the Rust crypto (wasm) for every message: on a machine shared by a full test run a
 * step can take several seconds, so people wait three ceilings before calling it a failure.
 */
const PATIENCE_MS = 3 * WAIT_CEILING_MS;

export interface SeenMessage {
  eventId: string;
  roomId: string;
  sender: string;
  type: string;
  body: string;
  html?: string;
  content: Record<string, unknown>;
  /** Whether it arrived encrypted (and was decrypted by this person's client). */
  encrypted: boolean;
  /** Thread root, when sent in a thread. */
  threadRoot?: string;
  /** For an edit (m.replace): the message it replaces; `body` is then the new content's. */
  replaces?: string;
}

export class Person {
  readonly seen: SeenMessage[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly client: Client,
    readonly userId: string,
  ) {}

  /** Everyone driven by a Person: messages from anyone else are the bot's, checked for French style. */
  private static readonly people = new Set<string>();

  /**
   * Logs in as a new device (an account is made if needed) and syncs until ready. Invitations are
   * accepted at once (a direct room from the bot), unless `autoJoin` is false.
   */
  static async connect(emu: MatrixEmulator, localpart: string, displayName = localpart, options: { autoJoin?: boolean } = {}): Promise<Person> {
    quietSdk();
    const userId = `@${localpart}:${emu.hs.serverName}`;
    if (!emu.hs.accounts.has(userId)) emu.addUser(localpart, { displayName });
    const { accessToken, deviceId } = emu.token(userId);
    const client = sdk.createClient({ baseUrl: emu.url, userId, deviceId, accessToken, logger: sdkLogger() });
    await client.initRustCrypto({ useIndexedDB: false });
    const person = new Person(client, userId);
    Person.people.add(userId);
    client.on(sdk.RoomEvent.Timeline, (event) => void person.record(event));
    client.on(sdk.RoomEvent.MyMembership, (room, membership) => {
      if (membership === "invite" && options.autoJoin !== false) void client.joinRoom(room.roomId).catch(() => undefined);
    });
    const ready = new Promise<void>((resolve) => client.once(sdk.ClientEvent.Sync, () => resolve()));
    await client.startClient({ initialSyncLimit: 10 });
    await ready;
    return person;
  }

  private async record(event: Event): Promise<void> {
    await this.client.decryptEventIfNeeded(event);
    const edited = event.getContent()["m.new_content"] as Record<string, unknown> | undefined;
    const content = edited ? { ...edited, "m.relates_to": event.getContent()["m.relates_to"] } : event.getContent();
    const relation = content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
    this.seen.push({
      eventId: event.getId()!,
      roomId: event.getRoomId()!,
      sender: event.getSender()!,
      type: event.getType(),
      body: String(content.body ?? ""),
      html: typeof content.formatted_body === "string" ? content.formatted_body : undefined,
      content,
      encrypted: event.isEncrypted(),
      threadRoot: relation?.rel_type === "m.thread" ? relation.event_id : undefined,
      replaces: relation?.rel_type === "m.replace" ? relation.event_id : undefined,
    });
    const sender = event.getSender()!;
    if (!Person.people.has(sender) && typeof content.body === "string") reportBotOutput(`matrix:${event.getRoomId()}`, content.body);
    for (const wake of [...this.listeners]) wake();
  }

  /** Waits for a message (from anyone else) matching `match`, seen now or later. */
  async waitFor(match: (m: SeenMessage) => boolean, what = "a message", timeoutMs = PATIENCE_MS): Promise<SeenMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.seen.find((m) => m.sender !== this.userId && match(m));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${this.userId} never saw ${what}; seen:\n${this.seen.map((m) => `${m.type} ${m.sender}: ${m.body}`).join("\n")}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.listeners.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 200);
        this.listeners.add(wake);
      });
    }
  }

  /** Waits for the bot's reply in the thread of `rootEventId`. */
  reply(rootEventId: string, from: string, what?: string): Promise<SeenMessage> {
    return this.waitFor((m) => m.sender === from && m.type === "m.room.message" && m.threadRoot === rootEventId, what ?? `a reply in the thread of ${rootEventId}`);
  }

  /** A message in the room, in a thread when `threadRoot` is given, or as a reply to `replyTo` (Element's « Répondre »). */
  async say(roomId: string, body: string, threadRoot?: string, replyTo?: string): Promise<string> {
    const content: Record<string, unknown> = { msgtype: "m.text", body };
    if (threadRoot) content["m.relates_to"] = { rel_type: "m.thread", event_id: threadRoot, is_falling_back: true, "m.in_reply_to": { event_id: threadRoot } };
    else if (replyTo) content["m.relates_to"] = { "m.in_reply_to": { event_id: replyTo } };
    const sent = await this.client.sendEvent(roomId, "m.room.message" as never, content as never);
    return sent.event_id;
  }

  async react(roomId: string, eventId: string, key: string): Promise<string> {
    const sent = await this.client.sendEvent(roomId, "m.reaction" as never, { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key } } as never);
    return sent.event_id;
  }

  /**
   * Answers a native poll as Element sends it (the unstable MSC3381 names it has used all along):
   * an m.poll.response relating to the poll, encrypted like any event of an encrypted room.
   */
  async answerPoll(roomId: string, pollEventId: string, answerIds: string[]): Promise<string> {
    const type = sdk.M_POLL_RESPONSE.altName!;
    const content = { "m.relates_to": { rel_type: "m.reference", event_id: pollEventId }, [type]: { answers: answerIds } };
    const sent = await this.client.sendEvent(roomId, type as never, content as never);
    return sent.event_id;
  }

  /** The bytes of a file message, downloaded as a client does and decrypted when it came encrypted. */
  async download(content: Record<string, unknown>): Promise<Buffer> {
    const file = content.file as EncryptedFile | undefined;
    const [, server, id] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(file?.url ?? String(content.url))!;
    const res = await fetch(`${this.client.baseUrl}/_matrix/client/v1/media/download/${server}/${id}`, { headers: { authorization: `Bearer ${this.client.getAccessToken()}` } });
    if (!res.ok) throw new Error(`download of mxc://${server}/${id} answered ${res.status}`);
    const data = Buffer.from(await res.arrayBuffer());
    return file ? decryptAttachment(data, file) : data;
  }

  async join(roomIdOrAlias: string): Promise<void> {
    await this.client.joinRoom(roomIdOrAlias);
  }

  async waitForInvite(what = "an invitation"): Promise<string> {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const invited = this.client.getRooms().find((r) => r.getMyMembership() === "invite");
      if (invited) return invited.roomId;
      if (Date.now() > deadline) throw new Error(`${this.userId} never got ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.client.stopClient();
  }
}
