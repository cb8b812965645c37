import { afterEach } from "vitest";

import { ManualClock } from "../helpers/clock.js";
import { Scheduler, type SchedulerOptions, type SchedulerTuning } from "../../src/scheduler/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { memoryLogger } from "../helpers/bot.js";
import { freshStoreUrl } from "../store/fixture.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Schedulers first (they may still be using their store), then the stores.
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

export interface Instance {
  store: Store;
  scheduler: Scheduler;
  /** Parsed log lines of this instance. */
  logs: () => { msg: string; [key: string]: unknown }[];
}

type InstanceTuning = SchedulerTuning & Pick<SchedulerOptions, "soleInstance" | "liveInstances">;

/**
 * One bot instance's scheduler on its own Prisma client (its own SQLite connection), with no
 * timer: the test ticks it. Several instances on the same URL behave like several processes.
 */
export async function openInstance(url: string, clock: ManualClock, tuning: InstanceTuning = {}): Promise<Instance> {
  const store = await openStore(url);
  const { log, lines } = memoryLogger();
  const scheduler = new Scheduler({ prisma: store.prisma, clock, log, timer: false, heartbeatMs: 0, stopTimeoutMs: 1000, ...tuning });
  cleanups.unshift(async () => {
    await scheduler.stop();
    await store.close();
  });
  return { store, scheduler, logs: () => lines().map((l) => JSON.parse(l) as { msg: string }) };
}

/** A fresh database, a clock at Monday 2 March 2026 09:00 Paris (08:00Z), and one instance on it. */
export async function freshScheduler(tuning: InstanceTuning = {}): Promise<Instance & { url: string; clock: ManualClock }> {
  const url = await freshStoreUrl();
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  return { url, clock, ...(await openInstance(url, clock, tuning)) };
}

export const at = (iso: string) => new Date(iso);

/** Lets pending promise callbacks (and the database calls they make) run. */
export async function settle(times = 20): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise plus its resolver, to hold a handler in the middle of its work. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits until `check` is true (real time), failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
