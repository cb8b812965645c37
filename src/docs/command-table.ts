import type { CommandDef } from "../bot/command.js";
import { rolesOf, usage } from "../bot/command.js";
import { ROLE_LABELS } from "../core/roles.js";

export const BEGIN = "<!-- commandes:début (généré par npm run readme:commands) -->";
export const END = "<!-- commandes:fin -->";

/** The README's command list, generated from the declarations so it cannot drift. */
export function commandTable(commands: readonly CommandDef[]): string {
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

export function withCommandTable(readme: string, commands: readonly CommandDef[]): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error("README: command list markers not found");
  return `${readme.slice(0, start + BEGIN.length)}\n${commandTable(commands)}\n${readme.slice(end)}`;
}
