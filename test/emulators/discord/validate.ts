/**
 * The subset of Discord's payload validation that bots trip over in production
 * (2000-char content, 6000-char embeds, 5 buttons per row, duplicated custom ids,
 * modal titles over 45 chars, invalid command names…). Errors are reported with
 * Discord's 50035 "Invalid Form Body" shape so discord.js raises a DiscordAPIError
 * exactly as it would against the real API.
 */
import type { FieldError } from "./http-util.js";

type Json = Record<string, unknown>;
type Path = Array<string | number>;

export const MessageFlags = {
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function maxLen(out: FieldError[], path: Path, value: unknown, max: number, min = 0): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") {
    out.push({ path, code: "BASE_TYPE_STRING", message: "Must be a string." });
    return;
  }
  // Discord counts UTF-16 code units too; strings are compared as JS lengths.
  if (value.length > max) out.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` });
  if (value.length < min) out.push({ path, code: "BASE_TYPE_MIN_LENGTH", message: `Must be ${min} or more in length.` });
}

function embedSize(embed: Json): number {
  const len = (v: unknown) => (typeof v === "string" ? v.length : 0);
  let total = len(embed.title) + len(embed.description);
  if (isObj(embed.footer)) total += len(embed.footer.text);
  if (isObj(embed.author)) total += len(embed.author.name);
  if (Array.isArray(embed.fields)) {
    for (const f of embed.fields) if (isObj(f)) total += len(f.name) + len(f.value);
  }
  return total;
}

function validateEmbeds(out: FieldError[], embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    out.push({ path: ["embeds"], code: "BASE_TYPE_ARRAY", message: "Must be an array." });
    return;
  }
  if (embeds.length > 10) out.push({ path: ["embeds"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length." });
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isObj(embed)) return;
    maxLen(out, ["embeds", i, "title"], embed.title, 256);
    maxLen(out, ["embeds", i, "description"], embed.description, 4096);
    if (isObj(embed.footer)) maxLen(out, ["embeds", i, "footer", "text"], embed.footer.text, 2048);
    if (isObj(embed.author)) maxLen(out, ["embeds", i, "author", "name"], embed.author.name, 256);
    if (embed.color !== undefined && embed.color !== null && (!Number.isInteger(embed.color) || (embed.color as number) < 0 || (embed.color as number) > 0xffffff)) {
      out.push({ path: ["embeds", i, "color"], code: "NUMBER_TYPE_MAX", message: "int value should be less than or equal to 16777215." });
    }
    if (Array.isArray(embed.fields)) {
      if (embed.fields.length > 25) out.push({ path: ["embeds", i, "fields"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
      embed.fields.forEach((field, j) => {
        if (!isObj(field)) return;
        for (const [key, max] of [["name", 256], ["value", 1024]] as const) {
          const v = field[key];
          if (typeof v !== "string" || v.length === 0) out.push({ path: ["embeds", i, "fields", j, key], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
          else maxLen(out, ["embeds", i, "fields", j, key], v, max);
        }
      });
    }
    total += embedSize(embed);
  });
  if (total > 6000) out.push({ path: ["embeds"], code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000" });
}

function validateSelectOptions(out: FieldError[], path: Path, comp: Json): void {
  if (comp.type !== 3) return;
  const options = comp.options;
  if (!Array.isArray(options) || options.length === 0) {
    out.push({ path: [...path, "options"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    return;
  }
  if (options.length > 25) out.push({ path: [...path, "options"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
  const seen = new Set<unknown>();
  options.forEach((opt, k) => {
    if (!isObj(opt)) return;
    maxLen(out, [...path, "options", k, "label"], opt.label, 100, 1);
    maxLen(out, [...path, "options", k, "value"], opt.value, 100, 1);
    maxLen(out, [...path, "options", k, "description"], opt.description, 100);
    if (seen.has(opt.value)) out.push({ path: [...path, "options", k, "value"], code: "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", message: "Component option values must be unique" });
    seen.add(opt.value);
  });
}

/** Walks any component tree (legacy rows or Components V2) checking ids and leaf rules. */
function validateComponentTree(out: FieldError[], components: unknown, isV2: boolean, basePath: Path = ["components"]): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    out.push({ path: basePath, code: "BASE_TYPE_ARRAY", message: "Must be an array." });
    return;
  }
  if (!isV2 && components.length > 5) out.push({ path: basePath, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 5 or fewer in length." });
  const customIds = new Set<string>();
  const visit = (comp: unknown, path: Path, parentType: number | null): void => {
    if (!isObj(comp)) return;
    const type = comp.type;
    if (!isV2 && parentType === null && type !== 1) {
      out.push({ path: [...path, "type"], code: "UNION_TYPE_CHOICES", message: "Value of field \"type\" must be one of (1,)." });
    }
    if (typeof comp.custom_id === "string") {
      maxLen(out, [...path, "custom_id"], comp.custom_id, 100, 1);
      if (customIds.has(comp.custom_id)) out.push({ path: [...path, "custom_id"], code: "COMPONENT_CUSTOM_ID_DUPLICATED", message: "Component custom id cannot be duplicated" });
      customIds.add(comp.custom_id);
    }
    if (type === 2) {
      maxLen(out, [...path, "label"], comp.label, 80);
      const isLink = comp.style === 5;
      const isPremium = comp.style === 6;
      if (isLink && typeof comp.url !== "string") out.push({ path: [...path, "url"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      if (!isLink && !isPremium && typeof comp.custom_id !== "string") out.push({ path: [...path, "custom_id"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      if (isLink && comp.custom_id !== undefined) out.push({ path: [...path, "custom_id"], code: "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", message: "A custom id cannot be set on a link button" });
    }
    if (type === 3 || type === 5 || type === 6 || type === 7 || type === 8) {
      if (typeof comp.custom_id !== "string") out.push({ path: [...path, "custom_id"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      maxLen(out, [...path, "placeholder"], comp.placeholder, 150);
      validateSelectOptions(out, path, comp);
    }
    if (type === 1 && Array.isArray(comp.components)) {
      const children = comp.components.filter(isObj);
      if (children.length === 0) out.push({ path: [...path, "components"], code: "BASE_TYPE_MIN_LENGTH", message: "Must be 1 or more in length." });
      if (children.length > 5) out.push({ path: [...path, "components"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 5 or fewer in length." });
      const hasSelect = children.some((c) => [3, 5, 6, 7, 8].includes(c.type as number));
      if (hasSelect && children.length > 1) out.push({ path: [...path, "components"], code: "COMPONENT_LAYOUT_WIDTH_EXCEEDED", message: "The specified component exceeds the maximum width" });
    }
    if (Array.isArray(comp.components)) comp.components.forEach((c, i) => visit(c, [...path, "components", i], type as number));
    if (isObj(comp.accessory)) visit(comp.accessory, [...path, "accessory"], type as number);
    if (isObj(comp.component)) visit(comp.component, [...path, "component"], type as number);
  };
  components.forEach((c, i) => visit(c, [...basePath, i], null));
}

interface MessageValidationOptions {
  /** On creation an empty message is an error (50006); edits may clear fields. */
  creating: boolean;
  fileCount: number;
}

/** Discord refuses `parse` naming a type whose ids are also listed, and more than 100 ids. */
function validateAllowedMentions(out: FieldError[], allowed: unknown): void {
  if (!isObj(allowed)) return;
  const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
  for (const kind of ["users", "roles"] as const) {
    const ids = allowed[kind];
    if (!Array.isArray(ids)) continue;
    if (parse.includes(kind) && ids.length > 0) {
      out.push({ path: ["allowed_mentions", "parse"], code: "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.` });
    }
    if (ids.length > 100) out.push({ path: ["allowed_mentions", kind], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." });
  }
}

/** Returns the problems of a message payload (create or edit); empty list = valid. */
export function validateMessagePayload(body: unknown, opts: MessageValidationOptions): { errors: FieldError[]; empty: boolean } {
  const out: FieldError[] = [];
  if (!isObj(body)) return { errors: out, empty: opts.creating && opts.fileCount === 0 };
  const flags = typeof body.flags === "number" ? body.flags : 0;
  const isV2 = (flags & MessageFlags.IsComponentsV2) !== 0;
  maxLen(out, ["content"], body.content, 2000);
  // Discord: a string nonce of at most 25 characters (or an integer).
  if (typeof body.nonce === "string") maxLen(out, ["nonce"], body.nonce, 25);
  validateEmbeds(out, body.embeds);
  validateAllowedMentions(out, body.allowed_mentions);
  validateComponentTree(out, body.components, isV2);
  if (isV2 && typeof body.content === "string" && body.content.length > 0) {
    out.push({ path: ["content"], code: "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", message: "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2" });
  }
  const hasContent = typeof body.content === "string" && body.content.length > 0;
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  const hasAttachments = (Array.isArray(body.attachments) && body.attachments.length > 0) || opts.fileCount > 0;
  const hasOther = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0 || isObj(body.poll);
  const empty = opts.creating && !hasContent && !hasEmbeds && !hasComponents && !hasAttachments && !hasOther;
  return { errors: out, empty };
}

/** Validates the `data` of an interaction callback of type 9 (MODAL). */
export function validateModal(data: unknown): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(data)) {
    out.push({ path: ["data"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    return out;
  }
  const p = (...rest: Path): Path => ["data", ...rest];
  if (typeof data.custom_id !== "string") out.push({ path: p("custom_id"), code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  else maxLen(out, p("custom_id"), data.custom_id, 100, 1);
  if (typeof data.title !== "string") out.push({ path: p("title"), code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  else maxLen(out, p("title"), data.title, 45, 1);
  const components = data.components;
  if (!Array.isArray(components) || components.length === 0) {
    out.push({ path: p("components"), code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    return out;
  }
  if (components.length > 5) out.push({ path: p("components"), code: "BASE_TYPE_MAX_LENGTH", message: "Must be 5 or fewer in length." });
  const ids = new Set<string>();
  components.forEach((top, i) => {
    if (!isObj(top)) return;
    const inputs: Array<[Json, Path, boolean]> = [];
    if (top.type === 1 && Array.isArray(top.components)) {
      top.components.forEach((c, j) => {
        if (isObj(c)) inputs.push([c, p("components", i, "components", j), true]);
      });
    } else if (top.type === 18) {
      maxLen(out, p("components", i, "label"), top.label, 45, 1);
      maxLen(out, p("components", i, "description"), top.description, 100);
      if (isObj(top.component)) inputs.push([top.component, p("components", i, "component"), false]);
    } else if (top.type !== 10) {
      out.push({ path: p("components", i, "type"), code: "UNION_TYPE_CHOICES", message: "Value of field \"type\" must be one of (1, 10, 18)." });
    }
    for (const [input, path, legacyRow] of inputs) {
      if (typeof input.custom_id === "string") {
        maxLen(out, [...path, "custom_id"], input.custom_id, 100, 1);
        if (ids.has(input.custom_id)) out.push({ path: [...path, "custom_id"], code: "COMPONENT_CUSTOM_ID_DUPLICATED", message: "Component custom id cannot be duplicated" });
        ids.add(input.custom_id);
      } else {
        out.push({ path: [...path, "custom_id"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      }
      if (input.type === 4) {
        if (legacyRow) {
          if (typeof input.label !== "string") out.push({ path: [...path, "label"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
          else maxLen(out, [...path, "label"], input.label, 45, 1);
        }
        if (input.style !== 1 && input.style !== 2) out.push({ path: [...path, "style"], code: "BASE_TYPE_CHOICES", message: "Value must be one of (1, 2)." });
        maxLen(out, [...path, "value"], input.value, 4000);
        maxLen(out, [...path, "placeholder"], input.placeholder, 100);
      }
    }
  });
  return out;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateCommandOptions(out: FieldError[], path: Path, options: unknown, depth: number): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    out.push({ path, code: "BASE_TYPE_ARRAY", message: "Must be an array." });
    return;
  }
  if (options.length > 25) out.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((opt, i) => {
    if (!isObj(opt)) return;
    const name = opt.name;
    if (typeof name !== "string" || !COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      out.push({ path: [...path, i, "name"], code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid" });
    } else if (names.has(name)) {
      out.push({ path: [...path, i, "name"], code: "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", message: "Option names must be unique" });
    } else names.add(name);
    maxLen(out, [...path, i, "description"], opt.description, 100, 1);
    if (typeof opt.type !== "number" || opt.type < 1 || opt.type > 11) out.push({ path: [...path, i, "type"], code: "BASE_TYPE_CHOICES", message: "Value must be one of 1..11." });
    if (opt.type === 1 || opt.type === 2) {
      if (depth >= 2 || (opt.type === 2 && depth >= 1)) out.push({ path: [...path, i, "type"], code: "APPLICATION_COMMAND_OPTION_INVALID_NESTING", message: "Sub-command groups can only contain sub-commands" });
      validateCommandOptions(out, [...path, i, "options"], opt.options, depth + 1);
    } else {
      if (opt.required === true && sawOptional) out.push({ path: [...path, i, "required"], code: "APPLICATION_COMMAND_OPTION_REQUIRED_AFTER_OPTIONAL", message: "Required options must be placed before non-required options" });
      if (opt.required !== true) sawOptional = true;
    }
    if (Array.isArray(opt.choices)) {
      if (opt.choices.length > 25) out.push({ path: [...path, i, "choices"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
      opt.choices.forEach((choice, k) => {
        if (isObj(choice)) maxLen(out, [...path, i, "choices", k, "name"], choice.name, 100, 1);
      });
    }
  });
}

/** Validates one application command (for POST, or each element of a bulk PUT). */
export function validateCommand(cmd: unknown, basePath: Path = []): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(cmd)) {
    out.push({ path: basePath, code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" });
    return out;
  }
  const type = typeof cmd.type === "number" ? cmd.type : 1;
  const name = cmd.name;
  if (typeof name !== "string" || name.length === 0) {
    out.push({ path: [...basePath, "name"], code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  } else if (type === 1 && (!COMMAND_NAME.test(name) || name !== name.toLowerCase())) {
    out.push({ path: [...basePath, "name"], code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid" });
  } else maxLen(out, [...basePath, "name"], name, 32, 1);
  if (type === 1) maxLen(out, [...basePath, "description"], cmd.description ?? "", 100, 1);
  validateCommandOptions(out, [...basePath, "options"], cmd.options, 0);
  return out;
}
