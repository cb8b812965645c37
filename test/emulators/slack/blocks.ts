/**
 * Block Kit helpers: extract visible text, locate interactive elements, build `state.values`
 * in Slack's exact shape, and a pragmatic subset of Slack's block validation, so that payloads
 * real Slack would refuse are refused here too instead of passing silently in tests.
 */
import type { JsonObject } from "./types.js";

const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Text of a composition text object ({type: "plain_text"|"mrkdwn", text}) or a raw string. */
export function textOf(t: unknown): string {
  if (typeof t === "string") return t;
  if (isObj(t) && typeof t.text === "string") return t.text;
  return "";
}

function richTextOf(el: unknown): string {
  if (!isObj(el)) return "";
  if (typeof el.text === "string") return el.text;
  if (el.type === "user" && typeof el.user_id === "string") return `<@${el.user_id}>`;
  if (el.type === "channel" && typeof el.channel_id === "string") return `<#${el.channel_id}>`;
  if (el.type === "link" && typeof el.url === "string") return el.url;
  return asArray(el.elements).map(richTextOf).join("");
}

/** Every human-visible string of a block list, one per line (used for `fullText`). */
export function blocksText(blocks: unknown): string[] {
  const out: string[] = [];
  for (const b of asArray(blocks)) {
    if (!isObj(b)) continue;
    const push = (s: string) => {
      if (s) out.push(s);
    };
    switch (b.type) {
      case "section":
        push(textOf(b.text));
        for (const f of asArray(b.fields)) push(textOf(f));
        if (isObj(b.accessory)) push(textOf(b.accessory.text));
        break;
      case "header":
        push(textOf(b.text));
        break;
      case "context":
        for (const e of asArray(b.elements)) push(textOf(e));
        break;
      case "actions":
        for (const e of asArray(b.elements)) if (isObj(e)) push(textOf(e.text));
        break;
      case "input":
        push(textOf(b.label));
        break;
      case "rich_text":
        push(asArray(b.elements).map(richTextOf).join("\n"));
        break;
      case "image":
        push(textOf(b.title) || (typeof b.alt_text === "string" ? b.alt_text : ""));
        break;
      case "markdown":
        push(typeof b.text === "string" ? b.text : "");
        break;
      default:
        break;
    }
  }
  return out;
}

export function attachmentsText(attachments: unknown): string[] {
  const out: string[] = [];
  for (const a of asArray(attachments)) {
    if (!isObj(a)) continue;
    for (const k of ["pretext", "title", "text", "fallback", "footer"]) if (typeof a[k] === "string") out.push(a[k] as string);
    for (const f of asArray(a.fields)) if (isObj(f)) out.push(`${textOf(f.title)} ${textOf(f.value)}`.trim());
    out.push(...blocksText(a.blocks));
  }
  return out;
}

interface FoundElement {
  block: JsonObject;
  blockId: string;
  element: JsonObject;
}

/** Interactive elements of a block, whatever the block type holds them in. */
function elementsOf(block: JsonObject): JsonObject[] {
  const els: JsonObject[] = [];
  if (isObj(block.accessory)) els.push(block.accessory);
  if (isObj(block.element)) els.push(block.element);
  for (const e of asArray(block.elements)) if (isObj(e) && typeof e.action_id === "string") els.push(e);
  return els;
}

/** Finds the element with `actionId` (optionally inside `blockId`). */
export function findElement(blocks: unknown, actionId: string, blockId?: string): FoundElement | undefined {
  for (const b of asArray(blocks)) {
    if (!isObj(b)) continue;
    const bid = typeof b.block_id === "string" ? b.block_id : undefined;
    if (blockId !== undefined && bid !== blockId) continue;
    for (const el of elementsOf(b)) {
      if (el.action_id === actionId) return { block: b, blockId: bid ?? autoBlockId(b), element: el };
    }
  }
  return undefined;
}

/** Slack invents a block_id when the app gives none; keep it stable per block content. */
function autoBlockId(block: JsonObject): string {
  const s = JSON.stringify(block);
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36).slice(0, 5).padEnd(5, "x");
}

function optionByValue(element: JsonObject, value: string): JsonObject | undefined {
  const options: unknown[] = [...asArray(element.options)];
  for (const g of asArray(element.option_groups)) if (isObj(g)) options.push(...asArray(g.options));
  return options.find((o): o is JsonObject => isObj(o) && o.value === value);
}

/** Slack echoes options back with `emoji: true` added on plain_text. */
function echoOption(element: JsonObject, value: string): JsonObject {
  const o = optionByValue(element, value);
  const text = o ? o.text : { type: "plain_text", text: value };
  const t = isObj(text) && text.type === "plain_text" ? { emoji: true, ...text } : text;
  return { text: t, value };
}

export type InputValue = string | string[] | null | undefined | JsonObject;

/**
 * The `state.values[block_id][action_id]` entry Slack sends for an element, given what the
 * user typed/selected. Unset values produce what Slack sends for an untouched element
 * (value: null, selected_option: null, ...).
 */
export function stateValueFor(element: JsonObject | undefined, input: InputValue): JsonObject {
  const type = typeof element?.type === "string" ? element.type : "plain_text_input";
  if (isObj(input) && typeof input.type === "string") return input; // caller gave Slack's shape directly
  const one = Array.isArray(input) ? input[0] : input;
  const many = Array.isArray(input) ? input : input == null ? [] : [input as string];
  switch (type) {
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return { type, selected_option: one == null ? null : echoOption(element ?? {}, one as string) };
    case "multi_static_select":
    case "multi_external_select":
    case "checkboxes":
      return { type, selected_options: many.map((v) => echoOption(element ?? {}, v)) };
    case "users_select":
      return { type, selected_user: one ?? null };
    case "multi_users_select":
      return { type, selected_users: many };
    case "conversations_select":
      return { type, selected_conversation: one ?? null };
    case "multi_conversations_select":
      return { type, selected_conversations: many };
    case "channels_select":
      return { type, selected_channel: one ?? null };
    case "multi_channels_select":
      return { type, selected_channels: many };
    case "datepicker":
      return { type, selected_date: one ?? null };
    case "timepicker":
      return { type, selected_time: one ?? null };
    case "datetimepicker":
      return { type, selected_date_time: one == null ? null : Number(one) };
    default:
      // plain_text_input, email_text_input, url_text_input, number_input, rich text is out of scope.
      return { type, value: one ?? null };
  }
}

/**
 * Full `state.values` for a view: every input block is present (Slack includes untouched
 * inputs too), overridden by `values` = {block_id: {action_id: value}}.
 */
export function buildStateValues(
  blocks: unknown,
  values: Record<string, Record<string, InputValue>> = {},
): Record<string, Record<string, JsonObject>> {
  const state: Record<string, Record<string, JsonObject>> = {};
  for (const b of asArray(blocks)) {
    if (!isObj(b) || b.type !== "input" || !isObj(b.element)) continue;
    const bid = typeof b.block_id === "string" ? b.block_id : autoBlockId(b);
    const aid = typeof b.element.action_id === "string" ? b.element.action_id : autoBlockId(b.element);
    state[bid] = { [aid]: stateValueFor(b.element, b.element.initial_value as InputValue ?? initialOf(b.element)) };
  }
  for (const [bid, byAction] of Object.entries(values)) {
    for (const [aid, v] of Object.entries(byAction)) {
      const found = findElement(blocks, aid, bid);
      (state[bid] ??= {})[aid] = stateValueFor(found?.element, v);
    }
  }
  return state;
}

function initialOf(el: JsonObject): InputValue {
  if (isObj(el.initial_option) && typeof el.initial_option.value === "string") return el.initial_option.value;
  if (Array.isArray(el.initial_options))
    return el.initial_options.filter(isObj).map((o) => String(o.value));
  for (const k of ["initial_user", "initial_conversation", "initial_channel", "initial_date", "initial_time"]) {
    if (typeof el[k] === "string") return el[k] as string;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Validation (subset of Slack's rules that bots commonly trip on)
// ---------------------------------------------------------------------------------------------

const LIMITS = { message: 50, modal: 100, home: 100 } as const;

function checkText(errors: string[], t: unknown, max: number, ptr: string, plainOnly = false): void {
  if (t === undefined) return;
  if (!isObj(t) || typeof t.text !== "string") {
    errors.push(`[ERROR] must provide an object [json-pointer:${ptr}]`);
    return;
  }
  if (t.type !== "plain_text" && t.type !== "mrkdwn") errors.push(`[ERROR] must be a valid enum value [json-pointer:${ptr}/type]`);
  else if (plainOnly && t.type !== "plain_text") errors.push(`[ERROR] must be a valid enum value [json-pointer:${ptr}/type]`);
  if (t.text.length === 0) errors.push(`[ERROR] must be more than 0 characters [json-pointer:${ptr}/text]`);
  if (t.text.length > max) errors.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${ptr}/text]`);
}

function checkElement(errors: string[], el: JsonObject, ptr: string): void {
  if (typeof el.action_id === "string" && el.action_id.length > 255)
    errors.push(`[ERROR] must be less than 256 characters [json-pointer:${ptr}/action_id]`);
  if (el.type === "button") {
    checkText(errors, el.text, 75, `${ptr}/text`, true);
    if (typeof el.value === "string" && el.value.length > 2000)
      errors.push(`[ERROR] must be less than 2001 characters [json-pointer:${ptr}/value]`);
  }
  const options = asArray(el.options);
  if (options.length > 100) errors.push(`[ERROR] must provide no more than 100 items [json-pointer:${ptr}/options]`);
  options.forEach((o, i) => {
    if (!isObj(o)) return;
    checkText(errors, o.text, 75, `${ptr}/options/${i}/text`);
    if (typeof o.value === "string" && o.value.length > 150)
      errors.push(`[ERROR] must be less than 151 characters [json-pointer:${ptr}/options/${i}/value]`);
  });
  if (el.placeholder !== undefined) checkText(errors, el.placeholder, 150, `${ptr}/placeholder`, true);
}

/** Returns Slack-style `[ERROR] ... [json-pointer:...]` messages; empty when valid. */
export function validateBlocks(blocks: unknown, surface: "message" | "modal" | "home", base = "/blocks"): string[] {
  const errors: string[] = [];
  if (blocks === undefined) return errors;
  if (!Array.isArray(blocks)) return [`[ERROR] must provide an array [json-pointer:${base}]`];
  if (blocks.length > LIMITS[surface])
    errors.push(`[ERROR] must provide no more than ${LIMITS[surface]} items [json-pointer:${base}]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const ptr = `${base}/${i}`;
    if (!isObj(b) || typeof b.type !== "string") {
      errors.push(`[ERROR] missing required field: type [json-pointer:${ptr}]`);
      return;
    }
    if (typeof b.block_id === "string") {
      if (b.block_id.length > 255) errors.push(`[ERROR] must be less than 256 characters [json-pointer:${ptr}/block_id]`);
      if (blockIds.has(b.block_id)) errors.push(`[ERROR] duplicate block_id [json-pointer:${ptr}/block_id]`);
      blockIds.add(b.block_id);
    }
    checkBlock(errors, b, ptr);
  });
  return errors;
}

/** The checks Slack makes on one block, by type. */
function checkBlock(errors: string[], b: JsonObject, ptr: string): void {
  switch (b.type) {
    case "section":
      if (b.text === undefined && b.fields === undefined)
        errors.push(`[ERROR] must provide either text or fields [json-pointer:${ptr}]`);
      checkText(errors, b.text, 3000, `${ptr}/text`);
      if (asArray(b.fields).length > 10) errors.push(`[ERROR] must provide no more than 10 items [json-pointer:${ptr}/fields]`);
      asArray(b.fields).forEach((f, j) => checkText(errors, f, 2000, `${ptr}/fields/${j}`));
      if (isObj(b.accessory)) checkElement(errors, b.accessory, `${ptr}/accessory`);
      break;
    case "header":
      checkText(errors, b.text, 150, `${ptr}/text`, true);
      if (b.text === undefined) errors.push(`[ERROR] missing required field: text [json-pointer:${ptr}]`);
      break;
    case "context":
      if (asArray(b.elements).length === 0) errors.push(`[ERROR] missing required field: elements [json-pointer:${ptr}]`);
      if (asArray(b.elements).length > 10) errors.push(`[ERROR] must provide no more than 10 items [json-pointer:${ptr}/elements]`);
      break;
    case "actions": {
      const els = asArray(b.elements);
      if (els.length === 0) errors.push(`[ERROR] missing required field: elements [json-pointer:${ptr}]`);
      if (els.length > 25) errors.push(`[ERROR] must provide no more than 25 items [json-pointer:${ptr}/elements]`);
      const actionIds = new Set<string>();
      els.forEach((e, j) => {
        if (!isObj(e)) return;
        if (typeof e.action_id === "string") {
          if (actionIds.has(e.action_id)) errors.push(`[ERROR] duplicate action_id [json-pointer:${ptr}/elements/${j}/action_id]`);
          actionIds.add(e.action_id);
        }
        checkElement(errors, e, `${ptr}/elements/${j}`);
      });
      break;
    }
    case "input":
      if (b.label === undefined) errors.push(`[ERROR] missing required field: label [json-pointer:${ptr}]`);
      checkText(errors, b.label, 2000, `${ptr}/label`, true);
      if (!isObj(b.element)) errors.push(`[ERROR] missing required field: element [json-pointer:${ptr}]`);
      else checkElement(errors, b.element, `${ptr}/element`);
      break;
    case "divider":
    case "image":
    case "rich_text":
    case "file":
    case "video":
    case "markdown":
    case "table":
      break;
    default:
      errors.push(`[ERROR] unsupported type: ${String(b.type)} [json-pointer:${ptr}/type]`);
  }
}

/** views.open/update/push checks on top of block validation. */
export function validateView(view: unknown): string[] {
  if (!isObj(view)) return ["[ERROR] must provide an object [json-pointer:/view]"];
  const errors: string[] = [];
  if (view.type !== "modal" && view.type !== "home") errors.push("[ERROR] must be a valid enum value [json-pointer:/view/type]");
  if (view.type === "modal") {
    if (view.title === undefined) errors.push("[ERROR] missing required field: title [json-pointer:/view]");
    checkText(errors, view.title, 24, "/view/title", true);
    checkText(errors, view.submit, 24, "/view/submit", true);
    checkText(errors, view.close, 24, "/view/close", true);
    const hasInput = asArray(view.blocks).some((b) => isObj(b) && b.type === "input");
    if (hasInput && view.submit === undefined)
      errors.push("[ERROR] submit is required when an input block is present [json-pointer:/view/submit]");
  }
  if (typeof view.private_metadata === "string" && view.private_metadata.length > 3000)
    errors.push("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]");
  if (typeof view.callback_id === "string" && view.callback_id.length > 255)
    errors.push("[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]");
  errors.push(...validateBlocks(view.blocks ?? [], view.type === "home" ? "home" : "modal", "/view/blocks"));
  return errors;
}

/**
 * The `<…>` sequences Slack parses in a message (its `text` and every mrkdwn text object):
 * `!channel`, `!here`, `!everyone` notify everyone, `@U…` a person, `#C…` link a channel,
 * `url|label` make a link. Entities (`&lt;`) are text, as in Slack; plain_text is never parsed.
 */
export function controlSequences(text: unknown, blocks: unknown): string[] {
  const mrkdwn: string[] = typeof text === "string" ? [text] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObj(v)) return;
    if (v.type === "mrkdwn" && typeof v.text === "string") mrkdwn.push(v.text);
    for (const child of Object.values(v)) if (typeof child === "object") walk(child);
  };
  walk(blocks);
  return mrkdwn.flatMap((t) => [...t.matchAll(/<([^<>]*)>/g)].map((m) => m[1]!));
}
