import { describe, expect, it } from "vitest";
import { staleExceptions, withoutKnownExceptions, type KnownException } from "./exceptions.js";
import { architectureViolations, catalogViolations, cycleViolations, fileSizeViolations, functionSizeViolations, layerViolations } from "./rules.js";
import { sourceFacts, type SourceText } from "./source-map.js";

/** Small made-up trees, each breaking one rule, so that every check is seen to fail. */
const tree = (files: Record<string, string>): SourceText[] => Object.entries(files).map(([path, text]) => ({ path, text }));
const lines = (count: number, line = "const x = 1;"): string => `${Array.from({ length: count }, () => line).join("\n")}\n`;
const fn = (name: string, bodyLines: number): string => `export function ${name}() {\n${lines(bodyLines - 2, "  void 0;")}}\n`;

describe("the layer rules", () => {
  it("refuse a scheduler or store file that imports a feature or a platform", () => {
    const found = layerViolations(
      sourceFacts(
        tree({
          "src/core/clock.ts": "export interface Clock { now(): Date }\n",
          "src/platforms/discord/adapter.ts": "export const x = 1;\n",
          "src/scheduler/jobs.ts": 'import type { Clock } from "../core/clock.js";\n',
          "src/store/purge.ts": 'import "../platforms/discord/adapter.js";\n',
          "src/scheduler/ok.ts": 'import { z } from "zod";\nimport "../store/purge.js";\n',
        }),
      ),
    );
    expect(found.map((v) => [v.file, v.line])).toEqual([
      ["src/scheduler/jobs.ts", 1],
      ["src/store/purge.ts", 1],
    ]);
    expect(found[0]!.message).toMatch(/^src\/scheduler\/jobs\.ts:1 imports src\/core\/clock\.ts, but the scheduler and the store .* know none of them/);
  });

  it("refuse a feature that imports discord.js, any @slack package, matrix-js-sdk or src/platforms/, even for types", () => {
    const found = layerViolations(
      sourceFacts(
        tree({
          "src/core/a.ts": 'import type { Client } from "discord.js";\n',
          "src/core/b/service.ts": 'import { App } from "@slack/bolt";\nimport type { WebClient } from "@slack/web-api";\n',
          "src/core/c.ts": 'const sdk = await import("matrix-js-sdk");\n',
          "src/core/d.ts": 'export type { Adapter } from "../platforms/adapter.js";\n',
          "src/core/fine.ts": 'import { DateTime } from "luxon";\nimport type { Store } from "../store/index.js";\n',
        }),
      ),
    );
    expect(found.map((v) => v.file)).toEqual(["src/core/a.ts", "src/core/b/service.ts", "src/core/b/service.ts", "src/core/c.ts", "src/core/d.ts"]);
    expect(found[1]!.message).toContain("imports the package @slack/bolt, but the features (src/core/) and the router (src/bot/) know no platform");
  });

  it("let features, the router and commands read the platform catalog, and only it", () => {
    const found = layerViolations(
      sourceFacts(
        tree({
          "src/platforms/catalog.ts": "export const PLATFORM_CATALOG = [];\n",
          "src/core/members.ts": 'import { PLATFORM_CATALOG } from "../platforms/catalog.js";\n',
          "src/bot/router.ts": 'import { PLATFORM_CATALOG } from "../platforms/catalog.js";\nimport { render } from "../platforms/discord/render.js";\n',
          "commands/config.ts": 'import { PLATFORM_CATALOG } from "../src/platforms/catalog.js";\n',
        }),
      ),
    );
    expect(found.map((v) => `${v.file}:${v.line}`)).toEqual(["src/bot/router.ts:2"]);
  });

  it("refuse a platform catalog that reaches an adapter or a platform library, even through a descriptor", () => {
    const files = tree({
      "src/platforms/catalog.ts": 'import { discord } from "./discord/descriptor.js";\nimport { slack } from "./slack/descriptor.js";\n',
      "src/platforms/descriptor.ts": 'import type { z } from "zod";\n',
      "src/platforms/discord/descriptor.ts": 'import "../descriptor.js";\nimport "../../env-fields.js";\n',
      "src/env-fields.ts": 'import { z } from "zod";\n',
      "src/platforms/slack/descriptor.ts": 'import { App } from "@slack/bolt";\nimport "./adapter.js";\n',
      "src/platforms/slack/adapter.ts": 'import "matrix-js-sdk";\n',
    });
    expect(catalogViolations(sourceFacts(files)).map((v) => v.message)).toEqual([
      expect.stringMatching(/^src\/platforms\/slack\/descriptor\.ts:1 imports the package @slack\/bolt, and src\/platforms\/catalog\.ts reaches it: the catalog the features read must stay data/),
      expect.stringMatching(/^src\/platforms\/slack\/descriptor\.ts:2 imports src\/platforms\/slack\/adapter\.ts, and src\/platforms\/catalog\.ts reaches it/),
      expect.stringMatching(/^src\/platforms\/slack\/adapter\.ts:1 imports the package matrix-js-sdk/),
    ]);
  });

  it("refuse a command that imports Prisma, the store or a platform", () => {
    const found = layerViolations(
      sourceFacts(
        tree({
          "commands/a.ts": 'import type { PrismaClient } from "@prisma/client";\n',
          "commands/b.ts": 'import type { Store } from "../src/store/index.js";\n',
          "commands/c.ts": 'import { render } from "../src/platforms/slack/render.js";\n',
          "commands/fine.ts": 'import { defineCommand } from "../src/bot/command.js";\n',
        }),
      ),
    );
    expect(found.map((v) => v.file)).toEqual(["commands/a.ts", "commands/b.ts", "commands/c.ts"]);
    expect(found[1]!.message).toContain("a command talks to the features only: not to the database");
  });


  it("refuse a feature or a command that reaches inside the scheduler instead of its index", () => {
    const found = layerViolations(
      sourceFacts(
        tree({
          "src/scheduler/index.ts": 'export * from "./jobs.js";\n',
          "src/scheduler/jobs.ts": "export class JobStore {}\n",
          "src/core/services.ts": 'import type { JobStore } from "../scheduler/jobs.js";\n',
          "commands/x.ts": 'import type { JobStore } from "../src/scheduler/index.js";\n',
          "src/app.ts": 'import { JobStore } from "./scheduler/jobs.js";\n',
        }),
      ),
    );
    expect(found.map((v) => v.message)).toEqual([
      "src/core/services.ts:1 imports src/scheduler/jobs.ts, but features and commands use the scheduler only through its front door, src/scheduler/index.ts. Instead, import from src/scheduler/index.js, and export there what is missing.",
    ]);
  });

  it("refuse a shared file that imports anything of the repository outside src/shared/, the database or a platform, and let every layer import it", () => {
    const found = layerViolations(
      sourceFacts(
        tree({
          "src/shared/clock.ts": "export interface Clock { now(): Date }\n",
          "src/shared/plural.ts": 'import type { Clock } from "./clock.js";\nimport { z } from "zod";\n',
          "src/shared/dates.ts": 'import type { Member } from "../core/members.js";\n',
          "src/shared/db.ts": 'import type { PrismaClient } from "@prisma/client";\nimport "../store/index.js";\n',
          "src/shared/log.ts": 'import "../logger.js";\nimport "discord.js";\n',
          "src/core/members.ts": 'import type { Clock } from "../shared/clock.js";\n',
          "src/logger.ts": "export const log = 1;\n",
          "src/store/index.ts": 'import { plural } from "../shared/plural.js";\n',
          "src/scheduler/jobs.ts": 'import type { Clock } from "../shared/clock.js";\n',
          "commands/x.ts": 'import { plural } from "../src/shared/plural.js";\n',
        }),
      ),
    );
    expect(found.map((v) => `${v.file}:${v.line}`)).toEqual(["src/shared/dates.ts:1", "src/shared/db.ts:1", "src/shared/db.ts:2", "src/shared/log.ts:1", "src/shared/log.ts:2"]);
    expect(found[0]!.message).toMatch(/^src\/shared\/dates\.ts:1 imports src\/core\/members\.ts, but src\/shared\/ sits below every layer and knows nothing of the bot/);
  });
});

describe("the size rules", () => {
  it("refuse a source file over 400 lines, emulators included, but not a specification", () => {
    const found = fileSizeViolations(
      sourceFacts(
        tree({
          "src/core/long.ts": lines(401),
          "src/core/just.ts": lines(400),
          "test/emulators/discord/rest.ts": lines(500),
          "test/e2e/long.test.ts": lines(900),
        }),
      ),
    );
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^src\/core\/long\.ts has 401 lines, more than the 400 a file may have\. Split it/),
      expect.stringMatching(/^test\/emulators\/discord\/rest\.ts has 500 lines/),
    ]);
  });

  it("refuse a function over 60 lines, naming it, whatever its form", () => {
    const method = `export class SlackAdapter {\n  listen() {\n${lines(60, "    void 0;")}  }\n}\n`;
    const arrow = `export const handler = async () => {\n${lines(61, "  void 0;")}};\n`;
    const found = functionSizeViolations(
      sourceFacts(
        tree({
          "src/core/reporting/figures.ts": fn("computeFigures", 61) + fn("short", 60),
          "src/platforms/slack/adapter.ts": method,
          "commands/x.ts": arrow,
          "bench/y.ts": fn("benchmark", 100),
        }),
      ),
    );
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^commands\/x\.ts:1 handler is 63 lines long, more than the 60/),
      expect.stringMatching(/^src\/core\/reporting\/figures\.ts:1 computeFigures is 61 lines long/),
      expect.stringMatching(/^src\/platforms\/slack\/adapter\.ts:2 SlackAdapter\.listen is 62 lines long/),
    ]);
  });
});

describe("the cycle rule", () => {
  it("refuses two files importing each other, type imports included", () => {
    const found = cycleViolations(
      sourceFacts(
        tree({
          "src/jobs.ts": 'import type { Handlers } from "./core/meetings/jobs.js";\n',
          "src/core/meetings/jobs.ts": 'import { register } from "../../jobs.js";\n',
          "src/core/meetings/service.ts": 'import "./jobs.js";\n',
        }),
      ),
    );
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^These files import each other in a loop: src\/core\/meetings\/jobs\.ts → src\/jobs\.ts → src\/core\/meetings\/jobs\.ts\. Break it/),
    ]);
  });

  it("shows the shortest loop of a longer knot and names the other files in it", () => {
    const found = cycleViolations(
      sourceFacts(
        tree({
          "src/a.ts": 'import "./b.js";\n',
          "src/b.ts": 'import "./c.js";\nimport "./d.js";\n',
          "src/c.ts": 'import "./a.js";\n',
          "src/d.ts": 'import "./b.js";\n',
          "src/e.ts": 'import "./a.js";\n',
        }),
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("src/a.ts → src/b.ts → src/c.ts → src/a.ts. The same knot also holds src/d.ts.");
  });

  it("accepts imports that only go one way", () => {
    const files = tree({ "src/a.ts": 'import "./b.js";\n', "src/b.ts": 'import "./c.js";\n', "src/c.ts": "export {};\n", "src/d.ts": 'import "./a.js";\nimport "./c.js";\n' });
    expect(architectureViolations(sourceFacts(files))).toEqual([]);
  });
});

describe("the known exceptions", () => {
  it("excuse only the named rule in the named file", () => {
    const found = architectureViolations(sourceFacts(tree({ "src/core/a.ts": `${lines(401)}import "discord.js";\n` })));
    expect(found.map((v) => v.rule)).toEqual(["layers", "file size"]);
    const left = withoutKnownExceptions(found, [{ rule: "file size", file: "src/core/a.ts", owner: "someone", why: "being split" }]);
    expect(left.map((v) => v.rule)).toEqual(["layers"]);
  });

  it("excuse a cycle by any file of its knot", () => {
    const found = cycleViolations(sourceFacts(tree({ "src/a.ts": 'import "./b.js";\n', "src/b.ts": 'import "./a.js";\n' })));
    expect(withoutKnownExceptions(found, [{ rule: "import cycle", file: "src/b.ts", owner: "someone", why: "being untied" }])).toEqual([]);
    expect(withoutKnownExceptions(found, [{ rule: "import cycle", file: "src/c.ts", owner: "someone", why: "another knot" }])).toHaveLength(1);
  });

  it("call stale an exception whose violation was fixed (or never was), so that its line goes", () => {
    const found = architectureViolations(sourceFacts(tree({ "src/core/a.ts": lines(401), "src/core/b.ts": lines(10), "src/x.ts": 'import "./y.js";\n', "src/y.ts": 'import "./x.js";\n' })));
    const known: KnownException[] = [
      { rule: "file size", file: "src/core/a.ts", owner: "A", why: "401 lines, being split" },
      { rule: "file size", file: "src/core/b.ts", owner: "B", why: "split already" },
      { rule: "function size", file: "src/core/a.ts", owner: "A", why: "another rule than the one broken" },
      { rule: "import cycle", file: "src/y.ts", owner: "C", why: "held by its knot" },
    ];
    expect(staleExceptions(found, known)).toEqual([
      expect.stringMatching(/^test\/architecture\/exceptions\.ts excuses « file size » in src\/core\/b\.ts \(B\), but src\/core\/b\.ts no longer breaks that rule\. Remove its line/),
      expect.stringMatching(/« function size » in src\/core\/a\.ts \(A\)/),
    ]);
  });
});
