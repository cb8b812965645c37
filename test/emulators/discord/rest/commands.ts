/** Application commands, global and per guild: bulk overwrite, create, read, edit, delete. */
import { errors, snowflake, throwIfInvalid, type FieldError } from "../http-util.js";
import type { EmuCommand } from "../types.js";
import { validateCommand } from "../validate.js";
import { asObj, noContent, ok, type Json, type RestContext } from "./context.js";

/** Where a family of commands lives: the global list or the guild's. */
interface CommandScope {
  kind: "global" | "guild";
  base: string;
  check(params: Record<string, string>): void;
  get(): EmuCommand[];
  set(list: EmuCommand[]): void;
}

export function registerCommandRoutes(r: RestContext): void {
  const s = () => r.store;
  registerScope(r, {
    kind: "global",
    base: "/applications/:app/commands",
    check: (params) => r.app(params.app),
    get: () => s().globalCommands,
    set: (list) => (s().globalCommands = list),
  });
  registerScope(r, {
    kind: "guild",
    base: "/applications/:app/guilds/:guild/commands",
    check: (params) => {
      r.app(params.app);
      r.guild(params.guild);
    },
    get: () => s().guildCommands,
    set: (list) => (s().guildCommands = list),
  });
}

function registerScope(r: RestContext, scope: CommandScope): void {
  const guildOf = (params: Record<string, string>) => (scope.kind === "guild" ? params.guild : undefined);
  r.on("GET", scope.base, "bot", ({ params }) => {
    scope.check(params);
    return ok(scope.get());
  });
  r.on("PUT", scope.base, "bot", ({ params, body }) => {
    scope.check(params);
    scope.set(bulkOverwrite(r, body, guildOf(params), scope.get()));
    r.deps.onCommandsPut(scope.kind);
    return ok(scope.get());
  });
  r.on("POST", scope.base, "bot", ({ params, body }) => {
    scope.check(params);
    const { list, command, created } = upsertCommand(r, body, guildOf(params), scope.get());
    scope.set(list);
    return { status: created ? 201 : 200, body: command };
  });
  const one = (params: Record<string, string>): EmuCommand => {
    scope.check(params);
    const cmd = scope.get().find((c) => c.id === params.cmd);
    if (!cmd) throw errors.unknownCommand();
    return cmd;
  };
  r.on("GET", `${scope.base}/:cmd`, "bot", ({ params }) => ok(one(params)));
  r.on("PATCH", `${scope.base}/:cmd`, "bot", ({ params, body }) => {
    const cmd = one(params);
    const updated = toCommand(r, { ...cmd, ...asObj(body) }, guildOf(params), cmd);
    throwIfInvalid(validateCommand(updated));
    scope.set(scope.get().map((c) => (c === cmd ? updated : c)));
    return ok(updated);
  });
  r.on("DELETE", `${scope.base}/:cmd`, "bot", ({ params }) => {
    const cmd = one(params);
    scope.set(scope.get().filter((c) => c !== cmd));
    return noContent();
  });
}

function toCommand(r: RestContext, body: Json, guildId: string | undefined, existing: EmuCommand | undefined): EmuCommand {
  const type = typeof body.type === "number" ? body.type : 1;
  return {
    id: existing?.id ?? snowflake(),
    application_id: r.store.applicationId,
    ...(guildId ? { guild_id: guildId } : {}),
    name: String(body.name),
    name_localizations: body.name_localizations ?? null,
    description: typeof body.description === "string" ? body.description : "",
    description_localizations: body.description_localizations ?? null,
    type,
    ...(Array.isArray(body.options) && body.options.length > 0 ? { options: body.options as EmuCommand["options"] } : {}),
    default_member_permissions: typeof body.default_member_permissions === "string" ? body.default_member_permissions : null,
    dm_permission: guildId ? undefined : body.dm_permission ?? true,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
    nsfw: body.nsfw === true,
    version: snowflake(),
  };
}

function bulkOverwrite(r: RestContext, body: unknown, guildId: string | undefined, current: EmuCommand[]): EmuCommand[] {
  if (!Array.isArray(body)) throw errors.invalidFormBody({ _errors: [{ code: "BASE_TYPE_ARRAY", message: "Must be an array." }] });
  const problems: FieldError[] = body.flatMap((cmd, i) => validateCommand(cmd, [i]));
  const seen = new Set<string>();
  body.forEach((cmd, i) => {
    const key = `${asObj(cmd).type ?? 1}:${String(asObj(cmd).name)}`;
    if (seen.has(key)) problems.push({ path: [i, "name"], code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: "Application command names must be unique" });
    seen.add(key);
  });
  if (body.length > 100) problems.push({ path: [], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." });
  throwIfInvalid(problems);
  return body.map((cmd) => {
    const c = asObj(cmd);
    const existing = current.find((e) => e.name === c.name && e.type === (c.type ?? 1));
    return toCommand(r, c, guildId, existing);
  });
}

function upsertCommand(
  r: RestContext,
  body: unknown,
  guildId: string | undefined,
  list: EmuCommand[],
): { list: EmuCommand[]; command: EmuCommand; created: boolean } {
  throwIfInvalid(validateCommand(body));
  const c = asObj(body);
  const existing = list.find((e) => e.name === c.name && e.type === (c.type ?? 1));
  const command = toCommand(r, c, guildId, existing);
  return { list: existing ? list.map((e) => (e === existing ? command : e)) : [...list, command], command, created: !existing };
}
