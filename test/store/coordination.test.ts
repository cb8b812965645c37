/**
 * What instances on one PostgreSQL database share besides the tables: a write on one is seen by
 * the read caches of another within a second (LISTEN/NOTIFY), and a named lock has one holder at
 * a time, freed when its holder's connection ends.
 */
import { afterEach, describe, expect, it } from "vitest";

import { Cached } from "../../src/core/cache.js";
import { openStore, type Store } from "../../src/store/index.js";
import { freshPostgresUrl, postgresUnavailable } from "./postgres-fixture.js";

const open: Store[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

async function instance(url: string, name: string): Promise<Store> {
  const store = await openStore(url, undefined, { instance: { bot: true, name } });
  open.push(store);
  return store;
}

describe.skipIf(postgresUnavailable !== null)("instances sharing a PostgreSQL database", () => {
  it("shows a member created on one instance in another's cache within a second", async () => {
    const url = await freshPostgresUrl();
    const [writer, reader] = [await instance(url, "machine-a"), await instance(url, "machine-b")];
    // A TTL of an hour: only the other instance's announcement can refresh this cache.
    const names = new Cached(reader.changes, ["Member"], async () => (await reader.prisma.member.findMany()).map((m) => m.displayName), 3_600_000);
    expect(await names.get()).toEqual([]);

    await writer.prisma.member.create({ data: { firstName: "Lina", displayName: "Lina" } });
    const writtenAt = performance.now();
    while (!(await names.get()).includes("Lina")) {
      expect(performance.now() - writtenAt, "seen within 1 s").toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Its own writes do not come back to the writer as news from elsewhere.
    const versionBefore = writer.changes.versionOf(["Member"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(writer.changes.versionOf(["Member"])).toBe(versionBefore);
  });

  it("lets one instance hold the Discord gateway lock, names it, and frees it when that instance ends", async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await instance(url, "machine-a"), await instance(url, "machine-b")];
    expect(await a.coordination!.tryLock("discord.gateway")).toBe(true);
    expect(await b.coordination!.tryLock("discord.gateway")).toBe(false);
    expect(await b.coordination!.holderOf("discord.gateway")).toBe("machine-a");
    expect(await b.coordination!.botInstances()).toEqual(["machine-a", "machine-b"]);

    await a.close();
    open.splice(open.indexOf(a), 1);
    expect(await b.coordination!.tryLock("discord.gateway")).toBe(true);
    expect(await b.coordination!.holderOf("discord.gateway")).toBe("machine-b");
  });

  it("hands the lock to an instance waiting for it the moment the holder ends, and a waiter that stops leaves the queue", async () => {
    const url = await freshPostgresUrl();
    const [a, b, c] = [await instance(url, "machine-a"), await instance(url, "machine-b"), await instance(url, "machine-c")];
    expect(await a.coordination!.tryLock("discord.gateway")).toBe(true);
    const bWaits = b.coordination!.waitForLock("discord.gateway");
    // c queues behind b; b stops while waiting: its wait ends (false) and it never gets the lock.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cWaits = c.coordination!.waitForLock("discord.gateway");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedAt = performance.now();
    await b.close();
    open.splice(open.indexOf(b), 1);
    expect(await bWaits).toBe(false);
    expect(performance.now() - stoppedAt, "a waiting instance stops at once").toBeLessThan(2_000);

    await a.close();
    open.splice(open.indexOf(a), 1);
    const endedAt = performance.now();
    expect(await cWaits).toBe(true);
    expect(performance.now() - endedAt, "handed over at once").toBeLessThan(1_000);
    expect(await c.coordination!.holderOf("discord.gateway")).toBe("machine-c");
    expect(await c.coordination!.botInstances()).toEqual(["machine-c"]);
  });
});

// Reported, not silent: the reason shows in the run as a skipped test.
if (postgresUnavailable !== null) it.skip(`PostgreSQL — ignoré : ${postgresUnavailable}`, () => {});
