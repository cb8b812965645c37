import { z } from "zod";
import type { OptionDef, OptionsShape } from "./command.js";
import { matchChoice } from "../core/choices.js";
import { FieldsRefused, type FieldProblem } from "../core/errors.js";
import { MAX_STORED_INTEGER } from "../core/reply.js";

import "../core/zod-french.js"; // zod speaks the bot's French (every issue kind)

/**
 * The refusal of a command's options; `missingOnly` tells the router it may open a form for
 * them instead (Slack). Worded like every other refusal of fields (FieldsRefused).
 */
export class ValidationError extends FieldsRefused {
  constructor(
    problems: FieldProblem[],
    readonly missingOnly: boolean,
  ) {
    super(problems, "Rien n'a été modifié.");
    this.name = "ValidationError";
  }

  toFrench(): string {
    return this.message;
  }
}

const TRUE = new Set(["oui", "o", "true", "vrai", "1", "yes", "y"]);
const FALSE = new Set(["non", "n", "false", "faux", "0", "no"]);

/** Text values (Slack, console, forms) are converted to the option's type before zod. */
function coerce(def: OptionDef, raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string") return raw;
  const value = raw.trim();
  if (value === "") return undefined;
  switch (def.kind) {
    case "integer":
      return /^-?\d+$/.test(value) ? Number(value) : value;
    case "boolean": {
      const lower = value.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      return value;
    }
    case "channel": {
      // Slack <#C123|name>, Discord <#123>
      const m = /^<#([A-Z0-9]+)(\|[^>]*)?>$/i.exec(value);
      return m ? m[1] : value.replace(/^#/, "");
    }
    case "user": {
      const m = /^<@!?([A-Z0-9]+)(\|[^>]*)?>$/i.exec(value);
      return m ? m[1] : value;
    }
    default:
      if (def.choices) {
        // The label too, accents and case aside (« Parentalité » as well as « parentalite »): the
        // reading every form field of a choice uses as well (core/choices.ts).
        return matchChoice(value, Object.fromEntries(def.choices.map((c) => [c.value, c.label]))) ?? value;
      }
      return value;
  }
}

/**
 * Left out and explicitly empty (`actions:""`) are two different answers: an option whose own rule
 * accepts an empty text receives "" (a correction clears the stored value with it), while for every
 * other option an empty value counts as left out (a stored value is kept, a required one is asked for).
 */
function explicitEmpty(def: OptionDef, raw: unknown): boolean {
  if (typeof raw !== "string" || raw.trim() !== "" || def.kind !== "string" || def.choices) return false;
  return def.schema.safeParse("").success && def.schema.safeParse(undefined).success;
}

function frenchMessage(issue: z.core.$ZodIssue, raw: unknown): string {
  if (raw === undefined || raw === "") return "valeur obligatoire";
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

export function validateOptions<O extends OptionsShape>(
  options: O,
  raw: Record<string, unknown>,
): { [K in keyof O]: unknown } {
  const out: Record<string, unknown> = {};
  const problems: ValidationError["problems"] = [];
  let missingOnly = true;
  for (const [name, def] of Object.entries(options)) {
    const value = explicitEmpty(def, raw[name]) ? "" : coerce(def, raw[name]);
    if (def.kind === "integer" && typeof value === "number" && Math.abs(value) > MAX_STORED_INTEGER) {
      // Discord sends up to 2^53; the store keeps 32-bit integers (PostgreSQL refuses more).
      missingOnly = false;
      problems.push({ field: name, message: `nombre trop grand (${String(MAX_STORED_INTEGER).replace(/\B(?=(\d{3})+(?!\d))/g, " ")} au plus)`, expected: def.expected });
      continue;
    }
    const result = def.schema.safeParse(value);
    if (result.success) {
      out[name] = result.data;
    } else {
      if (value !== undefined) missingOnly = false;
      const issue = result.error.issues[0]!;
      problems.push({ field: name, message: frenchMessage(issue, value), expected: def.expected });
    }
  }
  for (const name of Object.keys(raw)) {
    if (!(name in options)) {
      missingOnly = false;
      problems.push({
        field: name,
        message: "option inconnue",
        expected: Object.keys(options).length ? Object.keys(options).join(", ") : "aucune option",
      });
    }
  }
  if (problems.length > 0) throw new ValidationError(problems, missingOnly);
  return out as { [K in keyof O]: unknown };
}
