import { beforeAll, describe, expect, it } from "vitest";
import { staleExceptions, withoutKnownExceptions } from "./architecture/exceptions.js";
import {
  architectureViolations,
  catalogViolations,
  cycleViolations,
  fileSizeViolations,
  functionSizeViolations,
  LAYER_RULES,
  layerViolations,
  MAX_FILE_LINES,
  MAX_FUNCTION_LINES,
  type Violation,
} from "./architecture/rules.js";
import { deadExports } from "./architecture/exports.js";
import { readSources, sourceFacts, type SourceFacts, type SourceText } from "./architecture/source-map.js";

/**
 * The shape ARCHITECTURE.md describes, held on every file of the repository (see test/architecture/rules.ts),
 * less the known exceptions of test/architecture/exceptions.ts, each with its owner.
 */
describe("the architecture of the repository", () => {
  let texts: SourceText[];
  let files: SourceFacts[];
  beforeAll(() => {
    texts = readSources(".", ["src", "commands", "scripts", "bench", "test"]);
    files = sourceFacts(texts);
  }, 120_000);

  /** The messages a newcomer reads when a rule breaks: file, line, rule and what to do instead. */
  const messages = (found: Violation[]): string[] => withoutKnownExceptions(found).map((violation) => violation.message);

  it("reads the whole tree (the checks below would pass on nothing)", () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files.some((file) => file.path === "src/scheduler/index.ts")).toBe(true);
    expect(files.some((file) => file.path.startsWith("test/emulators/"))).toBe(true);
  });

  it("keeps the scheduler and the store below the features and the platforms", () => {
    expect(messages(layerViolations(files, [LAYER_RULES[0]!]))).toEqual([]);
  });

  it("keeps the features (src/core/) and the router (src/bot/) free of any platform", () => {
    expect(messages(layerViolations(files, [LAYER_RULES[1]!]))).toEqual([]);
  });

  it("keeps the platform catalog (the one file of src/platforms/ that features read) free of adapters and platform libraries", () => {
    expect(messages(catalogViolations(files))).toEqual([]);
  });

  it("keeps commands away from the database and from the platforms", () => {
    expect(messages(layerViolations(files, [LAYER_RULES[2]!]))).toEqual([]);
  });

  it("lets features and commands reach the scheduler only through src/scheduler/index.ts", () => {
    expect(messages(layerViolations(files, [LAYER_RULES[3]!]))).toEqual([]);
  });

  it("keeps src/shared/ below every layer: it imports nothing else of the repository, nor the database or a platform", () => {
    expect(messages(layerViolations(files, [LAYER_RULES[4]!]))).toEqual([]);
  });

  it(`keeps every source file within ${MAX_FILE_LINES} lines, emulators and helpers included (specifications excepted)`, () => {
    expect(messages(fileSizeViolations(files))).toEqual([]);
  });

  it(`keeps every function of the bot, its commands and its scripts within ${MAX_FUNCTION_LINES} lines`, () => {
    expect(messages(functionSizeViolations(files))).toEqual([]);
  });

  it("has no two files importing each other, directly or round a loop, type imports included", () => {
    expect(messages(cycleViolations(files))).toEqual([]);
  });

  it("exports only what another file imports (an export nobody takes sends a reader looking for users that do not exist)", () => {
    const dead = deadExports(files, new Map(texts.map((text) => [text.path, text.text])));
    expect(
      dead.map((d) => `${d.file}:${d.line} ${d.name}: ${d.usedInItsFile ? "used only in its own file, drop « export »" : "used nowhere, delete it"}${d.reExport ? " (passed on by an index)" : ""}`),
    ).toEqual([]);
  });

  it("lists no known exception that no longer matches a violation (the list only shrinks)", () => {
    expect(staleExceptions(architectureViolations(files))).toEqual([]);
  });

});
