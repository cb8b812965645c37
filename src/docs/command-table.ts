import type { CommandDef, OptionsShape } from "../bot/command.js";
import { rolesOf, usage } from "../bot/command.js";
import { ROLE_LABELS } from "../core/roles.js";

const BEGIN = "<!-- commandes:début (généré par npm run readme:commands) -->";
const END = "<!-- commandes:fin -->";

/** The README's command list, generated from the declarations so it cannot drift. */
function commandTable(commands: readonly CommandDef[]): string {
  const rows = ["| commande | à quoi elle sert | qui peut l'utiliser |", "|---|---|---|"];
  for (const c of commands) {
    for (const s of c.subcommands) {
      const roles = rolesOf(c, s);
      const who = roles?.length ? [...new Set([...roles, "ADMIN" as const])].map((r) => ROLE_LABELS[r]).join(", ") : "tout membre";
      rows.push(`| \`${usage(c, s).replace(/\|/g, "\\|")}\` | ${s.description} | ${who} |`);
    }
  }
  return rows.join("\n");
}

const CHOICES_BEGIN = "<!-- choix:début (généré par npm run readme:commands) -->";
const CHOICES_END = "<!-- choix:fin -->";

/**
 * The accepted values of every option with a closed list, from the same declarations: one row per
 * option, the sub-commands that share the same list grouped (« /rencontre creer, modifier »).
 */
function choicesTable(commands: readonly CommandDef[]): string {
  const rows = new Map<string, { where: string[]; option: string; command: string; values: string }>();
  for (const c of commands) {
    for (const s of c.subcommands) {
      for (const [name, def] of Object.entries(s.options as OptionsShape)) {
        if (!def.choices) continue;
        const values = def.choices.map((choice) => `\`${choice.value}\` — ${choice.label}`).join(" · ");
        const key = `${c.name}|${name}|${values}`;
        const row = rows.get(key) ?? { where: [] as string[], option: name, command: c.name, values };
        if (s.name) row.where.push(s.name);
        rows.set(key, row);
      }
    }
  }
  const lines = ["| commande | option | valeurs possibles |", "|---|---|---|"];
  for (const r of rows.values()) {
    const where = r.where.length ? r.where.map((s) => `\`/${r.command} ${s}\``).join(", ") : `\`/${r.command}\``;
    lines.push(`| ${where} | \`${r.option}:\` | ${r.values.replace(/\|/g, "\\|")} |`);
  }
  return lines.join("\n");
}

function replaceBlock(readme: string, begin: string, end: string, body: string): string {
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`README: markers ${begin} … ${end} not found`);
  return `${readme.slice(0, start + begin.length)}\n${body}\n${readme.slice(stop)}`;
}

/** The README with its generated parts (command list, choice values) rewritten from the declarations. */
export function withCommandTable(readme: string, commands: readonly CommandDef[]): string {
  const withCommands = replaceBlock(readme, BEGIN, END, commandTable(commands));
  return replaceBlock(withCommands, CHOICES_BEGIN, CHOICES_END, choicesTable(commands));
}
