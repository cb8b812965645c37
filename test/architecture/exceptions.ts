import type { RuleName, Violation } from "./rules.js";

/**
 * Violations the project knowingly carries for now, each with who is to fix it. This list was taken
 * on 2026-12-01 while issue 15's refactoring was still landing branch by branch: it holds what main
 * and the branches in the merge queue still had, so that the check could land without stopping
 * them. It only shrinks: whoever fixes one removes its line (the fixed code then stays held), and
 * the architecture test fails on a line that excuses nothing any more (`staleExceptions`).
 */
export interface KnownException {
  rule: RuleName;
  file: string;
  owner: string;
  why: string;
}

const KNOWN_EXCEPTIONS: KnownException[] = [
  { rule: "import cycle", file: "test/emulators/discord/store.ts", owner: "E (emulators-ops)", why: "the Discord emulator's store and interaction handles import each other" },
];

/** Same rule, same file; for a cycle, any knot that holds the file (its first file moves as the knot changes). */
const excuses = (exception: KnownException, violation: Violation): boolean =>
  violation.rule === exception.rule &&
  (violation.file === exception.file || (violation.rule === "import cycle" && [" ", ",", "."].some((after) => violation.message.includes(exception.file + after))));

export function withoutKnownExceptions(violations: Violation[], known: KnownException[] = KNOWN_EXCEPTIONS): Violation[] {
  return violations.filter((violation) => !known.some((exception) => excuses(exception, violation)));
}

/**
 * The exceptions that excuse nothing any more: the violation was fixed, so the line must go (left
 * in, it would let the same violation come back unnoticed). Each as the message a reader acts on.
 */
export function staleExceptions(violations: Violation[], known: KnownException[] = KNOWN_EXCEPTIONS): string[] {
  return known
    .filter((exception) => !violations.some((violation) => excuses(exception, violation)))
    .map(
      (exception) =>
        `test/architecture/exceptions.ts excuses « ${exception.rule} » in ${exception.file} (${exception.owner}), but ${exception.file} no longer breaks that rule. ` +
        "Remove its line: the list only shrinks, and the fixed code is then held by the rule like any other.",
    );
}
