import { UserError } from "../core/errors.js";

/**
 * Parses the text form of a command used on Slack and the console:
 *   sub option:value option:"value with spaces" «guillemets» <@U123|name>
 * A token `name:value` is an option only when `name` is one of the known option names,
 * so a URL (`https://…`) stays a plain value.
 */
interface ParsedText {
  subcommand?: string;
  named: Record<string, string>;
  positional: string[];
}

const CLOSERS: Record<string, string> = { '"': '"', "«": "»", "“": "”", "<": ">" };

/** Splits on white space, keeping quoted runs (and Slack's <…> escapes) whole. */
export function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
      i++;
      continue;
    }
    const closer = CLOSERS[ch];
    if (closer) {
      const end = input.indexOf(closer, i + 1);
      if (end === -1) {
        if (ch === "<") {
          current += ch;
          inToken = true;
          i++;
          continue;
        }
        throw new UserError(`Guillemet non fermé : ajoutez ${closer} à la fin de la valeur.`);
      }
      // Slack escapes keep their brackets so mentions can be recognised; quotes are dropped.
      const inner = input.slice(i + 1, end);
      current += ch === "<" ? `<${inner}>` : inner.trim();
      inToken = true;
      i = end + 1;
      continue;
    }
    current += ch;
    inToken = true;
    i++;
  }
  if (inToken) tokens.push(current);
  return tokens;
}

export function parseCommandText(
  text: string,
  knownSubcommands: readonly string[],
  optionNamesOf: (subcommand: string | undefined) => readonly string[],
): ParsedText {
  const tokens = tokenize(text);
  let subcommand: string | undefined;
  if (knownSubcommands.length > 0 && tokens.length > 0) {
    const first = tokens[0]!.toLowerCase();
    if (knownSubcommands.includes(first)) {
      subcommand = first;
      tokens.shift();
    }
  }
  const known = optionNamesOf(subcommand);
  const named: Record<string, string> = {};
  const positional: string[] = [];
  for (const token of tokens) {
    const colon = token.indexOf(":");
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : "";
    if (key && known.includes(key)) {
      if (key in named) throw new UserError(`L'option « ${key} » est donnée deux fois.`);
      named[key] = token.slice(colon + 1);
    } else {
      positional.push(token);
    }
  }
  return { subcommand, named, positional };
}

/**
 * Gives positional words to the options not named, in declaration order; what is left over
 * is an error rather than silently dropped.
 */
export function assignPositional(
  parsed: ParsedText,
  optionNames: readonly string[],
): Record<string, string> {
  const values = { ...parsed.named };
  const free = optionNames.filter((n) => !(n in values));
  const rest = [...parsed.positional];
  for (const name of free) {
    if (rest.length === 0) break;
    values[name] = rest.shift()!;
  }
  if (rest.length > 0) {
    const hint = optionNames.length
      ? `Options possibles : ${optionNames.map((n) => `${n}:…`).join(" ")}. Mettez entre guillemets une valeur qui contient des espaces.`
      : "Cette commande ne prend pas d'option.";
    throw new UserError(`Je n'ai pas compris « ${rest.join(" ")} ». ${hint}`);
  }
  return values;
}
