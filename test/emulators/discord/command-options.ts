/**
 * What a user's choices become in an interaction payload, as Discord sends them: command options typed
 * from the registered schema (with `resolved` users, roles, channels, attachments) and select values.
 */
import { ALL_PERMISSIONS } from "./permissions.js";
import type { EmulatorStore } from "./store.js";
import type { CommandOptionInput, EmuChannel, EmuCommand, EmuCommandOption, EmuComponent } from "./types.js";
import type { SendCommandOptions } from "./world-options.js";

type Json = Record<string, unknown>;

const OptionType = { SubCommand: 1, SubCommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Role: 8, Mentionable: 9, Number: 10, Attachment: 11 } as const;
export const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

/** Builds `data.options` from the registered schema when there is one, so types match what Discord sends. */
export function buildCommandOptions(store: EmulatorStore, generalChannelId: string, spec: SendCommandOptions, command: EmuCommand | undefined, resolved: Json): Json[] {
  const path = spec.subcommand?.trim().split(/\s+/) ?? [];
  if (path.length > 2) throw new Error(`Discord emulator: subcommand "${spec.subcommand}" has more than two levels`);
  const schema = command ? subcommandSchema(spec.name, command, path) : undefined;
  const describe = `/${spec.name}`;
  const leaf: Json[] = [];
  for (const [name, value] of Object.entries(spec.options ?? {})) {
    const def = schema?.find((o) => o.name === name);
    if (command && !def) {
      throw new Error(`Discord emulator: ${describe}${path.length ? ` ${path.join(" ")}` : ""} has no option "${name}"; known: ${(schema ?? []).map((o) => o.name).join(", ") || "(none)"}`);
    }
    const type = def?.type ?? inferOptionType(value);
    if (def?.choices && def.choices.length > 0 && !def.choices.some((c) => c.value === value)) {
      throw new Error(`Discord emulator: option "${name}" only accepts ${def.choices.map((c) => JSON.stringify(c.value)).join(", ")}`);
    }
    leaf.push({ name, type, value: resolveOptionValue(store, generalChannelId, { type, value, name }, resolved) });
  }
  for (const def of schema ?? []) {
    if (def.required && !(def.name in (spec.options ?? {}))) {
      throw new Error(`Discord emulator: ${describe} requires option "${def.name}" (Discord would not let the user send it)`);
    }
  }
  if (path.length === 0) return leaf;
  const sub = { type: OptionType.SubCommand, name: path[path.length - 1], options: leaf };
  return path.length === 2 ? [{ type: OptionType.SubCommandGroup, name: path[0], options: [sub] }] : [sub];
}

/** The options of the (group and) subcommand the user picked, refusing a path the command does not have. */
function subcommandSchema(commandName: string, command: EmuCommand, path: string[]): EmuCommandOption[] | undefined {
  let schema: EmuCommandOption[] | undefined = command.options;
  const describe = `/${commandName}`;
  for (const [level, name] of path.entries()) {
    const wanted = level === 0 && path.length === 2 ? OptionType.SubCommandGroup : OptionType.SubCommand;
    const next = schema?.find((o) => o.name === name && o.type === wanted);
    if (!next) {
      const known = (schema ?? []).filter((o) => o.type <= 2).map((o) => o.name);
      throw new Error(`Discord emulator: ${describe} has no ${wanted === 1 ? "subcommand" : "group"} "${name}"; known: ${known.join(", ") || "(none)"}`);
    }
    schema = next.options ?? [];
  }
  if (path.length === 0 && schema?.some((o) => o.type <= 2)) {
    throw new Error(`Discord emulator: ${describe} requires a subcommand; known: ${schema.filter((o) => o.type <= 2).map((o) => o.name).join(", ")}`);
  }
  return schema;
}

function inferOptionType(value: CommandOptionInput): number {
  if (typeof value === "boolean") return OptionType.Boolean;
  if (typeof value === "number") return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
  if (typeof value === "object") return OptionType.Attachment;
  return OptionType.String;
}

interface OptionValue {
  type: number;
  value: CommandOptionInput;
  name: string;
}

function resolveOptionValue(store: EmulatorStore, generalChannelId: string, { type, value, name }: OptionValue, resolved: Json): unknown {
  const bucket = (key: string): Json => (resolved[key] ??= {}) as Json;
  switch (type) {
    case OptionType.Integer:
    case OptionType.Number: {
      const n = typeof value === "number" ? value : Number(value);
      if (Number.isNaN(n) || (type === OptionType.Integer && !Number.isInteger(n))) throw new Error(`Discord emulator: option "${name}" expects ${type === 4 ? "an integer" : "a number"}`);
      return n;
    }
    case OptionType.Boolean:
      return value === true || value === "true";
    case OptionType.User:
    case OptionType.Mentionable:
      return resolveUserOrRole(store, type, String(value), name, bucket);
    case OptionType.Channel: {
      const id = String(value);
      const channel = store.channels.get(id) ?? store.guildChannels().find((c) => c.name === id);
      if (!channel) throw new Error(`Discord emulator: option "${name}" refers to unknown channel ${id}`);
      bucket("channels")[channel.id] = resolvedChannel(channel);
      return channel.id;
    }
    case OptionType.Role: {
      const role = store.roles.get(String(value));
      if (!role) throw new Error(`Discord emulator: option "${name}" refers to unknown role ${String(value)}`);
      bucket("roles")[role.id] = role;
      return role.id;
    }
    case OptionType.Attachment:
      return resolveAttachment(store, generalChannelId, value, name, bucket);
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

function resolveUserOrRole(store: EmulatorStore, type: number, id: string, name: string, bucket: (key: string) => Json): string {
  if (store.users.has(id)) {
    resolveUser(store, id, bucket);
    return id;
  }
  if (type === OptionType.Mentionable && store.roles.has(id)) {
    bucket("roles")[id] = store.roles.get(id);
    return id;
  }
  throw new Error(`Discord emulator: option "${name}" refers to unknown user ${id}`);
}

function resolveAttachment(store: EmulatorStore, generalChannelId: string, value: CommandOptionInput, name: string, bucket: (key: string) => Json): string {
  if (typeof value !== "object") throw new Error(`Discord emulator: option "${name}" expects { attachment: { name, data } }`);
  const { name: filename, data, contentType } = value.attachment;
  const buffer = typeof data === "string" ? Buffer.from(data) : data;
  const file = { key: name, name: filename, contentType: contentType ?? "application/octet-stream", data: buffer };
  const [attachment] = store.attachmentsFor(generalChannelId, {}, [file], []);
  bucket("attachments")[attachment!.id] = attachment;
  return attachment!.id;
}

function resolveUser(store: EmulatorStore, id: string, bucket: (key: string) => Json): void {
  bucket("users")[id] = store.user(id);
  const member = store.member(id);
  if (member) {
    const { user: _u, ...rest } = member;
    bucket("members")[id] = { ...rest, permissions: store.permissionsOf(id).toString() };
  }
}

function resolvedChannel(c: EmuChannel): Json {
  return { id: c.id, name: c.name, type: c.type, parent_id: c.parent_id ?? null, permissions: ALL_PERMISSIONS.toString() };
}

/** `resolved` for a user, role, mentionable or channel select (string selects have none). */
export function resolveSelectValues(store: EmulatorStore, componentType: number, values: string[]): Json | undefined {
  if (componentType === 3) return undefined;
  const resolved: Json = {};
  const bucket = (key: string): Json => (resolved[key] ??= {}) as Json;
  for (const value of values) {
    if ((componentType === 5 || componentType === 7) && store.users.has(value)) {
      resolveUser(store, value, bucket);
    } else if ((componentType === 6 || componentType === 7) && store.roles.has(value)) {
      bucket("roles")[value] = store.roles.get(value);
    } else if (componentType === 8 && store.channels.has(value)) {
      bucket("channels")[value] = resolvedChannel(store.channels.get(value)!);
    } else {
      throw new Error(`Discord emulator: select value ${value} does not resolve to a known entity`);
    }
  }
  return resolved;
}

/** Refuses what a user could not pick: a disabled menu, too few or too many values, an unknown option. */
export function checkSelection(customId: string, component: EmuComponent, values: string[]): void {
  if (!SELECT_TYPES.has(component.type)) throw new Error(`Discord emulator: component "${customId}" is not a select menu (type ${component.type})`);
  if (component.disabled) throw new Error(`Discord emulator: select "${customId}" is disabled`);
  const min = component.min_values ?? 1;
  const max = component.max_values ?? 1;
  if (values.length < min || values.length > max) {
    throw new Error(`Discord emulator: select "${customId}" accepts ${min}..${max} values, got ${values.length}`);
  }
  if (component.type === 3) {
    const allowed = (component.options ?? []).map((o) => o.value);
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) throw new Error(`Discord emulator: select "${customId}" has no option ${unknown.join(", ")}; options: ${allowed.join(", ")}`);
  }
}
