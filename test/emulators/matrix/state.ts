/**
 * The homeserver's memory: accounts and their devices, rooms as ordered events, and one stream
 * position shared by everything a /sync can return (room events, invites, account data, device-list
 * changes, to-device messages). The emulator never reads an encrypted event's content: it stores and
 * relays ciphertext as the bot and the test clients send it.
 */
import { randomBytes } from "node:crypto";

export type Json = Record<string, unknown>;

export interface MatrixEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  content: Json;
  origin_server_ts: number;
  state_key?: string;
  redacts?: string;
  unsigned?: Json;
  /** Stream position (emulator only, stripped on the wire). */
  pos: number;
  /** Device that sent it with a transaction id, so its own /sync echoes the id back. */
  txn?: { deviceId: string; txnId: string };
}

export interface Device {
  deviceId: string;
  accessToken: string;
  displayName?: string;
  keys?: Json;
  oneTimeKeys: Map<string, Json>;
  fallbackKeys: Map<string, Json>;
  fallbackUsed: boolean;
  /** To-device messages not yet acknowledged by a later /sync. */
  inbox: { pos: number; event: Json }[];
}

export interface Account {
  userId: string;
  password: string;
  displayName: string;
  devices: Map<string, Device>;
  accountData: Map<string, { pos: number; content: Json }>;
}

export interface Room {
  roomId: string;
  events: MatrixEvent[];
  /** Current state: `${type}\u0000${stateKey}` → event. */
  state: Map<string, MatrixEvent>;
  aliases: string[];
}

export class Homeserver {
  readonly accounts = new Map<string, Account>();
  readonly rooms = new Map<string, Room>();
  readonly aliases = new Map<string, string>();
  /** Device-list changes: which user's devices changed at which position. */
  readonly deviceChanges: { pos: number; userId: string }[] = [];
  private position = 0;
  private readonly waiters = new Set<() => void>();
  private counter = 0;

  constructor(readonly serverName: string) {}

  get pos(): number {
    return this.position;
  }

  /** Takes the next stream position and wakes every long-polling /sync. */
  advance(): number {
    const pos = ++this.position;
    queueMicrotask(() => {
      const waiting = [...this.waiters];
      this.waiters.clear();
      for (const wake of waiting) wake();
    });
    return pos;
  }

  /** Resolves at the next stream change, or after `ms`. */
  waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.add(done);
    });
  }

  newId(prefix: string): string {
    return `${prefix}${++this.counter}${randomBytes(4).toString("hex")}`;
  }

  addAccount(localpart: string, password: string, displayName = localpart): Account {
    const userId = `@${localpart}:${this.serverName}`;
    const account: Account = { userId, password, displayName, devices: new Map(), accountData: new Map() };
    this.accounts.set(userId, account);
    return account;
  }

  addDevice(account: Account, deviceId = this.newId("DEV").toUpperCase(), displayName?: string): Device {
    const existing = account.devices.get(deviceId);
    if (existing) {
      existing.accessToken = `mx_${randomBytes(16).toString("hex")}`;
      return existing;
    }
    const device: Device = { deviceId, accessToken: `mx_${randomBytes(16).toString("hex")}`, displayName, oneTimeKeys: new Map(), fallbackKeys: new Map(), fallbackUsed: false, inbox: [] };
    account.devices.set(deviceId, device);
    return device;
  }

  byToken(token: string): { account: Account; device: Device } | undefined {
    for (const account of this.accounts.values()) {
      for (const device of account.devices.values()) if (device.accessToken === token) return { account, device };
    }
    return undefined;
  }

  /** Appends an event to a room (and to its state when it has a state key). */
  addEvent(room: Room, event: Omit<MatrixEvent, "event_id" | "room_id" | "origin_server_ts" | "pos">): MatrixEvent {
    const full: MatrixEvent = { ...event, event_id: `$${this.newId("ev")}`, room_id: room.roomId, origin_server_ts: Date.now(), pos: this.advance() };
    room.events.push(full);
    if (full.state_key !== undefined) {
      // As a homeserver does, a state event says what it replaced (clients read membership changes from it).
      const previous = room.state.get(stateKey(full.type, full.state_key));
      if (previous) full.unsigned = { ...(full.unsigned ?? {}), prev_content: previous.content, replaces_state: previous.event_id };
      room.state.set(stateKey(full.type, full.state_key), full);
    }
    return full;
  }

  createRoom(creator: string): Room {
    const room: Room = { roomId: `!${this.newId("r")}:${this.serverName}`, events: [], state: new Map(), aliases: [] };
    this.rooms.set(room.roomId, room);
    return room;
  }

  membership(room: Room, userId: string): string | undefined {
    return room.state.get(stateKey("m.room.member", userId))?.content.membership as string | undefined;
  }

  joinedMembers(room: Room): string[] {
    return [...room.state.values()].filter((e) => e.type === "m.room.member" && e.content.membership === "join").map((e) => e.state_key!);
  }

  /** Users who share a room with `userId` (themselves included): who hears of their device changes. */
  sharesRoomWith(userId: string, other: string): boolean {
    if (userId === other) return true;
    for (const room of this.rooms.values()) {
      const a = this.membership(room, userId);
      const b = this.membership(room, other);
      if ((a === "join" || a === "invite") && (b === "join" || b === "invite")) return true;
    }
    return false;
  }

  setAccountData(account: Account, type: string, content: Json): void {
    account.accountData.set(type, { pos: this.advance(), content });
  }

  deviceChanged(userId: string): void {
    this.deviceChanges.push({ pos: this.advance(), userId });
  }

  sendToDevice(from: string, type: string, messages: Record<string, Record<string, Json>>): void {
    for (const [userId, byDevice] of Object.entries(messages)) {
      const account = this.accounts.get(userId);
      if (!account) continue;
      for (const [deviceId, content] of Object.entries(byDevice)) {
        const targets = deviceId === "*" ? [...account.devices.values()] : [account.devices.get(deviceId)].filter((d): d is Device => Boolean(d));
        for (const device of targets) device.inbox.push({ pos: this.advance(), event: { type, sender: from, content } });
      }
    }
  }

  resolveRoom(idOrAlias: string): Room | undefined {
    const id = idOrAlias.startsWith("#") ? this.aliases.get(idOrAlias) : idOrAlias;
    return id ? this.rooms.get(id) : undefined;
  }
}

export const stateKey = (type: string, key: string) => `${type}\u0000${key}`;

/** The event as clients receive it: the emulator's bookkeeping removed, the sender's txn id echoed. */
export function wire(event: MatrixEvent, forDevice?: string): Json {
  const { pos: _pos, txn, ...rest } = event;
  const unsigned: Json = { ...(event.unsigned ?? {}), age: Math.max(0, Date.now() - event.origin_server_ts) };
  if (txn && txn.deviceId === forDevice) unsigned.transaction_id = txn.txnId;
  return { ...rest, unsigned };
}

/** Stripped state shown with an invite (the room's name, encryption, and the invite itself). */
export function strippedState(room: Room, userId: string): Json[] {
  const keep = ["m.room.create", "m.room.name", "m.room.encryption", "m.room.join_rules", "m.room.canonical_alias"];
  const events = [...room.state.values()].filter((e) => keep.includes(e.type) || (e.type === "m.room.member" && e.state_key === userId));
  return events.map((e) => ({ type: e.type, state_key: e.state_key, sender: e.sender, content: e.content }));
}

/** What a redaction leaves of an event's content (the spec's per-type keys; relations go). */
export function redactedContent(event: MatrixEvent): Json {
  const keep: Record<string, string[]> = {
    "m.room.member": ["membership"],
    "m.room.create": ["creator"],
    "m.room.join_rules": ["join_rule"],
    "m.room.power_levels": ["ban", "events", "events_default", "kick", "redact", "state_default", "users", "users_default"],
    "m.room.history_visibility": ["history_visibility"],
  };
  const keys = keep[event.type] ?? [];
  return Object.fromEntries(Object.entries(event.content).filter(([k]) => keys.includes(k)));
}
