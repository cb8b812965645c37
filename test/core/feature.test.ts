/**
 * The feature contract: each feature is built once, after the features it needs, with its own
 * options and logger; its jobs, listeners and start-up work are wired by startFeatures.
 */
import { describe, expect, it } from "vitest";
import { buildFeatures, defineFeature, handle, startFeatures, type FeatureBase, type FeatureDeps } from "../../src/core/feature.js";
import type { Dispatcher, NoPayload } from "../../src/scheduler/index.js";
import { memoryLogger } from "../helpers/bot.js";
import { coreOnFreshStore } from "../helpers/store.js";
import { buildTestFeatures } from "../helpers/features.js";
import { ActivityService } from "../../src/core/activity/service.js";
import { JobFailureReports } from "../../src/core/job-failures/report.js";
import { Privacy } from "../../src/core/privacy/privacy.js";
import { QuestionService } from "../../src/core/questions/service.js";
import { Reporting } from "../../src/core/reporting/index.js";

/** The made-up kind of the test feature below, declared as every feature declares its kinds. */
declare module "../../src/scheduler/index.js" {
  interface JobPayloads {
    "greeter.remind": NoPayload;
  }
}

const built: string[] = [];
const meetings = defineFeature({ name: "meetings", needs: [], create: () => (built.push("meetings"), { count: 3 }) });
const polls = defineFeature({
  name: "polls",
  needs: [meetings],
  create: ({ needs, options }: FeatureDeps<[typeof meetings], { windowMs: number }>) => (built.push("polls"), { meetings: needs.meetings.count, windowMs: options.windowMs ?? 500 }),
});

function base(): FeatureBase {
  // Only what these descriptions read; the real app passes the whole wiring.
  return { log: memoryLogger().log } as FeatureBase;
}

describe("buildFeatures", () => {
  it("builds each feature once, what it needs first, even when the list omits it", () => {
    built.length = 0;
    const { instances, order } = buildFeatures([polls], base());
    expect(built).toEqual(["meetings", "polls"]);
    expect(order.map((f) => f.name)).toEqual(["meetings", "polls"]);
    expect(instances.polls).toEqual({ meetings: 3, windowMs: 500 });
  });

  it("hands each feature its own options", () => {
    const { instances } = buildFeatures([meetings, polls], base(), { polls: { windowMs: 20 } });
    expect(instances.polls).toEqual({ meetings: 3, windowMs: 20 });
  });

  it("refuses two features with one name, and features that need each other", () => {
    const other = defineFeature({ name: "meetings", needs: [], create: () => 1 });
    expect(() => buildFeatures([meetings, other], base())).toThrow("Two features are named « meetings »");
    const a: { name: "a"; needs: unknown[]; create: () => number } = { name: "a", needs: [], create: () => 1 };
    const b = defineFeature({ name: "b", needs: [a as never], create: () => 2 });
    a.needs.push(b);
    expect(() => buildFeatures([b], base())).toThrow("Features depend on each other: b → a → b");
  });
});

describe("startFeatures", () => {
  it("registers the jobs with their options, the listeners, then runs the start-up work, in build order", async () => {
    const { store, services, clock } = await coreOnFreshStore();
    const steps: string[] = [];
    const registered: { kind: string; options?: unknown }[] = [];
    const dispatcher = { register: (kind: string, _run: unknown, options?: unknown) => registered.push({ kind, options }), onJobFailed: () => steps.push("onJobFailed") } as unknown as Dispatcher;
    const greeter = defineFeature({
      name: "greeter",
      needs: [],
      create: () => ({ greeted: [] as string[] }),
      jobs: () => ({ "greeter.remind": handle(async () => undefined, { skipIfLateBy: 60_000 }) }),
      listeners: (self) => ({ joined: (event) => void self.greeted.push(event.user.id) }),
      start: (_self, { onJobFailed }) => (steps.push("greeter started"), onJobFailed(async () => undefined)),
    });
    const log = memoryLogger().log;
    const features = buildFeatures([greeter], { ...base(), db: store.prisma, services, clock });
    await startFeatures(features, { services, clock, timeZone: "Europe/Paris", config: {} as never, jobs: services.jobs, recurring: {} as never }, dispatcher, log);
    expect(registered).toEqual([{ kind: "greeter.remind", options: { skipIfLateBy: 60_000 } }]);
    expect(steps).toEqual(["greeter started", "onJobFailed"]);
    await services.events.emit({ type: "joined", user: { platform: "console", id: "nora", workspaceId: "", displayName: "Nora" } });
    expect((features.instances.greeter as { greeted: string[] }).greeted).toEqual(["nora"]);
  });
});

describe("the bot's feature list", () => {
  it("builds every feature once, each reachable by its name", async () => {
    const { store, databaseUrl, services, clock } = await coreOnFreshStore();
    const features = buildTestFeatures({ store, databaseUrl, services, clock, log: memoryLogger().log });
    expect(features.activity).toBeInstanceOf(ActivityService);
    expect(features.questions).toBeInstanceOf(QuestionService);
    expect(features.privacy).toBeInstanceOf(Privacy);
    expect(features.reporting).toBeInstanceOf(Reporting);
    expect(features.jobFailures).toBeInstanceOf(JobFailureReports);
    // A SQLite store is backed up by the bot itself.
    expect(features.backups?.dbFile).toMatch(/\.db$/);
  });
});
