// Joins and leaves while the bot was down. The bot keeps, in the data folder, the time up to which
// it has seen each served room; at start, each membership of the room's state changed after that
// time becomes the same joined / left event as a live one, and the time moves on: once only, a
// restart does not welcome anyone again. The first start in a room only records the time: the people
// already there when the bot arrived are not newcomers.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { PlatformEvents } from "../../core/events.js";
import type { PlatformUser } from "../../core/interaction.js";
import type { sdk } from "./sdk.js";

export class MembershipCatchUp {
  private readonly seenUntil: Record<string, number>;

  constructor(
    private readonly file: string,
    private readonly client: sdk.MatrixClient,
    private readonly user: (id: string, roomId: string) => PlatformUser,
  ) {
    this.seenUntil = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, number>) : {};
  }

  /** Emits the changes each room's state shows since the bot last saw it, then records the rooms as seen. */
  async catchUp(roomIds: Iterable<string>, events: PlatformEvents | undefined): Promise<void> {
    const me = this.client.getUserId();
    for (const roomId of roomIds) {
      const since = this.seenUntil[roomId];
      const room = this.client.getRoom(roomId);
      if (!room || since === undefined || !events) continue;
      for (const change of room.currentState.getStateEvents("m.room.member")) {
        const userId = change.getStateKey();
        if (!userId || userId === me || change.getTs() <= since) continue;
        const membership = change.getContent().membership;
        if (membership === "join") await events.emit({ type: "joined", user: this.user(userId, roomId), channelId: roomId });
        else if (membership === "leave" || membership === "ban") await events.emit({ type: "left", user: this.user(userId, roomId), channelId: roomId });
      }
    }
    this.record(roomIds);
  }

  /** The rooms as seen up to their latest event (after each sync the bot saves, and at stop). */
  record(roomIds: Iterable<string>): void {
    for (const roomId of roomIds) {
      const room = this.client.getRoom(roomId);
      if (!room) continue;
      // An invitation's stripped state has no time: a room just joined is seen from now.
      const times = [...room.currentState.getStateEvents("m.room.member"), room.getLastLiveEvent()].map((e) => e?.getTs()).filter((t): t is number => typeof t === "number");
      this.seenUntil[roomId] = Math.max(this.seenUntil[roomId] ?? 0, times.length > 0 ? Math.max(...times) : Date.now());
    }
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.seenUntil));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
