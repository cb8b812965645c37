import type { CommandDef } from "./command.js";
import { assignPositional, parseCommandText } from "./args.js";

/**
 * Turns the text after a slash command (Slack, console) into the sub-command and raw options
 * the router validates, from the same declarations Discord's registration uses.
 */
export function parseTextOptions(command: CommandDef, text: string): { subcommand?: string; options: Record<string, string> } {
  const hasSubcommands = !(command.subcommands.length === 1 && command.subcommands[0]!.name === "");
  const names = hasSubcommands ? command.subcommands.map((s) => s.name) : [];
  const optionNames = (sub: string | undefined) =>
    Object.keys(command.subcommands.find((s) => s.name === (sub ?? ""))?.options ?? {});
  const parsed = parseCommandText(text, names, optionNames);
  if (hasSubcommands && parsed.subcommand === undefined) {
    // Let the router answer with the list of sub-commands (or the unknown one named).
    return { subcommand: parsed.positional[0], options: {} };
  }
  return { subcommand: parsed.subcommand, options: assignPositional(parsed, optionNames(parsed.subcommand)) };
}
