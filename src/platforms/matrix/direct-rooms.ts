// Private replies go to a direct room with the person: found in the bot's `m.direct` account data
// (so it survives restarts), created once (encrypted, the person invited) when there is none, and
// reused. Two messages for the same person at once wait for the same creation.
import { sdk } from "./sdk.js";
import { withRateLimit } from "./rate-limit.js";

type DirectMap = Record<string, string[]>;

/** How long a new direct room may take to come back through /sync. */
const ROOM_ARRIVAL_MS = 30_000;

export class DirectRooms {
  private readonly creating = new Map<string, Promise<string>>();

  constructor(private readonly client: sdk.MatrixClient) {}

  private map(): DirectMap {
    return (this.client.getAccountData("m.direct" as never)?.getContent() as DirectMap | undefined) ?? {};
  }

  /** Whether this room is one of the bot's direct rooms, and with whom. */
  personOf(roomId: string): string | undefined {
    for (const [userId, rooms] of Object.entries(this.map())) if (rooms.includes(roomId)) return userId;
    return undefined;
  }

  private usable(roomId: string, userId: string): boolean {
    const room = this.client.getRoom(roomId);
    if (room?.getMyMembership() !== "join") return false;
    const theirs = room.getMember(userId)?.membership;
    return theirs === "join" || theirs === "invite";
  }

  async roomFor(userId: string): Promise<string> {
    const known = (this.map()[userId] ?? []).find((roomId) => this.usable(roomId, userId));
    if (known) return known;
    let pending = this.creating.get(userId);
    if (!pending) {
      pending = this.create(userId).finally(() => this.creating.delete(userId));
      this.creating.set(userId, pending);
    }
    return pending;
  }

  private async create(userId: string): Promise<string> {
    const { room_id: roomId } = await withRateLimit(() =>
      this.client.createRoom({
        is_direct: true,
        invite: [userId],
        preset: "trusted_private_chat" as never,
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
      }),
    );
    const map = this.map();
    await withRateLimit(() => this.client.setAccountData("m.direct" as never, { ...map, [userId]: [...(map[userId] ?? []), roomId] } as never));
    await this.waitForRoom(roomId);
    return roomId;
  }

  /** The room reaches the client with the next sync; encrypting for it needs its state (see MatrixOutbound.send). */
  private async waitForRoom(roomId: string): Promise<void> {
    const deadline = Date.now() + ROOM_ARRIVAL_MS;
    while (this.client.getRoom(roomId)?.getMyMembership() !== "join") {
      if (Date.now() > deadline) throw new Error("le salon privé créé sur Matrix n'est pas encore arrivé au bot : nouvel essai plus tard");
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
