/**
 * SQLite and PostgreSQL side by side in one run, with 100,000 pending jobs in the table (a year of
 * reminders, digests and polls for a large network): reminder throughput (each reminder delivered
 * to 3 recipients through the per-recipient delivery rows) and the latency of one claim of the
 * due jobs. The ratio PostgreSQL / SQLite is the figure; SQLite is the baseline.
 */
import { randomBytes } from "node:crypto";

import { ManualClock } from "../test/helpers/clock.js";
import { createLogger } from "../src/logger.js";
import { Scheduler } from "../src/scheduler/index.js";
import { applyMigrations, openStore, type Store } from "../src/store/index.js";
import { createDatabase, dropDatabase, queryRows, withDatabase, withPostgres } from "../src/store/postgres.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { ms, percentile } from "./stats.js";

const PENDING = Number(process.env.BENCH_PENDING ?? 100_000);
const REMINDERS = 2_000;
const RECIPIENTS = 3;
const CLAIMS = 100;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.PROMENEURS_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const silent = createLogger({ level: "silent", pretty: false, destination: process.stderr });

interface StoreFigures {
  remindersPerSecond: number;
  deliveriesPerSecond: number;
  claimP50: number;
  claimP99: number;
  check: string;
}

export async function benchStores(): Promise<{ name: string; value: string }[]> {
  const sqlite = await measure(await freshStoreUrl());
  const rows = [
    { name: `SQLite : rappels (${RECIPIENTS} destinataires chacun), ${PENDING} tâches en attente`, value: `${Math.round(sqlite.remindersPerSecond)} rappels/s (${Math.round(sqlite.deliveriesPerSecond)} envois/s), ${sqlite.check}` },
    { name: `SQLite : réservation des tâches dues, ${PENDING} en attente`, value: `p50 ${ms(sqlite.claimP50)}, p99 ${ms(sqlite.claimP99)}` },
  ];
  const unreachable = await postgresUnreachable();
  if (unreachable) return [...rows, { name: "PostgreSQL", value: `ignoré : ${unreachable}` }];
  const name = `promeneurs_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  await createDatabase(POSTGRES_URL, name);
  try {
    const url = withDatabase(POSTGRES_URL, name);
    await applyMigrations(url);
    const pg = await measure(url);
    rows.push(
      { name: `PostgreSQL : rappels, ${PENDING} tâches en attente`, value: `${Math.round(pg.remindersPerSecond)} rappels/s (${Math.round(pg.deliveriesPerSecond)} envois/s), ${pg.check} — ×${(pg.remindersPerSecond / sqlite.remindersPerSecond).toFixed(2)} SQLite` },
      { name: `PostgreSQL : réservation des tâches dues, ${PENDING} en attente`, value: `p50 ${ms(pg.claimP50)} (×${(pg.claimP50 / sqlite.claimP50).toFixed(2)} SQLite), p99 ${ms(pg.claimP99)} (×${(pg.claimP99 / sqlite.claimP99).toFixed(2)})` },
    );
  } finally {
    await dropDatabase(POSTGRES_URL, name);
  }
  return rows;
}

async function postgresUnreachable(): Promise<string | null> {
  try {
    await withPostgres(POSTGRES_URL, (db) => queryRows(db, "SELECT 1"));
    return null;
  } catch (error) {
    return `PostgreSQL injoignable (${POSTGRES_URL}) : ${(error as Error).message}`;
  }
}

async function measure(url: string): Promise<StoreFigures> {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const store = await openStore(url);
  const scheduler = new Scheduler({ prisma: store.prisma, clock, log: silent, timer: false, workerId: "bench-stores" });
  try {
    let sent = 0;
    scheduler.dispatcher.register("bench.reminder", async (job) => {
      for (let r = 0; r < RECIPIENTS; r++) await scheduler.deliveries.deliverOnce(job.id, `membre-${r}:discord`, async () => void sent++);
    });
    await seedPending(store, clock.now());
    await seedDue(store, clock.now());
    const t0 = performance.now();
    // A tick ends when a claim round comes back short; tick until nothing due is left.
    while ((await scheduler.tick()).claimed > 0);
    const elapsed = performance.now() - t0;
    const done = await store.prisma.job.count({ where: { kind: "bench.reminder", state: "done" } });
    const claims = await claimLatencies(store, scheduler, clock.now());
    return {
      remindersPerSecond: (REMINDERS / elapsed) * 1000,
      deliveriesPerSecond: (sent / elapsed) * 1000,
      claimP50: percentile(claims, 50),
      claimP99: percentile(claims, 99),
      check: done === REMINDERS && sent === REMINDERS * RECIPIENTS ? "chaque envoi une fois" : `ÉCHEC : ${done} rappels terminés, ${sent} envois`,
    };
  } finally {
    await scheduler.stop();
    await store.close();
  }
}

/** One due job among the pending ones, claimed alone: the cost of finding and taking it. */
async function claimLatencies(store: Store, scheduler: Scheduler, now: Date): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < CLAIMS + 10; i++) {
    await store.prisma.job.create({ data: { kind: "bench.claim", dueAt: now, payload: "{}", createdAt: now, updatedAt: now } });
    const t0 = performance.now();
    const claimed = await scheduler.jobs.claimDue(now, { limit: 20, leaseMs: 60_000, workerId: "bench-claim", kinds: ["bench.claim"] });
    if (i >= 10) samples.push(performance.now() - t0); // the first ones warm the connections up
    if (claimed.length !== 1) throw new Error(`réservation : ${claimed.length} tâches au lieu d'une`);
  }
  return samples;
}

/** Pending jobs spread over the coming year, as reminders, digests and polls would be. */
async function seedPending(store: Store, now: Date): Promise<void> {
  for (let i = 0; i < PENDING; i += 1000) {
    await store.prisma.job.createMany({
      data: Array.from({ length: Math.min(1000, PENDING - i) }, (_, k) => ({
        kind: "bench.reminder",
        dueAt: new Date(now.getTime() + 60_000 + (i + k) * 300_000),
        payload: "{}",
        createdAt: now,
        updatedAt: now,
      })),
    });
  }
}

async function seedDue(store: Store, now: Date): Promise<void> {
  for (let i = 0; i < REMINDERS; i += 1000) {
    await store.prisma.job.createMany({
      data: Array.from({ length: Math.min(1000, REMINDERS - i) }, () => ({ kind: "bench.reminder", dueAt: now, payload: "{}", createdAt: now, updatedAt: now })),
    });
  }
}

// `npx tsx bench/stores.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchStores()) process.stdout.write(`| ${row.name} | ${row.value} |\n`);
}
