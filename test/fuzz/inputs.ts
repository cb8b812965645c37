/**
 * Hostile inputs, generated from the commands' own declarations so every command, sub-command,
 * option, button and form route is reached: what each platform can really hand the adapter.
 * - Discord: typed option values (Discord checks the type, not the content) of any length up to
 *   its 6,000-character cap, and any custom id or form field it relays unchanged.
 * - Slack: the command's free text, with quotes of every kind, mentions, entities and control
 *   characters; action ids and view fields forged or cut short.
 * - Console: any line, and the answers typed into a form.
 */
import fc from "fast-check";
import type { CommandDef, OptionDef } from "../../src/bot/command.js";

/** Text that tends to break parsers: quotes, escapes, mentions, controls, odd Unicode, long runs. */
const nasty = fc.constantFrom(
  '"', "«", "»", "“", "”", "'", "`", "```", "<", ">", "&lt;", "&gt;", "&amp;", "<@U0NORA>", "<@U0NORA|nora>", "<#C0FUZZ|général>", "<!here>", "<!channel>",
  "<@200000000000000002>", "<#100000000000000001>", "@everyone", "**", "__", "~~", "||", "[lien](javascript:alert(1))", "https://exemple.fr/a:b",
  "\u0000", "\u0007", "\u001b[31m", "\r", "\n", "\t", "\u200b", "\u202e", "\ufeff", "\ud800", "🙂", "é", "e\u0301", "%3A", "%25", ":", ";", ",", "-1", "0", "9007199254740993",
  "1e309", "NaN", "31/02/2026", "29/02/2026 25h61", "demain", "hier 14h", "01/01/1900", "31/12/9999 23h59", "oui", "non", "__proto__", "constructor", "toString",
);

const text = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: Math.min(maxLength, 40), unit: "grapheme-composite" }) },
    { weight: 3, arbitrary: fc.array(fc.oneof(nasty, fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join("").slice(0, maxLength)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60, unit: "binary" }) },
    { weight: 1, arbitrary: fc.tuple(nasty, fc.integer({ min: 1, max: maxLength })).map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)) },
  );

const integer = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31)));

/** A value as Discord delivers it for this option: of the declared type, any content. */
function discordValue(def: OptionDef): fc.Arbitrary<unknown> {
  switch (def.kind) {
    case "integer":
      return integer;
    case "boolean":
      return fc.boolean();
    case "channel":
      return fc.oneof(fc.constant("100000000000000001"), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String));
    case "user":
      return fc.oneof(fc.constantFrom("200000000000000001", "200000000000000002"), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String));
    default:
      return def.choices ? fc.oneof(fc.constantFrom(...def.choices.map((c) => c.value)), text(100)) : text(6000);
  }
}

interface CommandPick {
  command: string;
  subcommand?: string;
  options: Record<string, unknown>;
}

/** A command of the bot with a random subset of its options, typed the Discord way. */
export function discordCommand(commands: readonly CommandDef[]): fc.Arbitrary<CommandPick> {
  const routes = commands.flatMap((c) => c.subcommands.map((s) => ({ c, s })));
  return fc.constantFrom(...routes).chain(({ c, s }) => {
    const entries = Object.entries(s.options as Record<string, OptionDef>).map(([name, def]) => fc.option(discordValue(def), { nil: undefined }).map((v) => [name, v] as const));
    return fc.tuple(...entries).map((pairs) => ({
      command: c.name,
      subcommand: s.name || undefined,
      options: Object.fromEntries(pairs.filter(([, v]) => v !== undefined)),
    }));
  });
}

/** The text after a Slack or console slash command: sub-command, named and positional values, anything. */
export function commandText(commands: readonly CommandDef[]): fc.Arbitrary<{ command: string; text: string }> {
  return fc.constantFrom(...commands).chain((c) => {
    const subs = c.subcommands.map((s) => s.name).filter(Boolean);
    const names = [...new Set(c.subcommands.flatMap((s) => Object.keys(s.options)))];
    const word = fc.stringMatching(/^[a-zA-Z0-9éèà#@\/.,-]{1,20}$/);
    const value = fc.oneof(
      { weight: 3, arbitrary: word },
      { weight: 2, arbitrary: text(300).map((v) => `"${v}"`) },
      { weight: 1, arbitrary: text(300) },
      { weight: 1, arbitrary: text(300).map((v) => `«${v}»`) },
      { weight: 1, arbitrary: text(60).map((v) => `“${v}`) },
    );
    const token = fc.oneof(
      { weight: 4, arbitrary: names.length ? fc.tuple(fc.constantFrom(...names), value).map(([n, v]) => `${n}:${v}`) : value },
      { weight: 1, arbitrary: value },
      { weight: 1, arbitrary: nasty },
    );
    const head = subs.length ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...subs) }, { weight: 1, arbitrary: fc.constantFrom(...subs).map((s) => s.toUpperCase()) }, { weight: 1, arbitrary: text(20) }) : fc.constant("");
    return fc.tuple(head, fc.array(token, { maxLength: 6 }), fc.constantFrom(" ", "  ", "\t", "\u00a0")).map(([h, tokens, sep]) => ({ command: c.name, text: [h, ...tokens].join(sep).trim() }));
  });
}

/** Every route a button, a select or a form can carry: `command:action`, from the declarations. */
export function routesOf(commands: readonly CommandDef[], table: "components" | "modals"): string[] {
  const routes = commands.flatMap((c) => Object.keys(c[table] ?? {}).map((action) => `${c.name}:${action}`));
  // The router's own form for missing options.
  if (table === "modals") routes.push(...commands.flatMap((c) => c.subcommands.map((s) => `opts:${c.name}:${s.name || "_"}`)));
  return routes;
}

/** A forged or truncated custom id: a real route, arguments real, missing or absurd, cut anywhere (≤ 100 characters, Discord's cap). */
export function customId(routes: string[], ids: string[]): fc.Arbitrary<string> {
  const arg = fc.oneof(fc.constantFrom(...ids), integer.map(String), text(20), fc.constantFrom("", "0", "-1", "1.5", "x", "%3A", "NaN", "tous", "1", "2"));
  const forged = fc.tuple(fc.constantFrom(...routes), fc.array(arg, { maxLength: 6 })).map(([route, args]) => [route, ...args].join(":"));
  return fc.oneof(
    { weight: 6, arbitrary: forged },
    { weight: 2, arbitrary: fc.tuple(forged, fc.nat()).map(([id, n]) => id.slice(0, n % (id.length + 1))) },
    { weight: 1, arbitrary: text(100) },
  ).map((id) => id.slice(0, 100));
}

const FORM_FIELDS = ["texte", "titre", "sujet", "question", "reponse", "relance", "categorie", "besoin", "prenom", "structure", "commune", "reseaux", "contact", "type", "asc", "desc", "nom", "email"];

/** Form fields: some missing, some empty, some far over any length limit (Discord allows 4,000). */
export function formFields(commands: readonly CommandDef[]): fc.Arbitrary<Record<string, string>> {
  const optionNames = commands.flatMap((c) => c.subcommands.flatMap((s) => Object.keys(s.options)));
  const names = [...new Set([...FORM_FIELDS, ...optionNames])];
  return fc.dictionary(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: text(10) }), fc.oneof(text(4000), fc.constant(""), fc.constant("x".repeat(10_000))), { maxKeys: 8 });
}

/** A console line: a command, a button number, an identity switch, a comment, or anything. */
export function consoleLine(commands: readonly CommandDef[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: commandText(commands).map(({ command, text: t }) => `/${command} ${t}`) },
    { weight: 1, arbitrary: fc.nat({ max: 40 }).map((n) => `!${n}`) },
    { weight: 1, arbitrary: fc.constantFrom("/as Nora", "/as #1", "/as", "/as Sophie") },
    { weight: 1, arbitrary: text(200) },
    { weight: 1, arbitrary: text(30).map((t) => `/${t}`) },
  );
}
