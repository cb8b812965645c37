/**
 * The scheduler wakes at the next due time: a job leaves within a moment of its dueAt, not at the
 * next periodic tick (here 30 s away), whether it was planned before the start, scheduled while
 * running, or moved earlier. Real time, real timers, a real SQLite file.
 */
import { describe, expect, it } from "vitest";

import { systemClock } from "../../src/shared/clock.js";
import { Scheduler, type SchedulerTuning } from "../../src/scheduler/index.js";
import { openStore } from "../../src/store/index.js";
import { memoryLogger } from "../helpers/bot.js";
import { freshStoreUrl } from "../store/fixture.js";
import { until } from "./helpers.js";

/**
 * Well under the 30 s periodic tick, so only the wake timer can meet it, yet loose enough for a
 * loaded test machine; bench/crash.ts measures the real figure (p99 of due → received).
 */
const LATE_BOUND_MS = 3000;

async function runningScheduler(tuning: SchedulerTuning = {}) {
  const url = await freshStoreUrl();
  const store = await openStore(url);
  const { log } = memoryLogger();
  // The periodic tick every 30 s: anything faster than that is the wake timer's doing.
  const scheduler = new Scheduler({ prisma: store.prisma, clock: systemClock, log, tickSeconds: 30, stopTimeoutMs: 1000, ...tuning });
  const ranAt = new Map<string, number>();
  scheduler.dispatcher.register("ping", async (job) => void ranAt.set(job.dedupeKey ?? "", Date.now()));
  return {
    url,
    store,
    scheduler,
    ranAt,
    async close() {
      await scheduler.stop();
      await store.close();
    },
  };
}

describe("the scheduler's wake timer", () => {
  it("runs a job planned before the start at its due time, not at the next tick", async () => {
    const s = await runningScheduler();
    try {
      const dueAt = new Date(Date.now() + 1200);
      await s.scheduler.jobs.schedule({ kind: "ping", dueAt, dedupeKey: "before-start" });
      await s.scheduler.start();
      await until(() => s.ranAt.has("before-start"), 15_000);
      const late = s.ranAt.get("before-start")! - dueAt.getTime();
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(LATE_BOUND_MS);
    } finally {
      await s.close();
    }
  });

  it("is brought forward by a job scheduled while it sleeps, and by a job moved earlier", async () => {
    const s = await runningScheduler();
    try {
      await s.scheduler.start();
      const soon = new Date(Date.now() + 800);
      await s.scheduler.jobs.schedule({ kind: "ping", dueAt: new Date(Date.now() + 3_600_000), dedupeKey: "moved" });
      await s.scheduler.jobs.schedule({ kind: "ping", dueAt: soon, dedupeKey: "scheduled" });
      await until(() => s.ranAt.has("scheduled"), 15_000);
      expect(s.ranAt.get("scheduled")! - soon.getTime()).toBeLessThan(LATE_BOUND_MS);

      const moved = new Date(Date.now() + 500);
      expect(await s.scheduler.jobs.reschedule("moved", moved)).toBe(true);
      await until(() => s.ranAt.has("moved"), 15_000);
      expect(s.ranAt.get("moved")! - moved.getTime()).toBeLessThan(LATE_BOUND_MS);
    } finally {
      await s.close();
    }
  });

  it("picks up a job another process scheduled, at the latest after its cap", async () => {
    const s = await runningScheduler({ wakeCapMs: 500 });
    try {
      await s.scheduler.start();
      // Written by another connection, as another bot instance would: this scheduler is not told.
      const other = await openStore(s.url);
      try {
        await other.prisma.job.create({ data: { kind: "ping", dueAt: new Date(), payload: "{}", dedupeKey: "elsewhere", createdAt: new Date(), updatedAt: new Date() } });
      } finally {
        await other.close();
      }
      const written = Date.now();
      await until(() => s.ranAt.has("elsewhere"), 15_000);
      expect(s.ranAt.get("elsewhere")! - written).toBeLessThan(LATE_BOUND_MS + 500);
    } finally {
      await s.close();
    }
  });
});
