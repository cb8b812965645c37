import { describe, expect, it } from "vitest";

import { CronExpressionError, nextOccurrence, occurrenceKey, type RecurringPayload } from "../../src/scheduler/index.js";
import { at, freshScheduler, openInstance, type Instance } from "./helpers.js";

const PARIS = "Europe/Paris";
const MONDAY_9 = "0 9 * * 1";

/** "lundi 09:00" style, in Paris time. */
function paris(date: Date): string {
  return new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(date);
}

/** Registers a handler that records each occurrence it runs (as Paris local time). */
function recordRuns(instance: Instance, kind: string): string[] {
  const runs: string[] = [];
  instance.scheduler.dispatcher.register<RecurringPayload>(kind, async (job) => void runs.push(paris(new Date(job.payload.occurrence))));
  return runs;
}

async function pendingKeys(instance: Instance, kind: string): Promise<string[]> {
  return (await instance.scheduler.jobs.list({ kind, state: "pending" })).map((j) => j.dedupeKey ?? "");
}

describe("recurring schedules", () => {
  it("schedules the Monday 09:00 occurrence across the DST change (March)", async () => {
    const instance = await freshScheduler();
    const { clock, scheduler } = instance;
    clock.set("2026-03-20T12:00:00Z");
    const runs = recordRuns(instance, "digest");

    const first = await scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    expect(first).toMatchObject({ outcome: "created", job: { dedupeKey: "digest@2026-03-23T08:00Z", dueAt: at("2026-03-23T08:00:00Z") } });

    clock.set("2026-03-23T08:00:00Z"); // Monday 09:00 CET
    expect(await scheduler.tick()).toMatchObject({ done: 1 });
    // The clocks go forward on Sunday 29 March: the next Monday 09:00 is 07:00 UTC.
    expect(await pendingKeys(instance, "digest")).toEqual(["digest@2026-03-30T07:00Z"]);

    clock.set("2026-03-30T06:59:59Z");
    expect((await scheduler.tick()).claimed).toBe(0);
    clock.set("2026-03-30T07:00:00Z");
    expect(await scheduler.tick()).toMatchObject({ done: 1 });
    expect(await pendingKeys(instance, "digest")).toEqual(["digest@2026-04-06T07:00Z"]);
    expect(runs).toEqual(["lundi 23 mars à 09:00", "lundi 30 mars à 09:00"]);
  });

  it("schedules the Monday 09:00 occurrence across the DST change (October)", async () => {
    const instance = await freshScheduler();
    const { clock, scheduler } = instance;
    clock.set("2026-10-16T12:00:00Z");
    const runs = recordRuns(instance, "digest");
    await scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    expect(await pendingKeys(instance, "digest")).toEqual(["digest@2026-10-19T07:00Z"]);

    clock.set("2026-10-19T07:00:00Z"); // Monday 09:00 CEST
    await scheduler.tick();
    // The clocks go back on Sunday 25 October: the next Monday 09:00 is 08:00 UTC.
    expect(await pendingKeys(instance, "digest")).toEqual(["digest@2026-10-26T08:00Z"]);
    clock.set("2026-10-26T07:00:00Z");
    expect((await scheduler.tick()).claimed).toBe(0);
    clock.set("2026-10-26T08:00:00Z");
    await scheduler.tick();
    expect(runs).toEqual(["lundi 19 octobre à 09:00", "lundi 26 octobre à 09:00"]);
  });

  it("runs a 02:30 daily job once on each day the clocks change", async () => {
    /** Ticks every 15 minutes through both nights, as the bot would; returns the runs and their UTC times. */
    const walk = async (fromIso: string, toIso: string) => {
      const instance = await freshScheduler();
      const { clock, scheduler } = instance;
      const runs = recordRuns(instance, "nightly");
      clock.set(fromIso);
      await scheduler.recurring.ensureNext("nightly", "30 2 * * *", PARIS, clock.now());
      while (clock.now() < at(toIso)) {
        clock.advance(15 * 60_000);
        await scheduler.tick();
      }
      const done = await scheduler.jobs.list({ kind: "nightly", state: "done" });
      return { runs, utc: done.map((j) => j.dueAt.toISOString()) };
    };

    // 29 March: 02:30 does not exist (02:00 → 03:00); it runs at 03:00, once.
    expect(await walk("2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z")).toEqual({
      runs: ["dimanche 29 mars à 03:00", "lundi 30 mars à 02:30"],
      utc: ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"],
    });
    // 25 October: 02:30 happens twice (03:00 → 02:00); it runs once, the first time
    // (00:30 UTC, 02:30 summer time), not again at 01:30 UTC (02:30 winter time).
    expect(await walk("2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z")).toEqual({
      runs: ["dimanche 25 octobre à 02:30", "lundi 26 octobre à 02:30"],
      utc: ["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"],
    });
  });

  it("never runs an occurrence twice, even when a restarted instance's clock is a little behind", async () => {
    const first = await freshScheduler();
    const { clock, url } = first;
    clock.set("2026-03-01T12:00:00Z");
    const runsBefore = recordRuns(first, "digest");
    await first.scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    clock.set("2026-03-02T08:00:05Z");
    await first.scheduler.tick();
    await first.scheduler.stop();

    // Restarted elsewhere, with a clock 15 s behind: it still thinks Monday 09:00 is to come.
    clock.set("2026-03-02T07:59:50Z");
    const restarted = await openInstance(url, clock);
    const runsAfter = recordRuns(restarted, "digest");
    const again = await restarted.scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    // Not the Monday 09:00 occurrence it thinks is to come (it ran): the next one after it.
    expect(again).toMatchObject({ outcome: "unchanged", job: { dedupeKey: "digest@2026-03-09T08:00Z", state: "pending" } });
    clock.set("2026-03-02T08:00:10Z");
    await restarted.scheduler.tick();

    expect(runsBefore).toEqual(["lundi 2 mars à 09:00"]);
    expect(runsAfter).toEqual([]);
    expect(await pendingKeys(restarted, "digest")).toEqual(["digest@2026-03-09T08:00Z"]);
  });

  it("runs a single late occurrence after a long outage, then resumes on time", async () => {
    const before = await freshScheduler();
    const { clock, url } = before;
    clock.set("2026-03-01T12:00:00Z");
    await before.scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    await before.scheduler.stop();

    // Down from Sunday 1 to Friday 20 March: three Mondays missed.
    clock.set("2026-03-20T12:00:00Z");
    const after = await openInstance(url, clock);
    const late: number[] = [];
    after.scheduler.dispatcher.register("digest", async (_job, ctx) => void late.push(ctx.lateBy));
    await after.scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    await after.scheduler.start();

    expect(late).toEqual([at("2026-03-20T12:00:00Z").getTime() - at("2026-03-02T08:00:00Z").getTime()]);
    const all = await after.scheduler.jobs.list({ kind: "digest" });
    expect(all.map((j) => [j.dedupeKey, j.state])).toEqual([
      ["digest@2026-03-02T08:00Z", "done"],
      ["digest@2026-03-23T08:00Z", "pending"],
    ]);
  });

  it("drops the pending occurrence of a former schedule when the schedule changes", async () => {
    const instance = await freshScheduler();
    const { clock, scheduler } = instance;
    const runs = recordRuns(instance, "digest");
    await scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    await scheduler.recurring.ensureNext("digest", "0 17 * * fri", PARIS, clock.now());

    for (let day = 0; day < 8; day++) {
      clock.advance(24 * 3600_000);
      await scheduler.tick();
    }
    expect(runs).toEqual(["vendredi 6 mars à 17:00"]);
    expect(await scheduler.jobs.findByKey("digest@2026-03-09T08:00Z")).toMatchObject({ state: "cancelled" });
  });

  it("skips an occurrence cancelled by the animator and resumes with the next one", async () => {
    const instance = await freshScheduler();
    const { clock, scheduler } = instance;
    const runs = recordRuns(instance, "digest");
    await scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    expect(await scheduler.jobs.cancel("digest@2026-03-09T08:00Z")).toBe(1);

    for (let day = 0; day < 15; day++) {
      clock.advance(24 * 3600_000);
      await scheduler.tick();
    }
    expect(runs).toEqual(["lundi 16 mars à 09:00"]);
  });

  it("refuses an invalid cron expression or time zone with a clear French message", async () => {
    const { scheduler, clock, store } = await freshScheduler();
    const refused = async (cron: string, tz = PARIS) => {
      const error = await scheduler.recurring.ensureNext("digest", cron, tz, clock.now()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CronExpressionError);
      return (error as Error).message;
    };

    expect(await refused("0 9 * *")).toBe(
      "Expression cron invalide « 0 9 * * » : il faut 5 champs (minute heure jour-du-mois mois jour-de-la-semaine), 4 trouvés ; " +
        "par exemple « 0 9 * * 1 » pour chaque lundi à 9 h.",
    );
    expect(await refused("0 9 * * 1 2026")).toContain("il faut 5 champs");
    expect(await refused("0 25 * * 1")).toContain("valeur impossible dans le champ heure (0 à 23) : « 25 »");
    expect(await refused("0 9 32 * *")).toContain("le champ jour du mois (1 à 31) : « 32 »");
    expect(await refused("0 9 * * lundi")).toContain("caractères non reconnus dans le champ jour de la semaine");
    expect(await refused("0 9 * * 5-1")).toContain("intervalle invalide");
    expect(await refused("0 9 31 2 *")).toContain("ne correspond à aucune date");
    expect(await refused(MONDAY_9, "Lune/Mer")).toBe("Fuseau horaire inconnu : « Lune/Mer » (attendu : un fuseau IANA, par exemple « Europe/Paris »).");
    expect(await store.prisma.job.count()).toBe(0);
  });

  it("names each occurrence by its UTC minute", () => {
    const next = nextOccurrence("0 * * * *", PARIS, at("2026-03-29T00:30:00Z"));
    expect(occurrenceKey("feed.fetch", next)).toBe("feed.fetch@2026-03-29T01:00Z");
    expect(nextOccurrence("@weekly", PARIS, at("2026-03-02T08:00:00Z"))).toEqual(at("2026-03-07T23:00:00Z")); // Sunday 00:00 Paris
  });

  // The weekly digest (« /veille horaire ») and the monthly activity reminder are both recurring
  // schedules: changing one away and back must leave the occurrence it returns to pending.
  for (const { kind, usual, others, expectedKey } of [
    { kind: "digest", usual: MONDAY_9, others: ["0 3 * * *", "0 9 * * 5"], expectedKey: "digest@2026-03-09T08:00Z" },
    { kind: "activity.reminder", usual: "0 9 1 * *", others: ["0 9 2 * *"], expectedKey: "activity.reminder@2026-04-01T07:00Z" },
  ]) {
    it(`brings back the ${kind} occurrence when its schedule changes and returns, in one run and across a restart`, async () => {
      const instance = await freshScheduler();
      const { clock, scheduler, url } = instance;
      await scheduler.recurring.ensureNext(kind, usual, PARIS, clock.now());
      for (const other of others) await scheduler.recurring.ensureNext(kind, other, PARIS, clock.now());
      const back = await scheduler.recurring.ensureNext(kind, usual, PARIS, clock.now());
      expect(back.job).toMatchObject({ dedupeKey: expectedKey, state: "pending" });
      expect(await pendingKeys(instance, kind)).toEqual([expectedKey]);

      // Away again, then a restart with the usual schedule (as after a change of configuration).
      await scheduler.recurring.ensureNext(kind, others[0]!, PARIS, clock.now());
      await scheduler.stop();
      const after = await openInstance(url, clock);
      const runs = recordRuns(after, kind);
      await after.scheduler.recurring.ensureNext(kind, usual, PARIS, clock.now());
      expect(await pendingKeys(after, kind)).toEqual([expectedKey]);
      clock.set(new Date(Date.parse(expectedKey.split("@")[1]!.replace("Z", ":00Z"))));
      await after.scheduler.tick();
      expect(runs).toHaveLength(1);
    });
  }

  it("keeps an occurrence cancelled by hand cancelled after a restart", async () => {
    const instance = await freshScheduler();
    const { clock, scheduler, url } = instance;
    await scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    expect(await scheduler.jobs.cancel("digest@2026-03-09T08:00Z")).toBe(1);
    await scheduler.stop();
    const after = await openInstance(url, clock);
    await after.scheduler.recurring.ensureNext("digest", MONDAY_9, PARIS, clock.now());
    expect(await after.scheduler.jobs.findByKey("digest@2026-03-09T08:00Z")).toMatchObject({ state: "cancelled" });
  });
});

