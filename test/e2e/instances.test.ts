/**
 * Several bot instances on one PostgreSQL database, as real processes against the Discord and
 * Slack emulators: reminders go out exactly once (counted on the emulators), only one instance
 * holds Discord's gateway, and when it is killed (kill -9) the other answers the slash commands
 * within 30 s. Run by the "postgresql" vitest project only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "vitest";

import { until } from "../scheduler/helpers.js";
import { bothEnv } from "../helpers/env.js";
import { clickOnDiscord, clickOnSlack, createMeeting, discordDms, slackDms, startWorld, type World } from "./meetings-world.js";

const rsvp = (id: number) => `rencontre:rsvp:${id}:oui`;
const reminders = (texts: string[]) => texts.filter((t) => t.includes("Rappel : la rencontre a lieu"));

interface Instance {
  child: ChildProcess;
  pid: number;
  events: string[];
  /** What its health snapshot said when it was up. */
  facts?: { self: string; discord: string | null; jobs: string[] };
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
  const env = { DATABASE_URL: w.config.DATABASE_URL, ...bothEnv(w.discord, w.slack), BOT_ADMINS: `discord:${w.animator}`, LOG_LEVEL: "silent", WEB_PORT: "off" };
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/instance.ts", import.meta.url)), JSON.stringify(env), at], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const instance: Instance = { child, pid: child.pid!, events: [], exited: new Promise((resolve) => child.once("exit", resolve)) };
  running.push(instance);
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const event = JSON.parse(line) as { event: string; instances?: Instance["facts"] };
    instance.events.push(event.event);
    if (event.instances) instance.facts = event.instances;
  });
  await until(async () => instance.events.includes("ready"), 60_000);
  return instance;
}

describe.skipIf(process.env["PROMENEURS_TEST_STORE"] !== "postgresql")("several instances on PostgreSQL", () => {
  it("deliver each reminder once across Discord and Slack, and the survivor serves Discord within 30 s of a kill -9", async () => {
    const w = await startWorld();
    const discordUsers = Array.from({ length: 6 }, (_, i) => w.discord.addUser({ username: `promeneur${i}` }).id);
    const slackUsers = Array.from({ length: 6 }, (_, i) => w.slack.addUser({ name: `promeneuse${i}` }).id);
    const meetings = [await createMeeting(w, { debut: "12 mars 14h", rappels: "1j" }), await createMeeting(w, { debut: "12 mars 16h", rappels: "1j" })];
    for (const { id } of meetings) {
      for (const user of discordUsers) await clickOnDiscord(w, user, rsvp(id));
      for (const user of slackUsers) await clickOnSlack(w, user, rsvp(id));
    }
    await w.stop(); // the world's own bot only prepared the data

    // Both reminders (14:00 and 16:00, « 1j ») are due at 15:00 the day before.
    const [a, b] = [await spawnInstance(w, "2026-03-11T15:00:00Z"), await spawnInstance(w, "2026-03-11T15:00:00Z")];
    await until(async () => [...discordUsers.map((u) => reminders(discordDms(w, u))), ...slackUsers.map((u) => reminders(slackDms(w, u)))].every((r) => r.length >= 2), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // time for a duplicate to show up, if any
    for (const user of discordUsers) expect(reminders(discordDms(w, user)), `Discord ${user}`).toHaveLength(2);
    for (const user of slackUsers) expect(reminders(slackDms(w, user)), `Slack ${user}`).toHaveLength(2);

    // One gateway session, and a command is answered once.
    await until(async () => [a, b].some((i) => i.events.includes("holder")), 30_000);
    expect(w.discord.liveSessions).toBe(1);
    const [holder, standby] = a.events.includes("holder") ? [a, b] : [b, a];
    // /sante's facts: who this is, who holds Discord, who runs jobs (the second to start sees both).
    expect(holder.facts!.discord).toBe(holder.facts!.self);
    expect(b.facts!.jobs).toEqual([a.facts!.self, b.facts!.self]);
    expect(b.facts!.self).toMatch(new RegExp(`#${b.pid}$`));
    const before = await w.discord.sendCommand({ userId: discordUsers[0]!, name: "aide" }).final();
    expect(before.text).toContain("/annuaire");
    const answered = w.discord.interactionHandles.at(-1)!;
    expect(answered.callbacks).toHaveLength(1);
    expect(answered.rejectedCallbacks).toEqual([]);

    holder.child.kill("SIGKILL");
    await holder.exited;
    const killedAt = performance.now();
    const after = await w.discord.sendCommand({ userId: discordUsers[1]!, name: "aide" }).final({ timeoutMs: 30_000 });
    const tookMs = performance.now() - killedAt;
    expect(after.text).toContain("/annuaire");
    expect(tookMs).toBeLessThan(30_000);
    await until(async () => standby.events.includes("holder"), 5_000); // its health poll says so too
    expect(w.discord.liveSessions).toBe(1);
    const second = w.discord.interactionHandles.at(-1)!;
    expect(second.callbacks).toHaveLength(1);
    expect(second.rejectedCallbacks).toEqual([]);
    console.info(`[instances] relève Discord après kill -9 : ${Math.round(tookMs)} ms`);
  }, 180_000);
});
