import { describe, expect, it } from "vitest";

import { PermanentError, type DeliveryAttempt, type JobContext } from "../../src/scheduler/index.js";
import { deferred, freshScheduler, openInstance, until } from "./helpers.js";

describe("deliveries", () => {
  it("records the recipient before sending and marks it sent after", async () => {
    const { scheduler, store, clock } = await freshScheduler();
    const { job } = await scheduler.jobs.schedule({ kind: "digest", dueAt: clock.now() });
    let stateWhileSending: string | undefined;

    const outcome = await scheduler.deliveries.deliverOnce(job.id, "member:1", async () => {
      stateWhileSending = (await store.prisma.delivery.findFirst())?.state;
    });

    expect(outcome).toBe("sent");
    expect(stateWhileSending).toBe("sending");
    expect(await scheduler.deliveries.list(job.id)).toMatchObject([{ recipient: "member:1", state: "sent", at: clock.now(), error: null }]);
    expect(await scheduler.deliveries.deliverOnce(job.id, "member:1", async () => expect.fail("sent twice"))).toBe("already-sent");
  });

  it("sends again, with the same delivery key, a message a crash left unconfirmed, and ends every delivery sent", async () => {
    const crashed = await freshScheduler({ leaseMs: 60_000, stopTimeoutMs: 50 });
    const { clock } = crashed;
    const sent: { recipient: string; key: string; resumedSince?: Date }[] = [];
    const stuck = deferred();
    const stuckStarted = deferred();
    const recipients = ["member:1", "member:2", "member:3"];
    const remind = (who: string) => async (_job: unknown, ctx: JobContext) => {
      for (const recipient of recipients) {
        await ctx.deliverOnce(recipient, async (attempt) => {
          if (who === "crashed" && recipient === "member:2") {
            stuckStarted.resolve();
            await stuck.promise; // the process dies while this message is on its way
          }
          sent.push({ recipient, ...attempt });
        });
      }
    };
    crashed.scheduler.dispatcher.register("meeting.reminder", remind("crashed"));
    const { job } = await crashed.scheduler.jobs.schedule({ kind: "meeting.reminder", dueAt: clock.now() });
    const crashedTick = crashed.scheduler.tick();
    await stuckStarted.promise;
    const claimedAt = clock.now();

    // Another instance (or the restarted bot) finds the job once its lease has expired.
    const survivor = await openInstance(crashed.url, clock, { leaseMs: 60_000 });
    survivor.scheduler.dispatcher.register("meeting.reminder", remind("survivor"));
    clock.advance(61_000);
    expect(await survivor.scheduler.tick()).toMatchObject({ claimed: 1, done: 1 });

    // member:2 is sent again with the key of the interrupted attempt and the time since when a
    // copy may exist: the platform (Discord's nonce, Slack's metadata) makes that resend a no-op
    // if the first one had arrived (test/platforms/exactly-once.test.ts).
    expect(sent.map((s) => s.recipient)).toEqual(["member:1", "member:2", "member:3"]);
    expect(sent[1]).toMatchObject({ key: `job:${job.id}:member:2` });
    expect(sent[1]!.resumedSince!.getTime()).toBeLessThanOrEqual(claimedAt.getTime());
    expect(sent[0]!.resumedSince).toBeUndefined();
    expect((await survivor.scheduler.deliveries.list(job.id)).map((d) => [d.recipient, d.state])).toEqual([
      ["member:1", "sent"],
      ["member:2", "sent"],
      ["member:3", "sent"],
    ]);

    // If the first process was only frozen, not dead, its late send carries the same key (the
    // platform deduplicates it), and it cannot mark the job as its own.
    stuck.resolve();
    expect(await crashedTick).toMatchObject({ done: 0, lost: 1 });
    expect(sent.slice(3).map((s) => s.key)).toEqual([`job:${job.id}:member:2`]);
    expect(await survivor.scheduler.jobs.get(job.id)).toMatchObject({ state: "done", attempts: 2 });
  });

  it("ends as failed, with the reason, the deliveries a job leaves behind when it gives up for good", async () => {
    const { scheduler, store, clock } = await freshScheduler();
    scheduler.dispatcher.register("digest", async () => {
      throw new PermanentError("le salon n'existe plus");
    });
    const { job } = await scheduler.jobs.schedule({ kind: "digest", dueAt: clock.now() });
    // An earlier run was killed while posting; this one gives up before reaching that post again.
    await store.prisma.delivery.create({ data: { jobId: job.id, recipient: "channel:veille", state: "sending", at: clock.now() } });
    expect(await scheduler.tick()).toMatchObject({ failed: 1 });
    expect(await scheduler.deliveries.list(job.id)).toMatchObject([{ state: "failed", error: "tâche abandonnée : PermanentError: le salon n'existe plus" }]);
  });

  it("tries again, on the next run, a recipient the platform refused, and still serves the others", async () => {
    const { scheduler, clock } = await freshScheduler();
    let discordDown = true;
    const sent: string[] = [];
    scheduler.dispatcher.register("announce", async (_job, ctx) => {
      const outcomes = [];
      for (const recipient of ["discord:1", "slack:2"]) {
        outcomes.push(
          await ctx.deliverOnce(recipient, async () => {
            if (recipient.startsWith("discord") && discordDown) throw new Error("Discord indisponible (503)");
            sent.push(recipient);
          }),
        );
      }
      if (outcomes.includes("failed")) throw new Error("des envois ont échoué");
    });
    const { job } = await scheduler.jobs.schedule({ kind: "announce", dueAt: clock.now() });

    expect(await scheduler.tick()).toMatchObject({ retrying: 1 });
    expect(sent).toEqual(["slack:2"]);
    expect((await scheduler.deliveries.list(job.id)).map((d) => [d.recipient, d.state, d.error])).toEqual([
      ["discord:1", "failed", "Discord indisponible (503)"],
      ["slack:2", "sent", null],
    ]);

    discordDown = false;
    clock.advance(30_000);
    expect(await scheduler.tick()).toMatchObject({ done: 1 });
    expect(sent).toEqual(["slack:2", "discord:1"]);
  });

  it("gives two overlapping runs of a job the same delivery key for a recipient", async () => {
    const a = await freshScheduler();
    const b = await openInstance(a.url, a.clock);
    const { job } = await a.scheduler.jobs.schedule({ kind: "digest", dueAt: a.clock.now() });
    const gate = deferred();
    let sends = 0;
    const keys: string[] = [];
    const send = async (attempt: DeliveryAttempt) => {
      sends++;
      keys.push(attempt.key);
      await gate.promise;
    };
    const first = a.scheduler.deliveries.deliverOnce(job.id, "channel:annonces", send);
    await until(() => sends === 1);
    const second = b.scheduler.deliveries.deliverOnce(job.id, "channel:annonces", send);
    await until(() => sends === 2);
    gate.resolve();
    expect([await first, await second]).toEqual(["sent", "sent"]);
    // Both runs sent with one key: the platform keeps one message (test/platforms/exactly-once.test.ts).
    expect(keys).toEqual([`job:${job.id}:channel:annonces`, `job:${job.id}:channel:annonces`]);
  });
});
