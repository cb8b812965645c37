import type { RuleName, Violation } from "./rules.js";

/**
 * Violations the project knowingly carries for now, each with who is to fix it. This list was taken
 * on 2026-12-01 while issue 15's refactoring was still landing branch by branch: it holds what main
 * and the branches in the merge queue still had, so that the check could land without stopping
 * them. It only shrinks: whoever fixes one removes its line (the fixed code then stays held).
 */
interface KnownException {
  rule: RuleName;
  file: string;
  owner: string;
  why: string;
}

const KNOWN_EXCEPTIONS: KnownException[] = [
  { rule: "file size", file: "commands/rencontre.ts", owner: "C (meetings-polls)", why: "425 lines, being split" },
  { rule: "file size", file: "src/core/meetings/service.ts", owner: "C (meetings-polls)", why: "592 lines, being split" },
  { rule: "file size", file: "src/core/onboarding/service.ts", owner: "B (onboarding-watch)", why: "662 lines, being split" },
  { rule: "file size", file: "src/core/polls/polls.ts", owner: "C (meetings-polls)", why: "460 lines, being split" },
  { rule: "file size", file: "src/core/watch/service.ts", owner: "B (onboarding-watch)", why: "559 lines, being split" },
  { rule: "file size", file: "test/emulators/discord/index.ts", owner: "E (emulators-ops)", why: "807 lines, being split" },
  { rule: "file size", file: "test/emulators/discord/rest.ts", owner: "E (emulators-ops)", why: "898 lines, being split" },
  { rule: "file size", file: "test/emulators/discord/store.ts", owner: "E (emulators-ops)", why: "518 lines, being split" },
  { rule: "file size", file: "test/emulators/slack/index.ts", owner: "E (emulators-ops)", why: "761 lines, being split" },
  { rule: "file size", file: "test/emulators/slack/web-api.ts", owner: "E (emulators-ops)", why: "661 lines, being split" },
  { rule: "function size", file: "src/app.ts", owner: "A (contract)", why: "startBot: 95 lines, being split" },
  { rule: "function size", file: "src/core/meetings/service.ts", owner: "C (meetings-polls)", why: "MeetingService.modify: 62 lines, being split" },
  { rule: "function size", file: "src/core/meetings/when.ts", owner: "C (meetings-polls)", why: "parseStart: 80 lines, being split" },
  { rule: "function size", file: "src/core/reporting/figures.ts", owner: "F (layers-jobs)", why: "computeFigures: 170 lines, being split" },
  { rule: "function size", file: "src/core/watch/ingest.ts", owner: "B (onboarding-watch)", why: "ingestEntries: 71 lines, being split" },
  { rule: "import cycle", file: "src/core/meetings/change-notice.ts", owner: "C (meetings-polls)", why: "change-notice and the meetings service import each other" },
  { rule: "import cycle", file: "src/core/member-merge.ts", owner: "C (meetings-polls), then G", why: "member-merge imports voterKey from the polls service; moving voterKey to its own file unties the knot once C's split has landed" },
  { rule: "import cycle", file: "src/jobs.ts", owner: "A (contract)", why: "src/jobs.ts and the features' jobs (gone with the feature contract)" },
  { rule: "import cycle", file: "test/emulators/discord/store.ts", owner: "E (emulators-ops)", why: "the Discord emulator's store and interaction handles import each other" },
  { rule: "layers", file: "commands/annuaire.ts", owner: "A (contract)", why: "imports src/store/index.ts" },
  { rule: "layers", file: "commands/membre.ts", owner: "A (contract)", why: "imports src/store/index.ts" },
  { rule: "layers", file: "commands/profil.ts", owner: "A (contract)", why: "imports src/store/index.ts" },
  { rule: "layers", file: "src/core/onboarding/service.ts", owner: "B (onboarding-watch)", why: "imports src/scheduler/errors.ts" },
];

/** Same rule, same file; for a cycle, any knot that holds the file (its first file moves as the knot changes). */
const excuses = (exception: KnownException, violation: Violation): boolean =>
  violation.rule === exception.rule &&
  (violation.file === exception.file || (violation.rule === "import cycle" && [" ", ",", "."].some((after) => violation.message.includes(exception.file + after))));

export function withoutKnownExceptions(violations: Violation[], known: KnownException[] = KNOWN_EXCEPTIONS): Violation[] {
  return violations.filter((violation) => !known.some((exception) => excuses(exception, violation)));
}
