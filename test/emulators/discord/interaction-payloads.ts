/** INTERACTION_CREATE payloads as Discord builds them: who, where, with which permissions, and modal answers. */
import { randomBytes } from "node:crypto";
import { resolveSelectValues, SELECT_TYPES } from "./command-options.js";
import { snowflake } from "./http-util.js";
import type { ModalData } from "./interaction-handle.js";
import { ChannelType, Perm } from "./permissions.js";
import type { EmulatorStore } from "./store.js";
import type { EmuChannel, EmuComponent, Snowflake } from "./types.js";

type Json = Record<string, unknown>;

/** The fields every interaction has, then those of a DM, another guild, or the emulated guild. */
export function baseInteraction(store: EmulatorStore, type: number, userId: Snowflake, channel: EmuChannel, locale?: string, otherGuildId?: Snowflake): Json {
  const record = store.users.get(userId);
  if (!record) throw new Error(`Discord emulator: unknown user ${userId} (add it with emu.addUser first)`);
  const id = snowflake();
  // Real tokens are base64 of "interaction:<id>:<secret>"; the exact format does not matter to clients.
  const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString("base64url")}`).toString("base64url");
  const isDm = channel.type === ChannelType.DM;
  const botPermissions = store.permissionsOf(store.botUserId);
  const base: Json = {
    id,
    application_id: store.applicationId,
    type,
    token,
    version: 1,
    channel_id: channel.id,
    app_permissions: (isDm ? botPermissions & ~(Perm.ManageMessages | Perm.ManageRoles | Perm.ManageEvents) : botPermissions).toString(),
    locale: locale ?? record.locale,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (isDm) {
    return {
      ...base,
      channel: { ...channel, recipients: [store.user(userId)] },
      user: store.user(userId),
      context: 1,
      authorizing_integration_owners: { "0": "0" },
    };
  }
  return otherGuildId ? { ...base, ...otherGuildPart(store, userId, channel, otherGuildId) } : { ...base, ...guildPart(store, userId, channel) };
}

/** Another guild: the user is a plain member there, with no role of this guild. */
function otherGuildPart(store: EmulatorStore, userId: Snowflake, channel: EmuChannel, otherGuildId: Snowflake): Json {
  const member = { user: store.user(userId), nick: null, avatar: null, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, pending: false };
  return {
    guild_id: otherGuildId,
    guild: { id: otherGuildId, locale: "fr", features: [] },
    guild_locale: "fr",
    channel: { ...channel, guild_id: otherGuildId, permissions: "0" },
    member: { ...member, permissions: "0" },
    context: 0,
    authorizing_integration_owners: { "0": otherGuildId },
  };
}

function guildPart(store: EmulatorStore, userId: Snowflake, channel: EmuChannel): Json {
  const member = store.member(userId);
  if (!member) throw new Error(`Discord emulator: user ${userId} is not a member of the guild`);
  const permissions = store.permissionsOf(userId).toString();
  return {
    guild_id: store.guildId,
    guild: { id: store.guildId, locale: "fr", features: [] },
    guild_locale: "fr",
    channel: { ...channel, permissions },
    member: { ...member, permissions },
    context: 0,
    authorizing_integration_owners: { "0": store.guildId },
  };
}

/** Mirrors the layout the bot used (legacy action rows or label components), as Discord does. */
export function modalSubmission(store: EmulatorStore, modal: ModalData, fields: Record<string, string | string[]>): Json[] {
  const inputs = modal.components.flatMap((top) => (top.type === 1 ? (top.components ?? []) : top.component ? [top.component] : []));
  const known = inputs.map((c) => c.custom_id ?? "");
  const unknown = Object.keys(fields).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`Discord emulator: modal "${modal.custom_id}" has no field ${unknown.join(", ")}; fields: ${known.join(", ")}`);
  const submit = (input: EmuComponent): Json => submitInput(store, input, fields[input.custom_id ?? ""]);
  return modal.components.map((top): Json => {
    if (top.type === 1) return { type: 1, id: top.id, components: (top.components ?? []).map(submit) };
    if (top.type === 18 && top.component) return { type: 18, id: top.id, component: submit(top.component) };
    return { type: top.type, id: top.id };
  });
}

/** One field's answer: a text input checked against its required/min/max, or a select's values. */
function submitInput(store: EmulatorStore, input: EmuComponent, given: string | string[] | undefined): Json {
  const customId = input.custom_id ?? "";
  if (input.type === 4) {
    const value = Array.isArray(given) ? given.join("\n") : (given ?? (typeof input.value === "string" ? input.value : ""));
    const required = input.required ?? true;
    if (required && value.length === 0) throw new Error(`Discord emulator: modal field "${customId}" is required`);
    const minLength = typeof input.min_length === "number" ? input.min_length : 0;
    const maxLength = typeof input.max_length === "number" ? input.max_length : 4000;
    if (value.length > 0 && (value.length < minLength || value.length > maxLength)) {
      throw new Error(`Discord emulator: modal field "${customId}" must be ${minLength}..${maxLength} characters, got ${value.length}`);
    }
    return { type: 4, id: input.id, custom_id: customId, value };
  }
  const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
  const resolved = SELECT_TYPES.has(input.type) && input.type !== 3 && values.length > 0 ? resolveSelectValues(store, input.type, values) : undefined;
  return { type: input.type, id: input.id, custom_id: customId, values, ...(resolved ? { resolved } : {}) };
}

/** For modals the bot never showed (tests simulating a stale client): plain action rows. */
export function looseModalSubmission(fields: Record<string, string | string[]>): Json[] {
  return Object.entries(fields).map(([customId, value], i) => ({
    type: 1,
    id: i * 2 + 1,
    components: [{ type: 4, id: i * 2 + 2, custom_id: customId, value: Array.isArray(value) ? value.join("\n") : value }],
  }));
}
