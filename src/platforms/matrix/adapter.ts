import path from "node:path";
import type { Router } from "../../bot/router.js";
import type { PlatformEvents } from "../../core/events.js";
import type { Membership, PlatformUser } from "../../core/interaction.js";
import { DirectMessageUnavailable, type MessageRef, type PlatformNotifier, type SendOptions } from "../../core/notifier.js";
import type { Reply } from "../../core/reply.js";
import { within } from "../../core/within.js";
import type { Logger } from "../../logger.js";
import type { PlatformAdapter } from "../adapter.js";
import { matrixPlatform } from "./descriptor.js";
import { CryptoSnapshot, cryptoStoreFile } from "./crypto-store.js";
import { DirectRooms } from "./direct-rooms.js";
import { MatrixConversation } from "./conversation.js";
import { MembershipCatchUp } from "./membership-catchup.js";
import { MatrixOutbound } from "./outbound.js";
import { MATRIX_USER_ID } from "./render.js";
import { withRateLimit } from "./rate-limit.js";
import { quietSdk, sdk, sdkLogger } from "./sdk.js";
import { openSession, type MatrixCredentials, type MatrixSession } from "./session.js";

interface MatrixAdapterOptions {
  credentials: MatrixCredentials;
  /** MATRIX_ROOMS: the network's room ids or aliases the bot serves. */
  rooms: readonly string[];
  router: Router;
  log: Logger;
  events?: PlatformEvents;
}

/** The database names the SDK gives the Rust crypto store (its fixed prefix). */
const STORE_PREFIX = "matrix-js-sdk";
/** Start-up waits this long for the first sync, then lets it finish in the background. */
const FIRST_SYNC_MS = 30_000;
const SAVE_EVERY_MS = 1000;
const RETRY_FIRST_MS = 5000;
const RETRY_LONGEST_MS = 5 * 60_000;

/** The server answered and said no (bad password, revoked token): retrying will not help. */
function isRefusal(err: unknown): boolean {
  const code = (err as { errcode?: string }).errcode;
  return code === "M_FORBIDDEN" || code === "M_UNKNOWN_TOKEN" || code === "M_USER_DEACTIVATED" || code === "M_INVALID_USERNAME";
}

/**
 * Serves the commands on a Matrix homeserver (Tchap, Element) with matrix-js-sdk and its Rust
 * crypto, so encrypted rooms work. One device for the bot's life, kept in the data folder.
 */
export class MatrixAdapter implements PlatformAdapter, PlatformNotifier {
  readonly name = "matrix" as const;
  readonly platform = "matrix" as const;
  private client?: sdk.MatrixClient;
  private session?: MatrixSession;
  private snapshot?: CryptoSnapshot;
  private outbound?: MatrixOutbound;
  private directRooms?: DirectRooms;
  private conversation?: MatrixConversation;
  /** Set once the joins and leaves of the downtime are caught up (the rooms are recorded as seen only after). */
  private memberships?: MembershipCatchUp;
  /** Room ids of MATRIX_ROOMS (aliases resolved at start). */
  private readonly served = new Set<string>();
  private up = false;
  private stopped = false;
  private lastSave = 0;
  private retry?: NodeJS.Timeout;

  constructor(private readonly options: MatrixAdapterOptions) {}

  /** The bot's own user id and device, once started (tests and the start-up summary read them). */
  get identity(): { userId: string; deviceId: string } | undefined {
    return this.session && { userId: this.session.userId, deviceId: this.session.deviceId };
  }

  /**
   * Connects, or — when the homeserver cannot be reached — says so and keeps trying in the
   * background, waiting longer each time: Discord and Slack start without waiting for Matrix.
   * Refused credentials stop the start-up like a wrong Discord or Slack token.
   */
  async start(): Promise<void> {
    quietSdk();
    try {
      await this.connect();
    } catch (err) {
      if (isRefusal(err)) throw new Error("Matrix : le serveur refuse le compte du bot (vérifiez MATRIX_USER et MATRIX_PASSWORD, ou MATRIX_ACCESS_TOKEN)", { cause: err });
      this.options.log.warn({ err: (err as Error).message }, "Matrix injoignable au démarrage : nouvel essai en arrière-plan");
      this.retryLater(RETRY_FIRST_MS);
    }
  }

  private retryLater(delayMs: number): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.connect()
        .then(() => this.options.log.info("Matrix joint après une absence au démarrage"))
        .catch((err: unknown) => {
          this.options.log.warn({ err: (err as Error).message, nextInMs: Math.min(delayMs * 2, RETRY_LONGEST_MS) }, "Matrix toujours injoignable");
          this.retryLater(Math.min(delayMs * 2, RETRY_LONGEST_MS));
        });
    }, delayMs);
    this.retry.unref();
  }

  private async connect(): Promise<void> {
    const { credentials, log } = this.options;
    this.client?.stopClient();
    this.session = await openSession(credentials, log);
    const { userId, deviceId, accessToken, storePassphrase } = this.session;
    this.snapshot = new CryptoSnapshot(cryptoStoreFile(credentials.dataDir, deviceId), STORE_PREFIX);
    await this.snapshot.restore();
    const client = sdk.createClient({ baseUrl: credentials.homeserverUrl, userId, deviceId, accessToken, logger: sdkLogger(log) });
    this.client = client;
    await client.initRustCrypto({ storagePassword: storePassphrase });
    this.directRooms = new DirectRooms(client);
    const directRooms = this.directRooms;
    this.outbound = new MatrixOutbound(client, new Set(this.options.router.commands.map((c) => c.name)), (roomId) => directRooms.personOf(roomId) !== undefined);
    this.conversation = new MatrixConversation({
      client,
      router: this.options.router,
      log,
      outbound: this.outbound,
      directRooms: this.directRooms,
      events: this.options.events,
      served: (roomId) => this.served.has(roomId),
      user: (id, roomId) => this.user(id, roomId),
      cursorFile: path.join(credentials.dataDir, "cursor.json"),
    });
    const memberships = new MembershipCatchUp(path.join(credentials.dataDir, "rooms-seen.json"), client, (id, roomId) => this.user(id, roomId));
    this.listen(client);
    const firstSync = new Promise<void>((resolve) => client.once(sdk.ClientEvent.Sync, () => resolve()));
    await client.startClient({ initialSyncLimit: 10, lazyLoadMembers: false });
    await within(firstSync, FIRST_SYNC_MS);
    await this.joinServedRooms();
    await memberships.catchUp(this.served, this.options.events);
    this.memberships = memberships;
    this.conversation.goLive();
    await this.snapshot.save();
    log.info({ userId, deviceId, rooms: [...this.served] }, "Matrix connecté");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.up = false;
    await this.conversation?.idle();
    this.memberships?.record(this.served);
    // Saved before the client stops: stopping closes the crypto store, and keys it was still
    // writing (the room key of the last message sent) would be missing after the restart.
    await this.snapshot?.save().catch((err: unknown) => this.options.log.warn({ err }, "Matrix : enregistrement des clés de chiffrement en échec"));
    this.client?.stopClient();
  }

  connected(): boolean {
    return this.up;
  }

  private listen(client: sdk.MatrixClient): void {
    const { log } = this.options;
    client.on(sdk.ClientEvent.Sync, (state, previous, data) => {
      const wasUp = this.up;
      this.up = state === sdk.SyncState.Prepared || state === sdk.SyncState.Syncing || state === sdk.SyncState.Catchup;
      // The SDK reconnects by itself, waiting longer after each failure (keep-alive on /versions).
      if (wasUp && !this.up && !this.stopped) log.warn({ state, err: data?.error?.message }, "Matrix : synchronisation perdue, reconnexion");
      if (!wasUp && this.up && previous === sdk.SyncState.Reconnecting) log.info("Matrix : synchronisation rétablie");
      if (this.up) this.saveSoon();
    });
    client.on(sdk.RoomEvent.MyMembership, (room, membership) => {
      if (membership === "invite" && this.isServedRoom(room)) void withRateLimit(() => client.joinRoom(room.roomId)).catch((err: unknown) => log.warn({ err, room: room.roomId }, "Matrix : entrée dans un salon en échec"));
    });
    client.on(sdk.RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
      if (toStartOfTimeline || !room || this.stopped) return;
      this.conversation!.receive(event, room.roomId);
    });
  }

  /** The crypto store changes with most syncs (keys received, sessions advanced): saved at most once a second. */
  private saveSoon(): void {
    if (Date.now() - this.lastSave < SAVE_EVERY_MS || this.stopped) return;
    this.lastSave = Date.now();
    this.memberships?.record(this.served);
    void this.snapshot!.save().catch((err: unknown) => this.options.log.warn({ err }, "Matrix : enregistrement des clés de chiffrement en échec"));
  }

  private isServedRoom(room: sdk.Room): boolean {
    if (this.served.has(room.roomId)) return true;
    const alias = room.getCanonicalAlias();
    return Boolean(alias && this.options.rooms.includes(alias));
  }

  /** Resolves MATRIX_ROOMS and joins those the bot is invited to (or may join); the others are reported. */
  private async joinServedRooms(): Promise<void> {
    const client = this.client!;
    for (const entry of this.options.rooms) {
      try {
        const roomId = entry.startsWith("#") ? (await withRateLimit(() => client.getRoomIdForAlias(entry))).room_id : entry;
        this.served.add(roomId);
        if (client.getRoom(roomId)?.getMyMembership() !== "join") await withRateLimit(() => client.joinRoom(roomId));
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message, room: entry }, "Matrix : salon de MATRIX_ROOMS inaccessible (invitez le bot)");
      }
    }
  }

  private user(id: string, roomId?: string): PlatformUser {
    const member = roomId ? this.client?.getRoom(roomId)?.getMember(id) : undefined;
    const displayName = member?.rawDisplayName || this.client?.getUser(id)?.displayName || id;
    return { platform: "matrix", id, workspaceId: this.serverName(), displayName, membership: async () => this.membershipOf(id) };
  }

  private serverName(): string {
    return this.session?.userId.split(":").slice(1).join(":") ?? "";
  }

  /** A person of the network is a member of one of the served rooms; someone who left all of them has departed. */
  private membershipOf(userId: string): Membership {
    let left = false;
    for (const roomId of this.served) {
      const membership = this.client?.getRoom(roomId)?.getMember(userId)?.membership;
      if (membership === "join") return "member";
      if (membership === "leave" || membership === "ban") left = true;
    }
    return left ? "departed" : "outsider";
  }

  async dm(externalId: string, reply: Reply, options?: SendOptions): Promise<MessageRef> {
    this.connectedClient();
    if (!new RegExp(`^${MATRIX_USER_ID.source}$`, "i").test(externalId)) throw new DirectMessageUnavailable("identifiant Matrix invalide");
    let roomId: string;
    try {
      roomId = await this.directRooms!.roomFor(externalId);
    } catch (err) {
      const code = (err as { errcode?: string }).errcode;
      if (code === "M_NOT_FOUND" || code === "M_FORBIDDEN") throw new DirectMessageUnavailable("compte Matrix introuvable ou refusant les invitations");
      throw err;
    }
    return this.post(roomId, reply, options);
  }

  /** The client, or a French error for the notifier's report while Matrix is not connected yet. */
  private connectedClient(): sdk.MatrixClient {
    if (!this.client || !this.outbound) throw new Error("Matrix n'est pas joignable pour le moment : nouvel essai plus tard");
    return this.client;
  }

  async post(channelId: string, reply: Reply, options?: SendOptions): Promise<MessageRef> {
    this.connectedClient();
    const roomId = channelId.startsWith("#") ? (await withRateLimit(() => this.client!.getRoomIdForAlias(channelId))).room_id : channelId;
    const messageId = await this.outbound!.send(roomId, reply, { idempotencyKey: options?.idempotency?.key });
    return { platform: "matrix", channelId: roomId, messageId };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.connectedClient();
    await this.outbound!.edit(ref.channelId, ref.messageId, reply);
  }

  mention(externalId: string): string {
    return matrixPlatform.mentionUser(externalId);
  }

  async pin(ref: MessageRef): Promise<void> {
    const client = this.connectedClient();
    const room = client.getRoom(ref.channelId);
    const current = (room?.currentState.getStateEvents("m.room.pinned_events", "")?.getContent().pinned as string[] | undefined) ?? [];
    if (current.includes(ref.messageId)) return;
    await withRateLimit(() => client.sendStateEvent(ref.channelId, "m.room.pinned_events" as never, { pinned: [...current, ref.messageId] } as never, ""));
  }
}
