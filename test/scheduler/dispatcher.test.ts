import { describe, expect, it } from "vitest";

import { PermanentError, RetryLater, type JobContext } from "../../src/scheduler/index.js";
import { at, deferred, freshScheduler, openInstance, settle, until } from "./helpers.js";

describe("the dispatcher", () => {
  it("runs a job once when two dispatchers tick at the same time", async () => {
    const a = await freshScheduler({ batchSize: 7, concurrency: 3 });
    const b = await openInstance(a.url, a.clock, { batchSize: 7, concurrency: 3 });
    const runs = new Map<number, string[]>();
    for (const instance of [a, b]) {
      instance.scheduler.dispatcher.register("ping", async (job) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), instance === a ? "a" : "b"]);
        await settle(1); // give the other dispatcher a chance to interleave
      });
    }
    const due = a.clock.now();
    await a.store.prisma.job.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({ kind: "ping", dueAt: due, payload: `{"n":${i}}`, createdAt: due, updatedAt: due })),
    });

    const [ra, rb] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);

    expect(runs.size).toBe(200);
    expect([...runs.values()].every((who) => who.length === 1)).toBe(true);
    expect(ra.done + rb.done).toBe(200);
    // Both really took part: the race was exercised, not avoided.
    expect(ra.done).toBeGreaterThan(0);
    expect(rb.done).toBeGreaterThan(0);
    expect(await a.store.prisma.job.count({ where: { state: "done", attempts: 1 } })).toBe(200);
  });

  it("takes over a job whose lease expired after a crash", async () => {
    const crashed = await freshScheduler({ leaseMs: 120_000, stopTimeoutMs: 50 });
    const { clock } = crashed;
    const started = deferred();
    crashed.scheduler.dispatcher.register("digest", async () => {
      started.resolve();
      await new Promise(() => {}); // the process dies here: the handler never returns
    });
    await crashed.scheduler.jobs.schedule({ kind: "digest", dueAt: clock.now() });
    void crashed.scheduler.tick();
    await started.promise;

    const survivor = await openInstance(crashed.url, clock, { leaseMs: 120_000 });
    const ran: JobContext[] = [];
    survivor.scheduler.dispatcher.register("digest", async (_job, ctx) => void ran.push(ctx));

    clock.advance(119_000); // lease still held: the job may be running fine elsewhere
    expect((await survivor.scheduler.tick()).claimed).toBe(0);

    clock.advance(2_000);
    const report = await survivor.scheduler.tick();
    expect(report).toMatchObject({ claimed: 1, done: 1 });
    expect(ran[0]).toMatchObject({ attempt: 2, lateBy: 121_000 });
    const [job] = await survivor.scheduler.jobs.list();
    expect(job).toMatchObject({ state: "done", attempts: 2 });
    expect(job?.lockedBy).toContain(survivor.scheduler.dispatcher.workerId);
  });

  it("catches up a job missed while the bot was down at the first tick", async () => {
    const { scheduler, clock } = await freshScheduler();
    // Scheduled for 08:00, while the bot was stopped until 10:30.
    await scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-02T08:00:00Z"), payload: { meetingId: 5 } });
    clock.set("2026-03-02T10:30:00Z");
    const seen: { payload: unknown; lateBy: number }[] = [];
    scheduler.dispatcher.register<{ meetingId: number }>("test.reminder", async (job, ctx) => void seen.push({ payload: job.payload, lateBy: ctx.lateBy }));

    const first = await scheduler.start();

    expect(first).toMatchObject({ claimed: 1, done: 1 });
    expect(seen).toEqual([{ payload: { meetingId: 5 }, lateBy: 2.5 * 3600_000 }]);
  });

  it("lets a feature skip work that is too late to be useful", async () => {
    const { scheduler, clock } = await freshScheduler();
    let runs = 0;
    scheduler.dispatcher.register("test.reminder", async () => void runs++, { skipIfLateBy: 60 * 60_000 });
    const stale = await scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-02T06:00:00Z") });
    const fresh = await scheduler.jobs.schedule({ kind: "test.reminder", dueAt: at("2026-03-02T07:30:00Z") });

    expect(await scheduler.tick()).toMatchObject({ done: 1, skipped: 1 });
    expect(runs).toBe(1);
    expect(await scheduler.jobs.get(stale.job.id)).toMatchObject({ state: "cancelled", lastError: "ignorée : en retard de 2 h (limite 60 min)" });
    expect((await scheduler.jobs.get(fresh.job.id))?.state).toBe("done");
    expect(clock.now()).toEqual(at("2026-03-02T08:00:00Z"));
  });

  it("backs off then marks failed after maxAttempts", async () => {
    const { scheduler, clock } = await freshScheduler();
    let runs = 0;
    scheduler.dispatcher.register("feed.fetch", async () => {
      runs++;
      throw new Error("flux injoignable");
    });
    const { job } = await scheduler.jobs.schedule({ kind: "feed.fetch", dueAt: clock.now(), maxAttempts: 3 });

    expect(await scheduler.tick()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await scheduler.jobs.get(job.id)).toMatchObject({ state: "pending", attempts: 1, dueAt: at("2026-03-02T08:00:30Z"), lastError: "flux injoignable" });

    clock.advance(29_000);
    expect((await scheduler.tick()).claimed).toBe(0); // not before its back-off
    clock.advance(1_000);
    expect(await scheduler.tick()).toMatchObject({ retrying: 1 });
    expect((await scheduler.jobs.get(job.id))?.dueAt).toEqual(at("2026-03-02T08:01:30Z")); // then 1 min

    clock.set("2026-03-02T08:01:30Z");
    expect(await scheduler.tick()).toMatchObject({ failed: 1 });
    expect(await scheduler.jobs.get(job.id)).toMatchObject({ state: "failed", attempts: 3, finishedAt: clock.now(), lastError: "flux injoignable" });

    clock.advance(3600_000);
    expect((await scheduler.tick()).claimed).toBe(0);
    expect(runs).toBe(3);
  });

  it("retries at the time a handler asks for, and gives up at once on a permanent error", async () => {
    const { scheduler, clock } = await freshScheduler();
    scheduler.dispatcher.register("later", async () => {
      throw new RetryLater(at("2026-03-02T09:00:00Z"), "Discord limite le débit");
    });
    scheduler.dispatcher.register("hopeless", async () => {
      throw new PermanentError("ce sondage n'existe plus");
    });
    const later = await scheduler.jobs.schedule({ kind: "later", dueAt: clock.now() });
    const hopeless = await scheduler.jobs.schedule({ kind: "hopeless", dueAt: clock.now() });

    expect(await scheduler.tick()).toMatchObject({ retrying: 1, failed: 1 });
    expect(await scheduler.jobs.get(later.job.id)).toMatchObject({ state: "pending", dueAt: at("2026-03-02T09:00:00Z"), lastError: "RetryLater: Discord limite le débit" });
    expect(await scheduler.jobs.get(hopeless.job.id)).toMatchObject({ state: "failed", attempts: 1, lastError: "PermanentError: ce sondage n'existe plus" });
  });

  it("does not block other jobs when one handler throws", async () => {
    const { scheduler, clock } = await freshScheduler({ concurrency: 1 });
    const ran: number[] = [];
    scheduler.dispatcher.register<{ n: number }>("step", async (job) => {
      if (job.payload.n === 2) throw new TypeError("bogue dans un gestionnaire");
      ran.push(job.payload.n);
    });
    for (const n of [1, 2, 3, 4]) await scheduler.jobs.schedule({ kind: "step", dueAt: clock.now(), payload: { n } });

    const report = await scheduler.tick();

    expect(ran).toEqual([1, 3, 4]);
    expect(report).toMatchObject({ claimed: 4, done: 3, retrying: 1 });
  });

  it("leaves a job whose handler is unknown pending, with a warning", async () => {
    const { scheduler, clock, logs, url } = await freshScheduler();
    scheduler.dispatcher.register("known", async () => {});
    const unknown = await scheduler.jobs.schedule({ kind: "from.a.newer.version", dueAt: clock.now() });
    await scheduler.jobs.schedule({ kind: "known", dueAt: clock.now() });

    expect(await scheduler.tick()).toMatchObject({ claimed: 1, done: 1 });
    expect(await scheduler.jobs.get(unknown.job.id)).toMatchObject({ state: "pending", attempts: 0 });
    const warning = logs().find((l) => l.kind === "from.a.newer.version");
    expect(warning).toMatchObject({ count: 1 });
    expect(warning?.msg).toContain("sans gestionnaire");

    // A version that knows the kind runs it.
    const newer = await openInstance(url, clock);
    newer.scheduler.dispatcher.register("from.a.newer.version", async () => {});
    expect(await newer.scheduler.tick()).toMatchObject({ claimed: 1, done: 1 });
  });

  it("runs at most `concurrency` handlers at once", async () => {
    const { scheduler, clock } = await freshScheduler({ concurrency: 3, batchSize: 10 });
    let running = 0;
    let peak = 0;
    scheduler.dispatcher.register("slow", async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    });
    for (let i = 0; i < 25; i++) await scheduler.jobs.schedule({ kind: "slow", dueAt: clock.now() });

    expect(await scheduler.tick()).toMatchObject({ claimed: 25, done: 25 });
    expect(peak).toBe(3);
  });

  it("gives up on a job that took its process down at every attempt", async () => {
    const { scheduler, clock } = await freshScheduler({ leaseMs: 60_000 });
    const { job } = await scheduler.jobs.schedule({ kind: "poison", dueAt: clock.now(), maxAttempts: 2 });
    // Two runs that never reported back (each process died mid-job).
    for (const worker of ["p1", "p2"]) {
      await scheduler.jobs.claimDue(clock.now(), { limit: 1, leaseMs: 60_000, workerId: worker });
      clock.advance(61_000);
    }
    let runs = 0;
    scheduler.dispatcher.register("poison", async () => void runs++);

    expect(await scheduler.tick()).toMatchObject({ claimed: 1, failed: 1 });
    expect(runs).toBe(0);
    expect(await scheduler.jobs.get(job.id)).toMatchObject({ state: "failed", lastError: "PermanentError: abandonnée : 2 exécutions interrompues sans avancer" });
  });

  it("does not give up on a job whose process was killed more often than its attempts while it was making progress", async () => {
    const { scheduler, store, clock } = await freshScheduler({ leaseMs: 60_000 });
    const { job } = await scheduler.jobs.schedule({ kind: "reminder", dueAt: clock.now(), maxAttempts: 2 });
    // Three runs killed from outside, each after getting one more message out.
    for (const [i, worker] of ["p1", "p2", "p3"].entries()) {
      await scheduler.jobs.claimDue(clock.now(), { limit: 1, leaseMs: 60_000, workerId: worker });
      await store.prisma.delivery.create({ data: { jobId: job.id, recipient: `member:${i + 1}`, state: "sent", at: clock.now() } });
      clock.advance(61_000);
    }
    const sent: string[] = [];
    scheduler.dispatcher.register("reminder", async (_job, ctx) => {
      for (const recipient of ["member:1", "member:2", "member:3", "member:4"]) await ctx.deliverOnce(recipient, async () => void sent.push(recipient));
    });

    expect(await scheduler.tick()).toMatchObject({ claimed: 1, done: 1 });
    expect(sent).toEqual(["member:4"]);
  });

  it("renews the lease of a long handler so nobody takes it over", async () => {
    const a = await freshScheduler({ leaseMs: 60_000, heartbeatMs: 20 });
    const b = await openInstance(a.url, a.clock, { leaseMs: 60_000 });
    const release = deferred();
    let runs = 0;
    const handler = async () => {
      runs++;
      await release.promise;
    };
    a.scheduler.dispatcher.register("long", handler);
    b.scheduler.dispatcher.register("long", handler);
    const { job } = await a.scheduler.jobs.schedule({ kind: "long", dueAt: a.clock.now() });
    const ticking = a.scheduler.tick();
    await until(() => runs === 1);

    a.clock.advance(50_000);
    await until(async () => (await a.scheduler.jobs.get(job.id))?.leaseUntil?.getTime() === a.clock.now().getTime() + 60_000);
    a.clock.advance(50_000); // 100 s after the claim: past the first lease, not past the renewed one
    expect((await b.scheduler.tick()).claimed).toBe(0);

    release.resolve();
    expect(await ticking).toMatchObject({ done: 1 });
    expect(runs).toBe(1);
  });

  it("waits for running handlers when it stops, and gives back the jobs it had not started", async () => {
    const { scheduler, clock } = await freshScheduler({ concurrency: 1, batchSize: 5, stopTimeoutMs: 2000 });
    const first = deferred();
    const release = deferred();
    const seen: boolean[] = [];
    scheduler.dispatcher.register("send", async (_job, ctx) => {
      first.resolve();
      await release.promise;
      seen.push(ctx.signal.aborted);
    });
    for (let i = 0; i < 3; i++) await scheduler.jobs.schedule({ kind: "send", dueAt: clock.now() });
    const ticking = scheduler.tick();
    await first.promise;

    const stopping = scheduler.stop();
    await settle();
    release.resolve();
    await stopping;

    expect(seen).toEqual([true]);
    expect(await ticking).toMatchObject({ claimed: 3, done: 1, released: 2 });
    expect(await scheduler.jobs.countByState()).toMatchObject({ done: 1, pending: 2, running: 0 });
    expect((await scheduler.jobs.list({ state: "pending" })).map((j) => j.attempts)).toEqual([0, 0]);
    expect((await scheduler.tick()).claimed).toBe(0); // stopped: no more claims
  });
});
