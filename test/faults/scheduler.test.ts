/**
 * The scheduler under faults, on a real SQLite file with the test's clock:
 * - the system clock jumps forward (a suspended machine, an NTP correction): what fell due in
 *   between runs once, late, and a recurring schedule runs one occurrence, not one per missed one;
 * - the clock jumps back: nothing that ran runs again, nothing runs early, and the schedule
 *   resumes once the clock is past the last occurrence again;
 * - a handler that throws on every attempt stops after its attempts, and its failure is reported
 *   once (the dispatcher's failure hook), however many ticks follow.
 */
import { describe, expect, it } from "vitest";
import { AlreadyReported, type RecurringPayload } from "../../src/scheduler/index.js";
import { freshScheduler, type Instance } from "../scheduler/helpers.js";

const PARIS = "Europe/Paris";
const DAILY_9 = "0 9 * * *";

function recordRuns(instance: Instance, kind: string): string[] {
  const runs: string[] = [];
  instance.scheduler.dispatcher.register<RecurringPayload | { n: number }>(kind, async (job) => {
    runs.push("occurrence" in job.payload ? job.payload.occurrence : `n${job.payload.n}`);
  });
  return runs;
}

describe("the clock jumps", () => {
  it("forward by three days: each one-shot job runs once, late; the daily schedule runs one occurrence, then is on time", async () => {
    const s = await freshScheduler();
    const { clock, scheduler } = s;
    const daily = recordRuns(s, "digest");
    const shots = recordRuns(s, "shot");
    await scheduler.recurring.ensureNext("digest", DAILY_9, PARIS, clock.now()); // Monday 2 March, 09:00 Paris is now
    for (const n of [1, 2, 3]) await scheduler.jobs.schedule({ kind: "shot", dueAt: new Date(clock.now().getTime() + n * 3_600_000), payload: { n } });

    clock.set("2026-03-05T10:00:00Z"); // Thursday 11:00 Paris: three 09:00s and three shots passed
    await scheduler.tick();
    await scheduler.tick();
    expect(shots).toEqual(["n1", "n2", "n3"]);
    expect(daily).toHaveLength(1); // the pending occurrence, late; not Tuesday, Wednesday and Thursday

    clock.set("2026-03-06T08:00:01Z"); // Friday 09:00:01 Paris
    await scheduler.tick();
    expect(daily.at(-1)).toBe("2026-03-06T08:00:00.000Z");
    expect(daily).toHaveLength(2);
  });

  it("back by two days after a run: nothing runs again or early, and the schedule resumes once past its last occurrence", async () => {
    const s = await freshScheduler();
    const { clock, scheduler } = s;
    const daily = recordRuns(s, "digest");
    const shots = recordRuns(s, "shot");
    clock.set("2026-03-04T07:00:00Z"); // Wednesday 08:00 Paris
    await scheduler.recurring.ensureNext("digest", DAILY_9, PARIS, clock.now());
    await scheduler.jobs.schedule({ kind: "shot", dueAt: new Date("2026-03-04T07:30:00Z"), payload: { n: 1 } });
    await scheduler.jobs.schedule({ kind: "shot", dueAt: new Date("2026-03-04T12:00:00Z"), payload: { n: 2 } });
    clock.set("2026-03-04T08:00:05Z");
    await scheduler.tick();
    expect(daily).toEqual(["2026-03-04T08:00:00.000Z"]);
    expect(shots).toEqual(["n1"]);

    // Corrected two days back (a wrong NTP server, a restored VM snapshot).
    clock.set("2026-03-02T08:30:00Z");
    for (let i = 0; i < 3; i++) await scheduler.tick();
    clock.set("2026-03-03T08:00:05Z"); // the Tuesday 09:00 of the wrong clock
    await scheduler.tick();
    clock.set("2026-03-04T08:00:05Z"); // Wednesday 09:00 again
    await scheduler.tick();
    expect(daily).toEqual(["2026-03-04T08:00:00.000Z"]);
    expect(shots).toEqual(["n1"]);

    clock.set("2026-03-04T12:00:01Z");
    await scheduler.tick();
    expect(shots).toEqual(["n1", "n2"]);
    clock.set("2026-03-05T08:00:05Z"); // Thursday 09:00: the schedule goes on
    await scheduler.tick();
    expect(daily).toEqual(["2026-03-04T08:00:00.000Z", "2026-03-05T08:00:00.000Z"]);
  });
});

describe("a handler that throws on every attempt", () => {
  it("stops after its attempts and is reported once", async () => {
    const s = await freshScheduler();
    const { clock, scheduler } = s;
    let runs = 0;
    scheduler.dispatcher.register("toujours-en-panne", async () => {
      runs++;
      throw new Error(`panne simulée n° ${runs}`);
    });
    const reports: { kind: string; attempts: number; error: string }[] = [];
    scheduler.dispatcher.onJobFailed(async (failure) => void reports.push({ kind: failure.job.kind, attempts: failure.job.attempts, error: failure.error }));
    const { job } = await scheduler.jobs.schedule({ kind: "toujours-en-panne", dueAt: clock.now(), maxAttempts: 3 });

    for (let i = 0; i < 12; i++) {
      await scheduler.tick();
      clock.advance(60 * 60_000); // past any back-off
    }
    expect(runs).toBe(3);
    expect((await scheduler.jobs.get(job.id))?.state).toBe("failed");
    expect(reports).toEqual([{ kind: "toujours-en-panne", attempts: 3, error: "panne simulée n° 3" }]);
  });

  it("is not reported again when its handler already told the animator (AlreadyReported)", async () => {
    const s = await freshScheduler();
    const { clock, scheduler } = s;
    scheduler.dispatcher.register("rappel", async () => {
      throw new AlreadyReported("deux envois impossibles, l'animateur a la liste");
    });
    const reports: unknown[] = [];
    scheduler.dispatcher.onJobFailed(async (failure) => void reports.push(failure.job.id));
    const { job } = await scheduler.jobs.schedule({ kind: "rappel", dueAt: clock.now() });
    await scheduler.tick();
    expect((await scheduler.jobs.get(job.id))?.state).toBe("failed");
    expect(reports).toEqual([]);
  });
});
