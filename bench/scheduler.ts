/**
 * Scheduler figures: claim+complete throughput of 5,000 due jobs with one dispatcher and with two
 * competing dispatchers on the same SQLite file (each job must run exactly once), and the latency
 * of a tick with 50,000 pending jobs not yet due (the (state, dueAt) index must keep it flat).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { ManualClock } from "../test/helpers/clock.js";
import { createLogger } from "../src/logger.js";
import { Scheduler } from "../src/scheduler/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { ms, percentile } from "./stats.js";

const JOBS = 5_000;
const NOT_DUE = 50_000;

export async function benchScheduler(): Promise<{ name: string; value: string }[]> {
  const rows: { name: string; value: string }[] = [];
  const one = await throughput(1);
  rows.push({ name: `${JOBS} tâches dues, 1 dispatcher`, value: `${Math.round(one.perSecond)} tâches/s (${ms(one.ms)}), ${one.check}` });
  const two = await throughput(2);
  rows.push({ name: `${JOBS} tâches dues, 2 dispatchers concurrents (même processus)`, value: `${Math.round(two.perSecond)} tâches/s (${ms(two.ms)}), ${two.check}, partage ${two.split}` });
  const processes = await throughputAcrossProcesses(2);
  rows.push({ name: `${JOBS} tâches dues, 2 processus concurrents`, value: `${Math.round(processes.perSecond)} tâches/s (${ms(processes.ms)}), ${processes.check}, partage ${processes.split}` });
  const empty = await tickLatency(0);
  const full = await tickLatency(NOT_DUE);
  rows.push({ name: "tour sans tâche due, table vide", value: `p50 ${ms(empty.p50)}, p99 ${ms(empty.p99)}` });
  rows.push({ name: `tour sans tâche due, ${NOT_DUE} tâches à venir`, value: `p50 ${ms(full.p50)}, p99 ${ms(full.p99)}` });
  rows.push({ name: `tour avec 1 tâche due, ${NOT_DUE} tâches à venir`, value: `p50 ${ms(full.oneDueP50)}` });
  rows.push({ name: "plan SQLite de la recherche des tâches dues", value: full.plan });
  return rows;
}

const silent = createLogger({ level: "silent", pretty: false, destination: process.stderr });

async function instances(count: number, clock: ManualClock): Promise<{ stores: Store[]; schedulers: Scheduler[] }> {
  const url = await freshStoreUrl();
  const stores: Store[] = [];
  const schedulers: Scheduler[] = [];
  for (let i = 0; i < count; i++) {
    const store = await openStore(url);
    stores.push(store);
    schedulers.push(new Scheduler({ prisma: store.prisma, clock, log: silent, timer: false, workerId: `bench-${i}` }));
  }
  return { stores, schedulers };
}

async function close(stores: Store[], schedulers: Scheduler[]): Promise<void> {
  for (const s of schedulers) await s.stop();
  for (const s of stores) await s.close();
}

async function throughput(dispatchers: number) {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const { stores, schedulers } = await instances(dispatchers, clock);
  const runs = new Int32Array(JOBS + 1);
  const byWorker = schedulers.map(() => 0);
  schedulers.forEach((scheduler, i) =>
    scheduler.dispatcher.register<{ n: number }>("bench", async (job) => {
      runs[job.payload.n]!++;
      byWorker[i]!++;
    }),
  );
  const prisma = stores[0]!.prisma;
  await seedDue(prisma, clock.now());
  const t0 = performance.now();
  await Promise.all(schedulers.map((s) => s.tick()));
  const elapsed = performance.now() - t0;
  const onceEach = runs.slice(1).every((n) => n === 1);
  const done = await prisma.job.count({ where: { state: "done" } });
  await close(stores, schedulers);
  return {
    ms: elapsed,
    perSecond: (JOBS / elapsed) * 1000,
    check: onceEach && done === JOBS ? "chacune exécutée exactement une fois" : `ÉCHEC : ${done} terminées, exécutions ≠ 1 pour certaines`,
    split: byWorker.join(" / "),
  };
}

async function seedDue(prisma: Store["prisma"], now: Date): Promise<void> {
  for (let i = 0; i < JOBS; i += 1000) {
    await prisma.job.createMany({
      data: Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({
        kind: "bench",
        dueAt: now,
        payload: `{"n":${i + k + 1}}`,
        createdAt: now,
        updatedAt: now,
      })),
    });
  }
}

/**
 * Two real processes (as two bot instances would be) on one SQLite file, contending through
 * SQLite's file locks. "Exactly once" is read from the table: a job run twice would have been
 * claimed twice, so attempts = 1 on every done job proves a single run each.
 */
async function throughputAcrossProcesses(count: number) {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const url = await freshStoreUrl();
  const store = await openStore(url);
  await seedDue(store.prisma, clock.now());
  const workers = Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--worker", url, String(i)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout });
    const next = () => new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`worker ${i} exited (${code})`)));
    });
    return { child, next };
  });
  await Promise.all(workers.map(async (w) => expectLine(await w.next(), "ready")));
  const t0 = performance.now();
  const results = await Promise.all(
    workers.map(async (w) => {
      const done = w.next();
      w.child.stdin.end("go\n");
      return JSON.parse(await done) as { ran: number };
    }),
  );
  const elapsed = performance.now() - t0;
  const done = await store.prisma.job.count({ where: { state: "done", attempts: 1 } });
  const ran = results.reduce((sum, r) => sum + r.ran, 0);
  await store.close();
  return {
    ms: elapsed,
    perSecond: (JOBS / elapsed) * 1000,
    check: done === JOBS && ran === JOBS ? "chacune exécutée exactement une fois" : `ÉCHEC : ${ran} exécutions, ${done} terminées en un seul essai`,
    split: results.map((r) => r.ran).join(" / "),
  };
}

function expectLine(line: string, expected: string): void {
  if (line !== expected) throw new Error(`worker said ${line}, expected ${expected}`);
}

/** The child side of throughputAcrossProcesses: one scheduler that drains the table on "go". */
async function worker(url: string, id: string): Promise<void> {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const store = await openStore(url);
  const scheduler = new Scheduler({ prisma: store.prisma, clock, log: silent, timer: false, workerId: `bench-process-${id}` });
  let ran = 0;
  scheduler.dispatcher.register("bench", async () => void ran++);
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
  // A tick ends when a claim round comes back short; keep ticking until nothing is left.
  while ((await scheduler.tick()).claimed > 0);
  process.stdout.write(`${JSON.stringify({ ran })}\n`);
  await scheduler.stop();
  await store.close();
}

async function tickLatency(notDue: number) {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const { stores, schedulers } = await instances(1, clock);
  const scheduler = schedulers[0]!;
  scheduler.dispatcher.register("bench", async () => {});
  const prisma = stores[0]!.prisma;
  const now = clock.now();
  for (let i = 0; i < notDue; i += 1000) {
    await prisma.job.createMany({
      data: Array.from({ length: Math.min(1000, notDue - i) }, (_, k) => ({
        kind: "bench",
        // Spread over the coming year, as reminders and digests would be.
        dueAt: new Date(now.getTime() + 60_000 + (i + k) * 600_000),
        createdAt: now,
        updatedAt: now,
      })),
    });
  }
  const samples: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    await scheduler.tick();
    if (i >= 20) samples.push(performance.now() - t0);
  }
  const oneDue: number[] = [];
  for (let i = 0; i < 50; i++) {
    await scheduler.jobs.schedule({ kind: "bench", dueAt: now });
    const t0 = performance.now();
    await scheduler.tick();
    oneDue.push(performance.now() - t0);
  }
  // The same query as JobStore.claimDue's, to show which index serves it.
  const plan = await prisma.$queryRawUnsafe<{ detail: string }[]>(
    `EXPLAIN QUERY PLAN SELECT id FROM "Job" WHERE state = 'pending' AND "dueAt" <= ? AND kind IN ('bench') ORDER BY "dueAt", id LIMIT 20`,
    now.toISOString(),
  );
  await close(stores, schedulers);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), oneDueP50: percentile(oneDue, 50), plan: plan.map((r) => r.detail).join("; ") };
}

// `npx tsx bench/scheduler.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [flag, url, id] = process.argv.slice(2);
  if (flag === "--worker" && url && id) await worker(url, id);
  else for (const row of await benchScheduler()) process.stdout.write(`| ${row.name} | ${row.value} |\n`);
}
