/**
 * Room endpoints: create, join, invite, leave, members, state, send, redact, relations, messages,
 * aliases. Each handler answers as Synapse does for the cases the SDK and the tests meet.
 */
import { matrixError, type Route } from "./routing.js";
import { redactedContent, stateKey, wire, type Homeserver, type Json, type Room } from "./state.js";

function roomFor(hs: Homeserver, id: string): Room {
  const room = hs.resolveRoom(decodeURIComponent(id));
  if (!room) throw matrixError(404, "M_NOT_FOUND", "Unknown room");
  return room;
}

function mustBeJoined(hs: Homeserver, room: Room, userId: string): void {
  if (hs.membership(room, userId) !== "join") throw matrixError(403, "M_FORBIDDEN", `User ${userId} not in room ${room.roomId}`);
}

/** Builds a room the way /createRoom does; exported for the tests' own fixtures. */
export function createRoom(hs: Homeserver, creator: string, body: Json): Room {
  const room = hs.createRoom(creator);
  const state = (type: string, content: Json, key = "") => hs.addEvent(room, { type, sender: creator, state_key: key, content });
  state("m.room.create", { creator, room_version: "10" });
  const account = hs.accounts.get(creator);
  state("m.room.member", { membership: "join", displayname: account?.displayName }, creator);
  state("m.room.power_levels", { users: { [creator]: 100 }, users_default: 0, events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 0 });
  const isPublic = body.preset === "public_chat" || body.visibility === "public";
  state("m.room.join_rules", { join_rule: isPublic ? "public" : "invite" });
  state("m.room.history_visibility", { history_visibility: "shared" });
  if (typeof body.name === "string") state("m.room.name", { name: body.name });
  if (typeof body.topic === "string") state("m.room.topic", { topic: body.topic });
  for (const e of (body.initial_state as Json[] | undefined) ?? []) state(String(e.type), (e.content as Json) ?? {}, String(e.state_key ?? ""));
  if (typeof body.room_alias_name === "string") {
    const alias = `#${body.room_alias_name}:${hs.serverName}`;
    hs.aliases.set(alias, room.roomId);
    room.aliases.push(alias);
    state("m.room.canonical_alias", { alias });
  }
  for (const invitee of (body.invite as string[] | undefined) ?? []) {
    hs.addEvent(room, { type: "m.room.member", sender: creator, state_key: invitee, content: { membership: "invite", is_direct: Boolean(body.is_direct), displayname: hs.accounts.get(invitee)?.displayName } });
  }
  return room;
}

export function joinRoom(hs: Homeserver, room: Room, userId: string): void {
  const current = hs.membership(room, userId);
  if (current === "join") return;
  const rule = room.state.get(stateKey("m.room.join_rules", ""))?.content.join_rule;
  if (current !== "invite" && rule !== "public") throw matrixError(403, "M_FORBIDDEN", "You are not invited to this room.");
  hs.addEvent(room, { type: "m.room.member", sender: userId, state_key: userId, content: { membership: "join", displayname: hs.accounts.get(userId)?.displayName } });
}

export function sendEvent(hs: Homeserver, room: Room, sender: string, type: string, content: Json, txn?: { deviceId: string; txnId: string }) {
  if (txn) {
    const earlier = room.events.find((e) => e.sender === sender && e.txn?.deviceId === txn.deviceId && e.txn.txnId === txn.txnId);
    if (earlier) return earlier;
  }
  return hs.addEvent(room, { type, sender, content, txn });
}

const relatesTo = (content: Json) => content["m.relates_to"] as { event_id?: string; rel_type?: string } | undefined;

export const roomRoutes: Route[] = [
  ["POST", /^\/createRoom$/, ({ hs, account, body }) => ({ room_id: createRoom(hs, account.userId, body).roomId })],
  ["POST", /^\/(?:join|rooms)\/([^/]+)(?:\/join)?$/, ({ hs, account }, [id]) => {
    const room = roomFor(hs, id!);
    joinRoom(hs, room, account.userId);
    return { room_id: room.roomId };
  }],
  ["POST", /^\/rooms\/([^/]+)\/invite$/, ({ hs, account, body }, [id]) => {
    const room = roomFor(hs, id!);
    mustBeJoined(hs, room, account.userId);
    const invitee = String(body.user_id);
    if (!hs.accounts.has(invitee)) throw matrixError(404, "M_NOT_FOUND", "Unknown user");
    if (hs.membership(room, invitee) !== "join") hs.addEvent(room, { type: "m.room.member", sender: account.userId, state_key: invitee, content: { membership: "invite", displayname: hs.accounts.get(invitee)?.displayName } });
    return {};
  }],
  ["POST", /^\/rooms\/([^/]+)\/leave$/, ({ hs, account }, [id]) => {
    const room = roomFor(hs, id!);
    if (hs.membership(room, account.userId)) hs.addEvent(room, { type: "m.room.member", sender: account.userId, state_key: account.userId, content: { membership: "leave" } });
    return {};
  }],
  ["GET", /^\/rooms\/([^/]+)\/members$/, ({ hs, account }, [id]) => {
    const room = roomFor(hs, id!);
    mustBeJoined(hs, room, account.userId);
    return { chunk: [...room.state.values()].filter((e) => e.type === "m.room.member").map((e) => wire(e)) };
  }],
  ["GET", /^\/joined_rooms$/, ({ hs, account }) => ({ joined_rooms: [...hs.rooms.values()].filter((r) => hs.membership(r, account.userId) === "join").map((r) => r.roomId) })],
  ["GET", /^\/rooms\/([^/]+)\/joined_members$/, ({ hs }, [id]) => {
    const room = roomFor(hs, id!);
    return { joined: Object.fromEntries(hs.joinedMembers(room).map((u) => [u, { display_name: hs.accounts.get(u)?.displayName ?? null }])) };
  }],
  ["GET", /^\/rooms\/([^/]+)\/state$/, ({ hs, account }, [id]) => {
    const room = roomFor(hs, id!);
    mustBeJoined(hs, room, account.userId);
    return [...room.state.values()].map((e) => wire(e));
  }],
  ["GET", /^\/rooms\/([^/]+)\/state\/([^/]+)(?:\/([^/]*))?$/, ({ hs }, [id, type, key]) => {
    const event = roomFor(hs, id!).state.get(stateKey(decodeURIComponent(type!), decodeURIComponent(key ?? "")));
    if (!event) throw matrixError(404, "M_NOT_FOUND", "Event not found.");
    return event.content;
  }],
  ["PUT", /^\/rooms\/([^/]+)\/state\/([^/]+)(?:\/([^/]*))?$/, ({ hs, account, body }, [id, type, key]) => {
    const room = roomFor(hs, id!);
    mustBeJoined(hs, room, account.userId);
    return { event_id: hs.addEvent(room, { type: decodeURIComponent(type!), sender: account.userId, state_key: decodeURIComponent(key ?? ""), content: body }).event_id };
  }],
  ["PUT", /^\/rooms\/([^/]+)\/send\/([^/]+)\/([^/]+)$/, ({ hs, account, device, body }, [id, type, txnId]) => {
    const room = roomFor(hs, id!);
    mustBeJoined(hs, room, account.userId);
    return { event_id: sendEvent(hs, room, account.userId, decodeURIComponent(type!), body, { deviceId: device.deviceId, txnId: txnId! }).event_id };
  }],
  ["PUT", /^\/rooms\/([^/]+)\/redact\/([^/]+)\/([^/]+)$/, ({ hs, account, device, body }, [id, eventId, txnId]) => {
    const room = roomFor(hs, id!);
    mustBeJoined(hs, room, account.userId);
    const target = room.events.find((e) => e.event_id === decodeURIComponent(eventId!));
    if (!target) throw matrixError(404, "M_NOT_FOUND", "Event not found.");
    const redaction = hs.addEvent(room, { type: "m.room.redaction", sender: account.userId, redacts: target.event_id, content: { redacts: target.event_id, ...(body.reason ? { reason: body.reason } : {}) }, txn: { deviceId: device.deviceId, txnId: txnId! } });
    target.content = redactedContent(target);
    target.unsigned = { ...(target.unsigned ?? {}), redacted_because: wire(redaction) };
    return { event_id: redaction.event_id };
  }],
  ["GET", /^\/rooms\/([^/]+)\/event\/([^/]+)$/, ({ hs }, [id, eventId]) => {
    const event = roomFor(hs, id!).events.find((e) => e.event_id === decodeURIComponent(eventId!));
    if (!event) throw matrixError(404, "M_NOT_FOUND", "Event not found.");
    return wire(event);
  }],
  ["GET", /^\/rooms\/([^/]+)\/messages$/, ({ hs, query }, [id]) => {
    const room = roomFor(hs, id!);
    const limit = Number(query.get("limit") ?? 10);
    const from = Number((query.get("from") ?? `s${room.events.at(-1)?.pos ?? 0}`).replace(/^s/, ""));
    const older = room.events.filter((e) => e.pos <= from).reverse().slice(0, limit);
    return { chunk: older.map((e) => wire(e)), start: `s${from}`, ...(older.length === limit ? { end: `s${older.at(-1)!.pos - 1}` } : {}) };
  }],
  ["GET", /^\/rooms\/([^/]+)\/relations\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/, ({ hs }, [id, eventId, relType, eventType]) => {
    const room = roomFor(hs, id!);
    const parent = decodeURIComponent(eventId!);
    const chunk = room.events.filter((e) => {
      const rel = relatesTo(e.content);
      return rel?.event_id === parent && (!relType || rel.rel_type === decodeURIComponent(relType)) && (!eventType || e.type === decodeURIComponent(eventType));
    });
    return { chunk: chunk.reverse().map((e) => wire(e)) };
  }],
  ["GET", /^\/directory\/room\/([^/]+)$/, ({ hs }, [alias]) => {
    const roomId = hs.aliases.get(decodeURIComponent(alias!));
    if (!roomId) throw matrixError(404, "M_NOT_FOUND", "Room alias not found");
    return { room_id: roomId, servers: [hs.serverName] };
  }],
  ["POST", /^\/rooms\/([^/]+)\/(?:receipt|read_markers)(?:\/.*)?$/, () => ({})],
  ["PUT", /^\/rooms\/([^/]+)\/typing\/([^/]+)$/, () => ({})],
];
