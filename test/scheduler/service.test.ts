import { PassThrough } from "node:stream";

import { describe, expect, it } from "vitest";

import { startBot } from "../../src/app.js";
import { ManualClock } from "../helpers/clock.js";
import { tickExpression } from "../../src/scheduler/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { deferred, freshScheduler, until } from "./helpers.js";

describe("the scheduler service", () => {
  it("ticks on its own every few seconds once started", async () => {
    const { scheduler, clock } = await freshScheduler({ timer: true, tickSeconds: 1 });
    const runs: string[] = [];
    scheduler.dispatcher.register("ping", async (job) => void runs.push(job.dedupeKey ?? ""));
    expect(await scheduler.start()).toMatchObject({ claimed: 0 });

    // Scheduled after the start-up tick: only the timer can pick it up.
    await scheduler.jobs.schedule({ kind: "ping", dueAt: clock.now(), dedupeKey: "ping:1" });
    await until(() => runs.length === 1, 3000);
    expect(runs).toEqual(["ping:1"]);
  });

  it("stops its timer and waits for the handler that is running", async () => {
    const { scheduler, clock } = await freshScheduler({ timer: true, tickSeconds: 1, stopTimeoutMs: 2000 });
    const started = deferred();
    let finished = false;
    scheduler.dispatcher.register("slow", async () => {
      started.resolve();
      await new Promise((resolve) => setTimeout(resolve, 100));
      finished = true;
    });
    await scheduler.jobs.schedule({ kind: "slow", dueAt: clock.now() });
    void scheduler.start();
    await started.promise;

    await scheduler.stop();
    expect(finished).toBe(true);
    // No tick after stop, even though a job is due.
    await scheduler.jobs.schedule({ kind: "slow", dueAt: clock.now(), dedupeKey: "after-stop" });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await scheduler.jobs.findByKey("after-stop"))?.state).toBe("pending");
  });

  it("does not wait forever for a handler that never returns", async () => {
    const { scheduler, clock, logs } = await freshScheduler({ stopTimeoutMs: 50 });
    const started = deferred();
    scheduler.dispatcher.register("stuck", async () => {
      started.resolve();
      await new Promise(() => {});
    });
    await scheduler.jobs.schedule({ kind: "stuck", dueAt: clock.now() });
    void scheduler.start();
    await started.promise;

    const t0 = Date.now();
    await scheduler.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(logs().some((l) => l.msg.includes("reprises à l'expiration de leur bail"))).toBe(true);
  });

  it("accepts tick intervals that divide a minute or an hour, and refuses others in French", () => {
    expect(tickExpression(15)).toBe("*/15 * * * * *");
    expect(tickExpression(60)).toBe("0 */1 * * * *");
    expect(tickExpression(300)).toBe("0 */5 * * * *");
    expect(tickExpression(3600)).toBe("0 0 * * * *");
    expect(() => tickExpression(7)).toThrow("Intervalle du planificateur invalide : 7 s");
    expect(() => tickExpression(0)).toThrow("Intervalle du planificateur invalide");
  });

  it("is part of the running bot: jobs run through bot.scheduler, and stopping the bot stops it", async () => {
    const config = await testConfig();
    const { log } = memoryLogger();
    const clock = new ManualClock("2026-03-02T08:00:00Z");
    const input = new PassThrough();
    // No feature: the only handler is the test's own, for a kind no feature declares.
    const bot = await startBot({ config, log, clock, input, output: new PassThrough(), scheduler: { timer: false }, features: [] });
    try {
      const seen: number[] = [];
      bot.scheduler.dispatcher.register<{ meetingId: number }>("test.reminder", async (job) => void seen.push(job.payload.meetingId));
      await bot.scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-02T17:00:00Z"), payload: { meetingId: 12 } });

      expect((await bot.scheduler.tick()).claimed).toBe(0);
      clock.set("2026-03-02T17:00:00Z");
      expect(await bot.scheduler.tick()).toMatchObject({ done: 1 });
      expect(seen).toEqual([12]);
    } finally {
      input.end();
      await bot.stop();
    }
    expect(bot.scheduler.dispatcher.stopping).toBe(true);
  });
});

const at = (iso: string) => new Date(iso);
