import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";

import { openStore, sqliteFileFromUrl, type Store } from "../../src/store/index.js";
import { StoreBusyError } from "../../src/store/busy.js";
import { freshStoreUrl } from "./fixture.js";

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const c of opened.splice(0).reverse()) await c.close();
});

/** Another program holding SQLite's write lock on the bot's file (like an import in its transaction). */
function holdWriteLock(file: string): { release(): void } {
  const other = new Database(file);
  other.exec("BEGIN IMMEDIATE");
  return {
    release() {
      if (other.open) {
        other.exec("COMMIT");
        other.close();
      }
    },
  };
}

/** The longest gap between 5 ms timer ticks while `work` runs: how long the event loop froze. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    const result = await work();
    return { result, stallMs };
  } finally {
    clearInterval(timer);
  }
}

async function storeWithFile(): Promise<{ store: Store; file: string }> {
  const url = await freshStoreUrl();
  const store = await openStore(url);
  opened.push(store);
  // The first query loads Prisma's query compiler (a one-off pause that is not a lock wait).
  await store.prisma.member.create({ data: { firstName: "Échauffement", displayName: "Échauffement" } });
  await store.prisma.$transaction(async (tx) => tx.member.deleteMany());
  return { store, file: sqliteFileFromUrl(url) };
}

describe("a write while another program holds the database's write lock", () => {
  it("waits without freezing the event loop, then succeeds once the lock is released", async () => {
    const { store, file } = await storeWithFile();
    const lock = holdWriteLock(file);
    opened.push({ close: () => lock.release() });
    setTimeout(() => lock.release(), 1000);
    const { result, stallMs } = await longestStall(() => store.prisma.member.create({ data: { firstName: "Alice", displayName: "Alice" } }));
    expect(result.id).toBeGreaterThan(0);
    // The lock is held 1 s: a synchronous wait would freeze the loop that long (the margin is the shared machine's noise).
    expect(stallMs).toBeLessThan(500);
  });

  it("starts a transaction only once it holds the write lock, so its body runs once, after the release, never on stale reads", async () => {
    const { store, file } = await storeWithFile();
    const lock = holdWriteLock(file);
    opened.push({ close: () => lock.release() });
    setTimeout(() => lock.release(), 1000);
    let runs = 0;
    const { result, stallMs } = await longestStall(() =>
      store.prisma.$transaction(async (tx) => {
        runs++;
        const before = await tx.member.count();
        await tx.member.create({ data: { firstName: "Bob", displayName: "Bob" } });
        return before;
      }),
    );
    expect(result).toBe(0);
    expect(runs).toBe(1);
    expect(await store.prisma.member.count()).toBe(1);
    expect(stallMs).toBeLessThan(500);
  });

  it("gives up after a bounded wait with a French error, having written nothing", async () => {
    const { store, file } = await storeWithFile();
    const lock = holdWriteLock(file);
    opened.push({ close: () => lock.release() });
    const started = performance.now();
    const error = await store.prisma.member.create({ data: { firstName: "Chloé", displayName: "Chloé" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreBusyError);
    expect((error as Error).message).toBe("La base de données est restée verrouillée par un autre programme : réessayez dans un instant.");
    expect(performance.now() - started).toBeLessThan(6000);
    lock.release();
    expect(await store.prisma.member.count()).toBe(0);
  });
});
