/**
 * A restarted bot takes back at once the jobs its killed predecessor held, instead of waiting for
 * their lease to expire; the leases of holders that may still be alive are respected.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";

import { describe, expect, it } from "vitest";

import { bootId, holderIsGone, localWorkerId } from "../../src/scheduler/holders.js";
import { freshScheduler, openInstance } from "./helpers.js";

/** The pid of a process that has just ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

const here = os.hostname();
const boot = bootId();

describe("lease holders", () => {
  it("names host, pid and boot in the worker id, and tells a dead holder from one that may be alive", () => {
    expect(localWorkerId()).toMatch(new RegExp(`^${here}:${process.pid}:${boot}:[0-9a-f]{6}$`));
    expect(holderIsGone(`${here}:${deadPid()}:${boot}:abcdef#1234-1`)).toBe(true);
    // Alive: the parent of this test process; and this very process.
    expect(holderIsGone(`${here}:${process.ppid}:${boot}:abcdef#1234-1`)).toBe(false);
    expect(holderIsGone(`${localWorkerId()}#1234-1`)).toBe(false);
    // Another boot of this host: the machine restarted since that lease was taken.
    expect(holderIsGone(`${here}:${process.ppid}:00000000:abcdef#1234-1`)).toBe(boot !== "00000000");
    // Another host, or an id this bot did not write: presumed alive.
    expect(holderIsGone(`autre-machine:${deadPid()}:${boot}:abcdef#1234-1`)).toBe(false);
    expect(holderIsGone("instance-qui-plante#1234-1")).toBe(false);
  });

  it("at start-up, takes over at once the jobs of a dead holder and leaves those of a live one", async () => {
    const { scheduler, store, clock, url } = await freshScheduler();
    const ran: string[] = [];
    scheduler.dispatcher.register("ping", async (job) => void ran.push(job.dedupeKey!));
    const lease = new Date(clock.now().getTime() + 120_000);
    const held = (dedupeKey: string, lockedBy: string) =>
      store.prisma.job.create({ data: { kind: "ping", dueAt: clock.now(), payload: "{}", dedupeKey, state: "running", lockedBy, leaseUntil: lease, attempts: 1, createdAt: clock.now(), updatedAt: clock.now() } });
    await held("dead", `${here}:${deadPid()}:${boot}:abcdef#1234-1`);
    await held("alive", `${here}:${process.ppid}:${boot}:abcdef#1234-1`);
    await held("elsewhere", "autre-machine:42:0badf00d:abcdef#1234-1");

    expect(await scheduler.start()).toMatchObject({ claimed: 1, done: 1 });
    expect(ran).toEqual(["dead"]);
    expect((await store.prisma.job.findMany({ where: { state: "running" }, orderBy: { id: "asc" } })).map((j) => j.dedupeKey)).toEqual(["alive", "elsewhere"]);

    // The holder of the one-bot lock knows no other scheduler runs: every other lease is a dead one's.
    const sole = await openInstance(url, clock, { soleInstance: true });
    sole.scheduler.dispatcher.register("ping", async (job) => void ran.push(job.dedupeKey!));
    expect(await sole.scheduler.start()).toMatchObject({ claimed: 2, done: 2 });
    expect(ran.sort()).toEqual(["alive", "dead", "elsewhere"]);
  });

  it("while running beside other instances, takes over a dead holder's jobs at its next tick, not only at its own start-up", async () => {
    // Two instances share the jobs; one dies in the middle of a job and stays down (its machine
    // is lost, or it restarts slowly): the survivor must resend within Discord's nonce window
    // (a few minutes), so it cannot wait for the 2-minute lease, let alone a restart.
    const { scheduler, store, clock } = await freshScheduler();
    const ran: string[] = [];
    scheduler.dispatcher.register("ping", async (job) => void ran.push(job.dedupeKey!));
    await scheduler.start();
    const lease = new Date(clock.now().getTime() + 120_000);
    const held = (dedupeKey: string, lockedBy: string) =>
      store.prisma.job.create({ data: { kind: "ping", dueAt: clock.now(), payload: "{}", dedupeKey, state: "running", lockedBy, leaseUntil: lease, attempts: 1, createdAt: clock.now(), updatedAt: clock.now() } });
    await held("dead", `${here}:${deadPid()}:${boot}:abcdef#1234-1`);
    await held("alive", `${here}:${process.ppid}:${boot}:abcdef#1234-1`);

    expect(await scheduler.tick()).toMatchObject({ claimed: 1, done: 1 });
    expect(ran).toEqual(["dead"]);
  });

  it("takes over the jobs of an instance of another machine once it has been missing from the database's sessions for a while", async () => {
    const sessions = [`${here}#${process.pid}`, "autre-machine#42"];
    const { scheduler, store, clock } = await freshScheduler({ liveInstances: async () => sessions, goneAfterMs: 200 });
    const ran: string[] = [];
    scheduler.dispatcher.register("ping", async (job) => void ran.push(job.dedupeKey!));
    await scheduler.start();
    const lease = new Date(clock.now().getTime() + 120_000);
    const held = (dedupeKey: string, lockedBy: string) =>
      store.prisma.job.create({ data: { kind: "ping", dueAt: clock.now(), payload: "{}", dedupeKey, state: "running", lockedBy, leaseUntil: lease, attempts: 1, createdAt: clock.now(), updatedAt: clock.now() } });
    await held("lost", `autre-machine:42:${boot}:abcdef#1234-1`);
    await held("connected", `troisieme-machine:7:${boot}:abcdef#1234-1`);
    sessions.push("troisieme-machine#7");

    // Connected: its lease is respected.
    expect(await scheduler.tick()).toMatchObject({ claimed: 0 });
    // Its sessions are gone: not at the first look (a reconnecting instance is briefly missing)…
    sessions.splice(sessions.indexOf("autre-machine#42"), 1);
    expect(await scheduler.tick()).toMatchObject({ claimed: 0 });
    // …but once missing for longer than that.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await scheduler.tick()).toMatchObject({ claimed: 1, done: 1 });
    expect(ran).toEqual(["lost"]);
    // When this instance does not see itself either, its own connection is what is missing: no one is judged.
    sessions.splice(0);
    await held("unjudged", `quatrieme-machine:9:${boot}:abcdef#1234-1`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await scheduler.tick()).toMatchObject({ claimed: 0 });
  });
});
