import { ApplicationCommandOptionType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { CommandDef, OptionDef } from "../../bot/command.js";

const OPTION_TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  channel: ApplicationCommandOptionType.Channel,
  user: ApplicationCommandOptionType.User,
} as const;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function optionJson(name: string, def: OptionDef) {
  return {
    type: OPTION_TYPES[def.kind],
    name,
    description: cut(def.description, 100),
    required: def.required,
    ...(def.choices ? { choices: def.choices.map((c) => ({ name: cut(c.label, 100), value: c.value })) } : {}),
  };
}

/** Discord insists that required options come before optional ones. */
function optionsJson(options: Record<string, OptionDef>) {
  const list = Object.entries(options).map(([n, d]) => optionJson(n, d));
  return [...list.filter((o) => o.required), ...list.filter((o) => !o.required)];
}

/**
 * The Discord application commands, derived from the declarations. Commands reserved to
 * staff get `Manage Server` as a default visibility hint; the router still checks roles.
 */
export function discordCommands(commands: readonly CommandDef[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => {
    const root = c.subcommands.length === 1 && c.subcommands[0]!.name === "" ? c.subcommands[0]! : undefined;
    const restricted = c.subcommands.every((s) => (s.roles ?? c.roles)?.length);
    return {
      name: c.name,
      description: cut(c.description, 100),
      default_member_permissions: restricted ? PermissionFlagsBits.ManageGuild.toString() : null,
      contexts: [0],
      options: root
        ? optionsJson(root.options)
        : c.subcommands.map((s) => ({
            type: ApplicationCommandOptionType.Subcommand,
            name: s.name,
            description: cut(s.description, 100),
            options: optionsJson(s.options),
          })),
    } as RESTPostAPIChatInputApplicationCommandsJSONBody;
  });
}

/** Keeps only what we declare, with Discord's defaults made explicit, so "same" compares equal. */
function normalise(command: Record<string, unknown>): unknown {
  const options = (command.options as Record<string, unknown>[] | undefined) ?? [];
  return {
    name: command.name,
    description: command.description,
    default_member_permissions: command.default_member_permissions ?? null,
    options: options.map((o) => normaliseOption(o)),
  };
}

function normaliseOption(o: Record<string, unknown>): unknown {
  const nested = (o.options as Record<string, unknown>[] | undefined) ?? [];
  return {
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.type === ApplicationCommandOptionType.Subcommand ? undefined : Boolean(o.required),
    choices: ((o.choices as { name: string; value: unknown }[] | undefined) ?? []).map((c) => ({ name: c.name, value: c.value })),
    options: nested.map((n) => normaliseOption(n)),
  };
}

export function sameCommands(current: readonly Record<string, unknown>[], wanted: readonly Record<string, unknown>[]): boolean {
  const key = (list: readonly Record<string, unknown>[]) =>
    JSON.stringify([...list].map(normalise).sort((a, b) => String((a as { name: string }).name).localeCompare(String((b as { name: string }).name))));
  return key(current) === key(wanted);
}

/** Permissions the invite asks for: read and post, embeds and files, pins, scheduled events. */
const INVITE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageEvents;

export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({ client_id: applicationId, scope: "bot applications.commands", permissions: INVITE_PERMISSIONS.toString() });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
