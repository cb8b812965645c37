import { describe, expect, it } from "vitest";
import { deadExports } from "./exports.js";
import { sourceFacts, type SourceText } from "./source-map.js";

const dead = (files: Record<string, string>): string[] => {
  const texts: SourceText[] = Object.entries(files).map(([path, text]) => ({ path, text }));
  return deadExports(sourceFacts(texts), new Map(texts.map((t) => [t.path, t.text]))).map(
    (d) => `${d.file}:${d.line} ${d.name}${d.usedInItsFile ? " (used in its file)" : ""}${d.reExport ? " (re-export)" : ""}`,
  );
};

describe("exports nobody imports", () => {
  it("are found whether declared, listed or default, and told apart from those the file still uses", () => {
    expect(
      dead({
        "src/core/roles.ts": [
          "export const ROLES = [];",
          "export const ROLE_LABELS = {};",
          "export function describeRole(role: string) { return ROLE_LABELS[role]; }",
          "export interface AttendanceRecord { id: number }",
          "const inner = 1;",
          "export { inner };",
          "export default 42;",
        ].join("\n"),
        "src/bot/router.ts": 'import { describeRole } from "../core/roles.js";\nexport type Used = ReturnType<typeof describeRole>;\n',
        "test/bot/router.test.ts": 'import type { Used } from "../../src/bot/router.js";\n',
      }),
    ).toEqual([
      "src/core/roles.ts:1 ROLES",
      "src/core/roles.ts:2 ROLE_LABELS (used in its file)",
      "src/core/roles.ts:4 AttendanceRecord",
      "src/core/roles.ts:6 inner (used in its file)",
      "src/core/roles.ts:7 default",
    ]);
  });

  it("count uses through an index, a namespace import, a destructured import() and an import type", () => {
    expect(
      dead({
        "src/scheduler/jobs.ts": "export class JobStore {}\nexport const JOB_STATES = [];\nexport const unused = 1;\n",
        "src/scheduler/index.ts": 'export * from "./jobs.js";\nexport { JOB_STATES as STATES } from "./jobs.js";\n',
        "src/core/a.ts": 'import { JobStore } from "../scheduler/index.js";\nimport * as all from "./b.js";\n',
        "src/core/b.ts": "export const one = 1;\nexport const two = 2;\n",
        "src/core/c.ts": 'const { picked } = await import("./d.js");\nexport type T = import("./e.js").Shape;\n',
        "src/core/d.ts": "export const picked = 1;\nexport const left = 2;\n",
        "src/core/e.ts": "export interface Shape {}\n",
        "src/main.ts": 'import type { T } from "./core/c.js";\nexport const started = true;\n',
      }),
    ).toEqual(["src/core/d.ts:2 left", "src/scheduler/index.ts:2 STATES (re-export)", "src/scheduler/jobs.ts:3 unused"]);
  });
});
