import { z } from "zod";
import type { Role } from "../store/index.js";
import type { Reply } from "../core/reply.js";
import type { PlatformName, PlatformUser } from "../core/interaction.js";
import type { Member } from "../store/index.js";
import type { Services } from "../core/services.js";
import type { Features } from "../features.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../logger.js";
import { frenchList } from "../core/zod-french.js";

/**
 * The command model: one declaration per slash command (in `commands/`), from which the
 * Discord application commands, the Slack manifest, the text-argument parser and /aide
 * are all derived. Handlers receive neutral contexts and return neutral replies.
 */

type OptionKind = "string" | "integer" | "boolean" | "channel" | "user";

export interface OptionDef<S extends z.ZodType = z.ZodType> {
  kind: OptionKind;
  /** French, ≤ 100 characters (Discord's limit). */
  description: string;
  schema: S;
  choices?: readonly { value: string; label: string }[];
  /** The expected form, shown when the value is refused (e.g. « 12/03/2026 14h30 »). */
  expected?: string;
  /** Whether the option is required; derived from the schema accepting `undefined` or not. */
  readonly required: boolean;
  optional(): OptionDef<z.ZodOptional<S>>;
}

function option<S extends z.ZodType>(
  kind: OptionKind,
  description: string,
  schema: S,
  extra: { choices?: readonly { value: string; label: string }[]; expected?: string } = {},
): OptionDef<S> {
  return {
    kind,
    description,
    schema,
    ...extra,
    required: !schema.safeParse(undefined).success,
    optional() {
      return option(kind, description, schema.optional(), extra);
    },
  };
}

const trimmed = () => z.string().trim();

/** The years the bot knows: the network's records start in 2020. */
const FIRST_YEAR = 2020;
const LAST_YEAR = 2100;

export const opt = {
  text(description: string, schema: z.ZodType<string, string> = trimmed().min(1), expected?: string) {
    return option("string", description, schema, { expected });
  },
  integer(description: string, schema: z.ZodType<number, number> = z.number().int(), expected = "un nombre entier") {
    return option("integer", description, schema, { expected });
  },
  /** A year: one rule and one wording for every command that takes one (« une année entre 2020 et 2100 »). */
  year(description: string) {
    const range = `une année entre ${FIRST_YEAR} et ${LAST_YEAR}`;
    return option("integer", description, z.number({ error: range }).int(range).min(FIRST_YEAR, range).max(LAST_YEAR, range), { expected: "une année, par exemple 2026" });
  },
  boolean(description: string) {
    return option("boolean", description, z.boolean(), { expected: "oui ou non" });
  },
  channel(description: string) {
    return option("channel", description, trimmed().min(1), { expected: "un salon (#salon)" });
  },
  user(description: string) {
    return option("user", description, trimmed().min(1), { expected: "une mention (@personne)" });
  },
  /** A closed list: the value is the key, the label what users see. */
  choice<const V extends string>(description: string, choices: Record<V, string>) {
    const values = Object.keys(choices) as [V, ...V[]];
    const list = values.map((value) => ({ value, label: choices[value] }));
    const notAChoice = (issue: { input?: unknown }) => (typeof issue.input === "string" ? `« ${issue.input} » ne fait pas partie des choix` : undefined);
    return option("string", description, z.enum(values, { error: notAChoice }), {
      choices: list,
      expected: frenchList(values),
    });
  },
};

export type OptionsShape = Record<string, OptionDef>;
type InferOptions<O extends OptionsShape> = { [K in keyof O]: z.output<O[K]["schema"]> };

/** What every handler receives, whatever the platform. */
export interface BaseContext {
  member: Member;
  user: PlatformUser;
  platform: PlatformName;
  channelId: string;
  services: Services;
  /** The bot's features, built once (`features.activity`, `features.questions`, …). */
  features: Features;
  clock: Clock;
  timeZone: string;
  log: Logger;
  /** Every command the bot serves (for /aide). */
  commands: readonly CommandDef[];
}

interface CommandContext<O> extends BaseContext {
  options: O;
}

interface ComponentContext extends BaseContext {
  /** The parts of the component id after `command:action`. */
  args: string[];
  /** Selected values of a select menu. */
  values: string[];
}

interface ModalContext extends BaseContext {
  args: string[];
  fields: Record<string, string>;
}

type MaybePromise<T> = T | Promise<T>;

export interface SubcommandDef<O extends OptionsShape = OptionsShape> {
  /** "" for a command without sub-commands. */
  name: string;
  description: string;
  options: O;
  /** Roles allowed (ADMIN always is); inherits the command's when absent. */
  roles?: readonly Role[];
  /** Also served to members who left the network (see FormerMemberAccess); inherits the command's. */
  formerMembers?: FormerMemberAccess;
  run(ctx: CommandContext<InferOptions<O>>): MaybePromise<Reply>;
}

/**
 * A member who left (inactive, retired) keeps only what is about themselves: help, their own
 * profile, their data rights. Everything else (votes, answers, RSVPs, the directory, questions)
 * is refused by the router unless the handler says `formerMembers: "served"`: new commands are
 * closed to them by default.
 */
export type FormerMemberAccess = "served";

export interface ComponentHandler {
  roles?: readonly Role[];
  formerMembers?: FormerMemberAccess;
  run(ctx: ComponentContext): MaybePromise<Reply>;
}

export interface ModalHandler {
  roles?: readonly Role[];
  formerMembers?: FormerMemberAccess;
  run(ctx: ModalContext): MaybePromise<Reply>;
}

export interface CommandDef {
  name: string;
  description: string;
  /** Roles allowed by default for every sub-command; undefined: every member. */
  roles?: readonly Role[];
  formerMembers?: FormerMemberAccess;
  subcommands: readonly SubcommandDef<any>[];
  /** Buttons and selects whose id starts with `name:action`. */
  components?: Record<string, ComponentHandler>;
  /** Forms whose id starts with `name:action`. */
  modals?: Record<string, ModalHandler>;
}

/** Typed helper so each sub-command's handler sees its own options' types. */
export function sub<O extends OptionsShape>(def: SubcommandDef<O>): SubcommandDef<O> {
  return def;
}

export function defineCommand(def: CommandDef): CommandDef {
  const names = new Set<string>();
  for (const s of def.subcommands) {
    if (names.has(s.name)) throw new Error(`/${def.name}: duplicate sub-command ${s.name}`);
    names.add(s.name);
  }
  if (def.subcommands.some((s) => s.name === "") && def.subcommands.length > 1) {
    throw new Error(`/${def.name}: a root handler cannot be mixed with sub-commands`);
  }
  return def;
}

export function rolesOf(command: CommandDef, subcommand: SubcommandDef): readonly Role[] | undefined {
  return subcommand.roles ?? command.roles;
}

export function findSubcommand(command: CommandDef, name: string | undefined): SubcommandDef | undefined {
  return command.subcommands.find((s) => s.name === (name ?? ""));
}

export function usage(command: CommandDef, subcommand: SubcommandDef): string {
  const parts = [`/${command.name}`];
  if (subcommand.name) parts.push(subcommand.name);
  for (const [name, o] of Object.entries(subcommand.options)) {
    parts.push(o.required ? `${name}:…` : `[${name}:…]`);
  }
  return parts.join(" ");
}
