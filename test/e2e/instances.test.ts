/**
 * Several bot instances on one PostgreSQL database, as real processes against the Discord and
 * Slack emulators: reminders go out exactly once (counted on the emulators), only one instance
 * holds Discord's gateway, and when it is killed (kill -9) the other answers the slash commands
 * within 30 s, on Discord and on Slack. Run by the "postgresql" vitest project only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "vitest";

import { openStore } from "../../src/store/index.js";
import { until } from "../scheduler/helpers.js";
import { bothEnv } from "../helpers/env.js";
import { clickOnDiscord, clickOnSlack, createMeeting, discordDms, slackDms, startWorld, type World } from "./meetings-world.js";

/** 35 members × 29 meetings = 1,015 reminders. */
const MEETINGS = Number(process.env.INSTANCES_MEETINGS ?? 29);
const rsvp = (id: number) => `rencontre:rsvp:${id}:oui`;
const reminders = (texts: string[]) => texts.filter((t) => t.includes("Rappel : la rencontre a lieu"));

interface Instance {
  child: ChildProcess;
  pid: number;
  events: string[];
  /** What its health snapshot said when it was up. */
  facts?: { self: string; discord: string | null; jobs: string[] };
  /** Its log lines about Discord's gateway (pino's time, in ms since the epoch). */
  gatewayLog: { time: number; msg: string; waitedMs?: number; loginMs?: number }[];
  exited: Promise<unknown>;
}

const running: Instance[] = [];
afterEach(async () => {
  for (const instance of running.splice(0)) {
    instance.child.kill("SIGKILL");
    await instance.exited;
  }
});

/** Starts `npm start`'s bot in its own process on the world's database and emulators, its clock at `at`. */
async function spawnInstance(w: World, at: string): Promise<Instance> {
  const env = { DATABASE_URL: w.config.DATABASE_URL, ...bothEnv(w.discord, w.slack), BOT_ADMINS: `discord:${w.animator}`, LOG_LEVEL: "info", WEB_PORT: "off" };
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/instance.ts", import.meta.url)), JSON.stringify(env), at], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const instance: Instance = { child, pid: child.pid!, events: [], gatewayLog: [], exited: new Promise((resolve) => child.once("exit", resolve)) };
  running.push(instance);
  // Its Discord lines, timed, tell where a takeover's time went (the wait for the lock, the login).
  createInterface({ input: child.stderr! }).on("line", (line) => {
    if (!line.includes('"platform":"discord"')) return;
    const { time, msg, waitedMs, loginMs } = JSON.parse(line) as { time: number; msg: string; waitedMs?: number; loginMs?: number };
    instance.gatewayLog.push({ time, msg, ...(waitedMs !== undefined && { waitedMs }), ...(loginMs !== undefined && { loginMs }) });
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const event = JSON.parse(line) as { event: string; instances?: Instance["facts"] };
    instance.events.push(event.event);
    if (event.instances) instance.facts = event.instances;
  });
  await until(async () => instance.events.includes("ready"), 60_000);
  return instance;
}

/** How many reminder jobs each process ran (the pid in the claim token), read with a short-lived store. */
async function readJobs(w: World): Promise<Record<string, number>> {
  const store = await openStore(w.config.DATABASE_URL);
  try {
    const done = await store.prisma.job.findMany({ where: { kind: "meeting.reminder", state: "done" }, select: { lockedBy: true } });
    const byPid: Record<string, number> = {};
    for (const { lockedBy } of done) {
      const pid = lockedBy?.split(":")[1] ?? "?";
      byPid[pid] = (byPid[pid] ?? 0) + 1;
    }
    return byPid;
  } finally {
    await store.close();
  }
}

async function slackAide(w: World, userId: string) {
  const h = w.slack.slashCommand({ userId, command: "/aide", text: "" });
  await h.ack();
  return h.final({ until: () => true, timeoutMs: 10_000 });
}

describe.skipIf(process.env["PROMENEURS_TEST_STORE"] !== "postgresql")("several instances on PostgreSQL", () => {
  it("deliver 1,015 reminders to 35 members once each across Discord and Slack, and the survivor serves both within 30 s of a kill -9", async () => {
    const w = await startWorld();
    const discordUsers = Array.from({ length: 18 }, (_, i) => w.discord.addUser({ username: `promeneur${i}` }).id);
    const slackUsers = Array.from({ length: 17 }, (_, i) => w.slack.addUser({ name: `promeneuse${i}` }).id);
    const meetings: { id: number }[] = [];
    for (let i = 0; i < MEETINGS; i++) meetings.push(await createMeeting(w, { titre: `Rencontre ${i + 1}`, debut: `12 mars ${8 + (i % 10)}h`, rappels: "1j" }));
    // The first answer, by a click, registers each member; the other meetings are answered through the service.
    for (const user of discordUsers) await clickOnDiscord(w, user, rsvp(meetings[0]!.id));
    for (const user of slackUsers) await clickOnSlack(w, user, rsvp(meetings[0]!.id));
    const members = await w.bot.store.prisma.member.findMany({ where: { role: "PROMENEUR" } });
    expect(members).toHaveLength(35);
    const service = w.bot.features.meetings;
    for (const { id } of meetings.slice(1)) for (const member of members) await service.answer(id, member, "oui");
    await w.stop(); // the world's own bot only prepared the data

    // Every « 1j » reminder (meetings from 08:00 to 17:00 on the 12th, Paris) is due by 16:00 UTC on the 11th.
    // Started together: both claim from the same burst.
    const [a, b] = await Promise.all([spawnInstance(w, "2026-03-11T16:00:00Z"), spawnInstance(w, "2026-03-11T16:00:00Z")]);
    const received = () => [...discordUsers.map((u) => reminders(discordDms(w, u))), ...slackUsers.map((u) => reminders(slackDms(w, u)))];
    const t0 = performance.now();
    await until(async () => received().every((r) => r.length >= MEETINGS), 120_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${received().flat().length} of ${35 * MEETINGS} reminders received`);
    });
    console.info(`[instances] ${35 * MEETINGS} rappels reçus en ${Math.round(performance.now() - t0)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // time for a duplicate to show up, if any
    for (const user of discordUsers) expect(reminders(discordDms(w, user)), `Discord ${user}`).toHaveLength(MEETINGS);
    for (const user of slackUsers) expect(reminders(slackDms(w, user)), `Slack ${user}`).toHaveLength(MEETINGS);
    expect(received().flat()).toHaveLength(35 * MEETINGS);
    const jobs = await readJobs(w);
    console.info(`[instances] rappels par processus : ${JSON.stringify(jobs)}`);

    // One gateway session, and a command is answered once.
    await until(async () => [a, b].some((i) => i.events.includes("holder")), 30_000);
    expect(w.discord.liveSessions).toBe(1);
    const [holder, standby] = a.events.includes("holder") ? [a, b] : [b, a];
    // /sante's facts: who this is, who holds Discord, who runs jobs.
    expect(holder.facts!.discord).toBe(holder.facts!.self);
    const both = [a.facts!.self, b.facts!.self].sort();
    expect([a, b].some((i) => [...i.facts!.jobs].sort().join() === both.join())).toBe(true); // the later one sees both
    expect(b.facts!.self).toMatch(new RegExp(`#${b.pid}$`));
    const before = await w.discord.sendCommand({ userId: discordUsers[0]!, name: "aide" }).final();
    expect(before.text).toContain("/annuaire");
    const answered = w.discord.interactionHandles.at(-1)!;
    expect(answered.callbacks).toHaveLength(1);
    expect(answered.rejectedCallbacks).toEqual([]);

    // Slack: both instances are connected (Socket Mode); Slack hands each command to one connection.
    expect((await slackAide(w, slackUsers[0]!)).fullText).toContain("/annuaire");

    holder.child.kill("SIGKILL");
    await holder.exited;
    const killedAt = performance.now();
    const killedAtEpoch = Date.now();
    const steps = () => standby.gatewayLog.filter((l) => l.time >= killedAtEpoch - 1000).map((l) => `+${l.time - killedAtEpoch} ms ${l.msg}`).join(" | ");
    const after = await w.discord
      .sendCommand({ userId: discordUsers[1]!, name: "aide" })
      .final({ timeoutMs: 30_000 })
      .catch((error: Error) => {
        throw new Error(`${error.message} — the survivor's steps after the kill: ${steps() || "none"}`);
      });
    const tookMs = performance.now() - killedAt;
    expect(after.text).toContain("/annuaire");
    expect(tookMs).toBeLessThan(30_000);
    await until(async () => standby.events.includes("holder"), 5_000); // its health poll says so too
    expect(w.discord.liveSessions).toBe(1);
    const second = w.discord.interactionHandles.at(-1)!;
    expect(second.callbacks).toHaveLength(1);
    expect(second.rejectedCallbacks).toEqual([]);
    expect((await slackAide(w, slackUsers[1]!)).fullText).toContain("/annuaire");
    console.info(`[instances] relève Discord après kill -9 : ${Math.round(tookMs)} ms (${steps()})`);
  }, 400_000);
});

// In the "sqlite" project: reported, with where it runs.
if (process.env["PROMENEURS_TEST_STORE"] !== "postgresql") it.skip("plusieurs instances : tourne dans le projet « postgresql » (il faut PostgreSQL)", () => {});
