import type { RuleName, Violation } from "./rules.js";

/**
 * Violations the project knowingly carries for now, each with who is to fix it, e.g.
 * `{ rule: "file size", file: "src/x.ts", owner: "…", why: "split under way in …" }`. Keep the list
 * short and shrinking: the architecture test fails on an exception that is no longer needed.
 */
export interface KnownException {
  rule: RuleName;
  file: string;
  owner: string;
  why: string;
}

export const KNOWN_EXCEPTIONS: KnownException[] = [];

export const excuses = (exception: KnownException, violation: Violation): boolean =>
  violation.rule === exception.rule && violation.file === exception.file;

export function withoutKnownExceptions(violations: Violation[], known: KnownException[] = KNOWN_EXCEPTIONS): Violation[] {
  return violations.filter((violation) => !known.some((exception) => excuses(exception, violation)));
}
