/**
 * /sync: everything that happened after `since` for one device, or the whole current picture on an
 * initial sync; long-polls up to `timeout` when nothing is new, as a homeserver does.
 */
import { strippedState, wire, type Account, type Device, type Homeserver, type Json, type MatrixEvent, type Room } from "./state.js";

/** How many recent messages an initial sync shows per room (state events come apart, as current state). */
const INITIAL_TIMELINE = 10;

export function parseSince(since: string | null): number | undefined {
  if (!since) return undefined;
  const n = Number(since.replace(/^s/, ""));
  return Number.isFinite(n) ? n : undefined;
}

export async function longPollSync(hs: Homeserver, account: Account, device: Device, since: number | undefined, timeoutMs: number, signal: AbortSignal): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = buildSync(hs, account, device, since);
    if (since === undefined || result.hasNews || Date.now() >= deadline || signal.aborted) return result.body;
    await hs.waitForChange(deadline - Date.now());
  }
}

function buildSync(hs: Homeserver, account: Account, device: Device, since: number | undefined): { body: Json; hasNews: boolean } {
  const upTo = hs.pos;
  const from = since ?? 0;
  // Messages the device has seen in an earlier /sync are acknowledged by this one's `since`.
  if (since !== undefined) device.inbox = device.inbox.filter((m) => m.pos > since);
  const toDevice = device.inbox.filter((m) => m.pos <= upTo).map((m) => m.event);
  const join: Json = {};
  const invite: Json = {};
  const leave: Json = {};
  for (const room of hs.rooms.values()) {
    const membership = hs.membership(room, account.userId);
    const ownEvent = room.state.get(`m.room.member\u0000${account.userId}`);
    if (membership === "join") {
      const section = joinedSection(hs, room, account.userId, device.deviceId, since, upTo);
      if (section) join[room.roomId] = section;
    } else if (membership === "invite" && ownEvent && ownEvent.pos > from) {
      invite[room.roomId] = { invite_state: { events: strippedState(room, account.userId) } };
    } else if ((membership === "leave" || membership === "ban") && ownEvent && ownEvent.pos > from && since !== undefined) {
      const events = room.events.filter((e) => e.pos > from && e.pos <= ownEvent.pos).map((e) => wire(e, device.deviceId));
      leave[room.roomId] = { timeline: { events, limited: false }, state: { events: [] } };
    }
  }
  const accountData = [...account.accountData.entries()].filter(([, v]) => v.pos > from && v.pos <= upTo).map(([type, v]) => ({ type, content: v.content }));
  const changed = [...new Set(hs.deviceChanges.filter((c) => c.pos > from && c.pos <= upTo && since !== undefined && hs.sharesRoomWith(account.userId, c.userId)).map((c) => c.userId))];
  const hasNews = toDevice.length + Object.keys(join).length + Object.keys(invite).length + Object.keys(leave).length + accountData.length + changed.length > 0;
  const body: Json = {
    next_batch: `s${upTo}`,
    rooms: { join, invite, leave },
    to_device: { events: toDevice },
    account_data: { events: accountData },
    presence: { events: [] },
    device_lists: { changed, left: [] },
    device_one_time_keys_count: { signed_curve25519: device.oneTimeKeys.size },
    device_unused_fallback_key_types: device.fallbackKeys.size > 0 && !device.fallbackUsed ? ["signed_curve25519"] : [],
  };
  return { body, hasNews };
}

function joinedSection(hs: Homeserver, room: Room, userId: string, deviceId: string, since: number | undefined, upTo: number): Json | undefined {
  const joinedAt = room.state.get(`m.room.member\u0000${userId}`)!.pos;
  const fresh = since === undefined || joinedAt > since;
  let timeline: MatrixEvent[];
  let state: MatrixEvent[];
  if (fresh) {
    // A room new to this client: its current state, then its latest messages.
    const recent = room.events.filter((e) => e.pos <= upTo && e.state_key === undefined);
    timeline = since === undefined ? recent.slice(-INITIAL_TIMELINE) : room.events.filter((e) => e.pos > since && e.pos <= upTo && e.state_key === undefined);
    state = [...room.state.values()];
  } else {
    timeline = room.events.filter((e) => e.pos > since! && e.pos <= upTo);
    state = [];
    if (timeline.length === 0) return undefined;
  }
  const members = hs.joinedMembers(room);
  return {
    timeline: { events: timeline.map((e) => wire(e, deviceId)), limited: fresh, prev_batch: `s${Math.max(0, (timeline[0]?.pos ?? upTo) - 1)}` },
    state: { events: state.map((e) => wire(e, deviceId)) },
    ephemeral: { events: [] },
    account_data: { events: [] },
    unread_notifications: { notification_count: 0, highlight_count: 0 },
    summary: { "m.joined_member_count": members.length, "m.invited_member_count": 0 },
  };
}
