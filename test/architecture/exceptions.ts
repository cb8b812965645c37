import type { RuleName, Violation } from "./rules.js";

/**
 * Violations the project knowingly carries for now, each with who is to fix it. Taken on 2026-12-01
 * while issue 15's refactoring landed branch by branch (37 lines then), it is empty since the last
 * of them was fixed: a new line needs a reason a reviewer accepts and an owner. It only shrinks:
 * the architecture test fails on a line that excuses nothing any more (`staleExceptions`).
 */
export interface KnownException {
  rule: RuleName;
  file: string;
  owner: string;
  why: string;
}

const KNOWN_EXCEPTIONS: KnownException[] = [
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
