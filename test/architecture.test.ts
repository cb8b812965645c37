import { beforeAll, describe, expect, it } from "vitest";
import { excuses, KNOWN_EXCEPTIONS, withoutKnownExceptions } from "./architecture/exceptions.js";
import { architectureViolations, LAYER_RULES, layerViolations, type Violation } from "./architecture/rules.js";
import { readSources, sourceFacts, type SourceFacts } from "./architecture/source-map.js";

/**
 * The shape ARCHITECTURE.md describes, held on every file of the repository (see test/architecture/rules.ts).
 * The other rules of issue 15 (scheduler and store below the features, commands away from the database,
 * sizes, cycles) join here as soon as the refactoring makes the code pass them.
 */
describe("the architecture of the repository", () => {
  let files: SourceFacts[];
  beforeAll(() => {
    files = sourceFacts(readSources(".", ["src", "commands", "scripts", "bench", "test"]));
  }, 120_000);

  /** The messages a newcomer reads when a rule breaks: file, line, rule and what to do instead. */
  const messages = (found: Violation[]): string[] => withoutKnownExceptions(found).map((violation) => violation.message);

  it("reads the whole tree (the checks below would pass on nothing)", () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files.some((file) => file.path === "src/scheduler/index.ts")).toBe(true);
    expect(files.some((file) => file.path.startsWith("test/emulators/"))).toBe(true);
  });

  it("keeps the features (src/core/) free of any platform", () => {
    expect(messages(layerViolations(files, [LAYER_RULES[1]!]))).toEqual([]);
  });

  it("lists as known exceptions only violations that still exist", () => {
    const all = architectureViolations(files);
    const stale = KNOWN_EXCEPTIONS.filter((exception) => !all.some((violation) => excuses(exception, violation)));
    expect(stale.map((exception) => `${exception.rule} in ${exception.file} is fixed: remove it from test/architecture/exceptions.ts`)).toEqual([]);
  });
});
