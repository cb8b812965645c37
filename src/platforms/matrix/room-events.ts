// One event of a room as the bot reads it, decrypted: from the client's timeline when it is there,
// else fetched from the homeserver (an older message, or one sent before a restart).
import { sdk } from "./sdk.js";

export async function decryptedEvent(client: sdk.MatrixClient, roomId: string, eventId: string): Promise<sdk.MatrixEvent | undefined> {
  const known = client.getRoom(roomId)?.findEventById(eventId);
  const event = known ?? new sdk.MatrixEvent(await client.fetchRoomEvent(roomId, eventId).catch(() => undefined));
  if (!event.getId()) return undefined;
  await client.decryptEventIfNeeded(event);
  return event;
}
