/**
 * zod's refusals in the bot's French, for every kind of issue. Installed as zod's locale on import
 * (so a schema's own message still wins): no « Option invalide : une valeur parmi "a"|"b" attendue »,
 * no « Trop petit : … >=3 », no English ever reaches a user. Every place that turns a zod refusal
 * into text reads it through `issueText`, which imports (and so installs) this module.
 */
import { z } from "zod";
import { plural } from "../shared/plural.js";
import { joinedList } from "./text-lists.js";

type RawIssue = z.core.$ZodRawIssue;

/** « a, b ou c »: how French lists the accepted values. */
export function frenchList(values: readonly unknown[]): string {
  return joinedList(values.map((v) => String(v)), "ou");
}

const TYPES: Record<string, string> = {
  string: "un texte",
  number: "un nombre",
  int: "un nombre entier",
  bigint: "un nombre entier",
  boolean: "oui ou non",
  date: "une date",
  array: "une liste",
  set: "une liste",
  object: "un ensemble de champs",
};

const FORMATS: Record<string, string> = {
  email: "adresse e-mail non valable",
  url: "adresse web non valable (https://…)",
  date: "date non valable",
  datetime: "date et heure non valables",
  time: "heure non valable",
  uuid: "identifiant non valable",
};

function tooShort(issue: RawIssue & { code: "too_small" }): string {
  const n = Number(issue.minimum);
  if (issue.origin === "string") return n <= 1 ? "ne peut pas être vide" : `trop court : ${plural(n, "caractère", "caractères")} au moins`;
  if (issue.origin === "array" || issue.origin === "set") return `il en faut au moins ${n}`;
  if (issue.origin === "date") return "date trop ancienne";
  return issue.inclusive === false ? `doit être supérieur à ${n}` : `doit être au moins ${n}`;
}

function tooLong(issue: RawIssue & { code: "too_big" }): string {
  const n = Number(issue.maximum);
  if (issue.origin === "string") return `trop long : ${plural(n, "caractère", "caractères")} au plus`;
  if (issue.origin === "array" || issue.origin === "set") return `${n} au plus`;
  if (issue.origin === "date") return "date trop éloignée";
  return issue.inclusive === false ? `doit être inférieur à ${n}` : `doit être au plus ${n}`;
}

function badFormat(issue: RawIssue & { code: "invalid_format" }): string {
  const format = issue.format;
  if (format === "starts_with") return `doit commencer par « ${String((issue as { prefix?: unknown }).prefix)} »`;
  if (format === "ends_with") return `doit se terminer par « ${String((issue as { suffix?: unknown }).suffix)} »`;
  if (format === "includes") return `doit contenir « ${String((issue as { includes?: unknown }).includes)} »`;
  return FORMATS[format] ?? "forme non reconnue";
}

/** The French sentence for one zod issue, without capital or final period (the caller frames it). */
function frenchIssueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "valeur obligatoire";
      return `il faut ${TYPES[issue.expected] ?? "une autre valeur"}`;
    case "invalid_value": {
      if (issue.values.length === 1) return `seule valeur possible : ${String(issue.values[0])}`;
      const typed = typeof issue.input === "string" && issue.input !== "" ? `« ${issue.input} » ne fait pas partie des choix` : "choix inconnu";
      return `${typed} : ${frenchList(issue.values)}`;
    }
    case "too_small":
      return tooShort(issue);
    case "too_big":
      return tooLong(issue);
    case "invalid_format":
      return badFormat(issue);
    case "not_multiple_of":
      return `doit être un multiple de ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return `${issue.keys.length > 1 ? "champs inconnus" : "champ inconnu"} : ${issue.keys.join(", ")}`;
    default:
      return "valeur non reconnue";
  }
}

z.config({ localeError: (issue) => frenchIssueMessage(issue) });

/** The first refusal of a failed parse, in French (the schema's own message when it has one). */
export function issueText(error: z.ZodError): string {
  return error.issues[0]?.message ?? "valeur non reconnue";
}
