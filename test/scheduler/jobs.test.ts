import { describe, expect, it } from "vitest";

import { backoffMs } from "../../src/scheduler/index.js";
import { at, freshScheduler, openInstance } from "./helpers.js";

describe("the job table", () => {
  it("keeps one pending job per dedupe key", async () => {
    const { scheduler, store } = await freshScheduler();
    const first = await scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-10T17:00:00Z"), payload: { meetingId: 7 }, dedupeKey: "meeting:7:reminder" });
    const second = await scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-11T17:00:00Z"), payload: { meetingId: 7, moved: true }, dedupeKey: "meeting:7:reminder" });
    const third = await scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-11T17:00:00Z"), payload: { meetingId: 7, moved: true }, dedupeKey: "meeting:7:reminder" });

    expect([first.outcome, second.outcome, third.outcome]).toEqual(["created", "updated", "unchanged"]);
    const rows = await store.prisma.job.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.job.id, state: "pending", dueAt: at("2026-03-11T17:00:00Z"), payload: '{"meetingId":7,"moved":true}' });
  });

  it("does not run a job again when its key is scheduled after it ran", async () => {
    const { scheduler, clock } = await freshScheduler();
    let runs = 0;
    scheduler.dispatcher.register("welcome", async () => void runs++);
    await scheduler.jobs.schedule({ kind: "welcome", dueAt: clock.now(), dedupeKey: "welcome:42" });
    await scheduler.tick();

    const again = await scheduler.jobs.schedule({ kind: "welcome", dueAt: clock.now(), dedupeKey: "welcome:42" });
    await scheduler.tick();

    expect(again).toMatchObject({ outcome: "unchanged", job: { state: "done" } });
    expect(runs).toBe(1);
  });

  it("makes a cancelled job pending again when its key is scheduled again, and runs it once", async () => {
    const { scheduler, clock } = await freshScheduler();
    let runs = 0;
    scheduler.dispatcher.register("nudge", async () => void runs++);
    await scheduler.jobs.schedule({ kind: "nudge", dueAt: at("2026-03-05T09:00:00Z"), payload: { index: 1 }, dedupeKey: "nudge:1" });
    expect(await scheduler.jobs.cancel("nudge:1")).toBe(1);
    const again = await scheduler.jobs.schedule({ kind: "nudge", dueAt: at("2026-03-06T09:00:00Z"), payload: { index: 1 }, dedupeKey: "nudge:1" });
    expect(again).toMatchObject({ outcome: "revived", job: { state: "pending", dueAt: at("2026-03-06T09:00:00Z"), attempts: 0, finishedAt: null } });
    clock.set("2026-03-06T09:00:00Z");
    await scheduler.tick();
    await scheduler.tick();
    expect(runs).toBe(1);
  });

  it("ends up with one job when two processes schedule the same key at the same moment", async () => {
    const a = await freshScheduler();
    const b = await openInstance(a.url, a.clock);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).scheduler.jobs.schedule({ kind: "poll.close", dueAt: at("2026-03-05T18:00:00Z"), payload: { pollId: 3 }, dedupeKey: "poll:3:close" }),
      ),
    );
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(await a.store.prisma.job.count()).toBe(1);
  });

  it("creates a feature's row and its job together, or neither", async () => {
    const { scheduler, store } = await freshScheduler();
    await expect(
      store.prisma.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "poll:9", value: "ouvert" } });
        await scheduler.jobs.schedule({ kind: "poll.close", dueAt: at("2026-03-05T18:00:00Z"), dedupeKey: "poll:9:close" }, tx);
        throw new Error("la création du sondage échoue après coup");
      }),
    ).rejects.toThrow("échoue");
    expect(await store.prisma.job.count()).toBe(0);
    expect(await store.prisma.setting.count({ where: { key: "poll:9" } })).toBe(0);

    await store.prisma.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "poll:9", value: "ouvert" } });
      await scheduler.jobs.schedule({ kind: "poll.close", dueAt: at("2026-03-05T18:00:00Z"), dedupeKey: "poll:9:close" }, tx);
    });
    expect(await store.prisma.job.count()).toBe(1);
  });

  it("cancels pending jobs by key or by payload, never one that is running or done", async () => {
    const { scheduler, clock } = await freshScheduler();
    const { jobs } = scheduler;
    const later = at("2026-03-09T08:00:00Z");
    await jobs.schedule({ kind: "test.reminder", dueAt: later, payload: { meetingId: 1 }, dedupeKey: "meeting:1:reminder" });
    await jobs.schedule({ kind: "test.reminder", dueAt: later, payload: { meetingId: 2 } });
    await jobs.schedule({ kind: "test.reminder", dueAt: later, payload: { meetingId: 2, second: true } });
    await jobs.schedule({ kind: "test.reminder", dueAt: later, payload: { meetingId: 3 } });
    const running = await jobs.schedule({ kind: "test.reminder", dueAt: clock.now(), payload: { meetingId: 2 } });
    await jobs.claimDue(clock.now(), { limit: 10, leaseMs: 60_000, workerId: "w" });

    expect(await jobs.cancel("meeting:1:reminder")).toBe(1);
    expect(await jobs.cancel("meeting:1:reminder")).toBe(0);
    expect(await jobs.cancel({ kind: "test.reminder", where: (p) => (p as { meetingId: number }).meetingId === 2 })).toBe(2);

    const states = (await jobs.list({ order: "asc" })).map((j) => [JSON.parse(j.payload).meetingId, j.state]);
    expect(states).toEqual([[2, "running"], [1, "cancelled"], [2, "cancelled"], [2, "cancelled"], [3, "pending"]]);
    expect((await jobs.get(running.job.id))?.state).toBe("running");
    const cancelled = await jobs.findByKey("meeting:1:reminder");
    expect(cancelled).toMatchObject({ state: "cancelled", finishedAt: clock.now() });
  });

  it("moves a pending job to a new time", async () => {
    const { scheduler } = await freshScheduler();
    await scheduler.jobs.schedule({ kind: "poll.close", dueAt: at("2026-03-05T18:00:00Z"), dedupeKey: "poll:4:close" });
    expect(await scheduler.jobs.reschedule("poll:4:close", at("2026-03-06T18:00:00Z"))).toBe(true);
    expect(await scheduler.jobs.reschedule("poll:unknown:close", at("2026-03-06T18:00:00Z"))).toBe(false);
    expect((await scheduler.jobs.findByKey("poll:4:close"))?.dueAt).toEqual(at("2026-03-06T18:00:00Z"));
  });

  it("claims only due jobs, oldest first, and marks them running under a lease", async () => {
    const { scheduler, clock } = await freshScheduler();
    const { jobs } = scheduler;
    const now = clock.now();
    await jobs.schedule({ kind: "k", dueAt: at("2026-03-02T07:59:00Z"), payload: { n: 2 } });
    await jobs.schedule({ kind: "k", dueAt: at("2026-03-02T07:00:00Z"), payload: { n: 1 } });
    await jobs.schedule({ kind: "k", dueAt: at("2026-03-02T08:00:01Z"), payload: { n: 3 } });
    await jobs.schedule({ kind: "other", dueAt: at("2026-03-02T06:00:00Z"), payload: { n: 0 } });

    const claimed = await jobs.claimDue(now, { limit: 10, leaseMs: 120_000, workerId: "host:1", kinds: ["k"] });
    expect(claimed.map((j) => JSON.parse(j.payload).n)).toEqual([1, 2]);
    for (const job of claimed) {
      expect(job).toMatchObject({ state: "running", attempts: 1, leaseUntil: at("2026-03-02T08:02:00Z") });
      expect(job.lockedBy).toMatch(/^host:1#/);
    }
    expect(await jobs.claimDue(now, { limit: 10, leaseMs: 120_000, workerId: "host:2", kinds: ["k"] })).toEqual([]);
  });

  it("fences out a process whose claim was taken over", async () => {
    const { scheduler, clock } = await freshScheduler();
    const { jobs } = scheduler;
    await jobs.schedule({ kind: "k", dueAt: clock.now() });
    const [first] = await jobs.claimDue(clock.now(), { limit: 1, leaseMs: 60_000, workerId: "a" });
    clock.advance(61_000);
    const [second] = await jobs.claimDue(clock.now(), { limit: 1, leaseMs: 60_000, workerId: "b" });
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });

    expect(await jobs.complete(first!)).toBe(false);
    expect(await jobs.fail(first!, new Error("trop tard"))).toBe("lost");
    expect(await jobs.complete(second!)).toBe(true);
    expect(await jobs.get(first!.id)).toMatchObject({ state: "done", finishedAt: clock.now(), leaseUntil: null });
  });

  it("backs off 30 s, 1 min, 2 min … up to an hour", () => {
    expect([1, 2, 3, 4, 10, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });

  it("lists jobs and counts them by state for admin views", async () => {
    const { scheduler, clock } = await freshScheduler();
    const { jobs } = scheduler;
    await jobs.schedule({ kind: "a", dueAt: at("2026-03-03T08:00:00Z") });
    await jobs.schedule({ kind: "b", dueAt: at("2026-03-04T08:00:00Z") });
    await jobs.schedule({ kind: "a", dueAt: at("2026-03-05T08:00:00Z"), dedupeKey: "a:3" });
    await jobs.cancel("a:3");

    expect((await jobs.list({ kind: "a" })).map((j) => j.dueAt)).toEqual([at("2026-03-03T08:00:00Z"), at("2026-03-05T08:00:00Z")]);
    expect(await jobs.list({ state: "pending", dueBefore: at("2026-03-04T00:00:00Z") })).toHaveLength(1);
    expect((await jobs.list({ order: "desc", limit: 1 }))[0]?.kind).toBe("a");
    expect(await jobs.countByState()).toEqual({ pending: 2, running: 0, done: 0, failed: 0, cancelled: 1 });
    expect(clock.now()).toEqual(at("2026-03-02T08:00:00Z"));
  });

  it("refuses a job without kind, with an invalid date or a payload that is not JSON", async () => {
    const { scheduler } = await freshScheduler();
    await expect(scheduler.jobs.schedule({ kind: "", dueAt: at("2026-03-03T08:00:00Z") })).rejects.toThrow("type");
    await expect(scheduler.jobs.schedule({ kind: "a", dueAt: new Date("n'importe quand") })).rejects.toThrow("Date d'échéance invalide");
    await expect(scheduler.jobs.schedule({ kind: "a", dueAt: at("2026-03-03T08:00:00Z"), payload: () => 1 })).rejects.toThrow("JSON");
    await expect(scheduler.jobs.schedule({ kind: "a", dueAt: at("2026-03-03T08:00:00Z"), maxAttempts: 0 })).rejects.toThrow("essais");
  });
});
