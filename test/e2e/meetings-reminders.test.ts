/**
 * Reminders that are never lost and never sent twice, end to end on the emulators: downtime,
 * a process killed between claiming a reminder and sending it, platform errors (429, 5xx,
 * closed DMs), and both 2026 clock changes.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { until } from "../scheduler/helpers.js";
import { clickOnDiscord, clickOnSlack, createMeeting, discordDms, dmRoute, promeneur, slackDms, startWorld, type World } from "./meetings-world.js";
import { discordEnv } from "../helpers/env.js";

const rsvp = (id: number, choice: "oui" | "peutetre" | "non") => `rencontre:rsvp:${id}:${choice}`;
const reminders = (texts: string[]) => texts.filter((t) => t.includes("Rappel : la rencontre a lieu"));

describe("meeting reminders", () => {
  it("after downtime, sends the latest missed reminder once if the meeting has not started, and skips it if it has", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea" }).id;
    const hugo = w.slack.addUser({ name: "hugo" }).id;
    const { id } = await createMeeting(w, { debut: "12 mars 14h", rappels: "7j,1j,2h" });
    await clickOnDiscord(w, lea, rsvp(id, "oui"));
    await clickOnSlack(w, hugo, rsvp(id, "peutetre"));

    await w.stop();
    w.clock.set("2026-03-11T15:00:00Z"); // down over J-7 and J-1; the meeting is tomorrow 14:00
    await w.restart();
    expect(reminders(discordDms(w, lea))).toHaveLength(1);
    expect(discordDms(w, lea)[0]).toContain("dans 22 heures");
    expect(reminders(slackDms(w, hugo))).toHaveLength(1);
    expect(w.logs().some((l) => l.msg.includes("un rappel plus proche de la rencontre est dû aussi"))).toBe(true);
    // The buttons of the post made before the restart still work: the route is in their id.
    expect((await clickOnDiscord(w, lea, rsvp(id, "peutetre"))).text).toContain("peut-être pour");

    await w.stop();
    w.clock.set("2026-03-12T13:30:00Z"); // down over H-2, back after the start
    await w.restart();
    expect(reminders(discordDms(w, lea))).toHaveLength(1);
    expect(reminders(slackDms(w, hugo))).toHaveLength(1);
    expect(w.logs().some((l) => l.msg.includes("rappel ignoré : la rencontre a déjà commencé"))).toBe(true);
  });

  it("sends exactly once when a process dies between claiming a reminder and sending it", async () => {
    const w = await startWorld();
    const [d1, d2, d3] = ["anna", "bruno", "chloe"].map((username) => w.discord.addUser({ username }).id);
    const s1 = w.slack.addUser({ name: "david" }).id;
    const { id } = await createMeeting(w, { debut: "12 mars 14h", rappels: "1j" });
    for (const user of [d1!, d2!, d3!]) await clickOnDiscord(w, user, rsvp(id, "oui"));
    await clickOnSlack(w, s1, rsvp(id, "oui"));
    const due = "2026-03-11T13:00:00Z";
    // Bruno's DM hangs the other instance (a 30 s rate limit): it dies with his delivery under way.
    w.discord.failNext(dmRoute(w, d2!), { status: 429, retryAfter: 30 });

    const other = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/meetings-instance.ts", import.meta.url)), JSON.stringify(instanceEnv(w)), due], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => other.once("exit", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: other.stdout! }).once("line", () => resolve());
        other.once("exit", (code) => reject(new Error(`the other instance exited (${code})`)));
      });
      const deliveries = () => w.bot.store.prisma.delivery.findMany({ where: { recipient: { endsWith: ":discord" } } });
      await until(async () => (await deliveries()).filter((d) => d.state === "sent").length === 2 && (await deliveries()).some((d) => d.state === "sending"), 15_000);
    } finally {
      other.kill("SIGKILL");
      await exited;
    }
    expect(discordDms(w, d1!)).toHaveLength(1);
    expect(discordDms(w, d2!)).toEqual([]);

    // The survivor takes the job over once the dead instance's lease (2 min) has expired.
    w.clock.set("2026-03-11T13:01:30Z");
    expect((await w.bot.scheduler.tick()).claimed).toBe(0);
    w.clock.set("2026-03-11T13:02:01Z");
    await w.bot.scheduler.tick();
    expect(discordDms(w, d1!)).toHaveLength(1);
    expect(discordDms(w, d3!)).toHaveLength(1);
    expect(slackDms(w, s1)).toHaveLength(1);
    // Bruno's message was on its way when the instance died: it is sent again with the same
    // nonce, so he gets it exactly once, and nobody needs to check with him.
    expect(discordDms(w, d2!)).toHaveLength(1);
    expect(w.logs().some((l) => l.msg.includes("envoi interrompu par un arrêt"))).toBe(true);
    expect(discordDms(w, w.animator).join("\n")).not.toMatch(/bruno/);
    const job = await w.bot.store.prisma.job.findFirst({ where: { kind: "meeting.reminder" } });
    expect(job).toMatchObject({ state: "done", attempts: 2 });
  });

  it("honours 429s, retries 5xx with back-off without holding the other platform, and reports lasting refusals", async () => {
    const w = await startWorld({ rappelsOnSlack: false });
    const slow = w.discord.addUser({ username: "lent" }).id;
    const broken = w.discord.addUser({ username: "enpanne" }).id;
    const fine = w.slack.addUser({ name: "hugo" }).id;
    const closed = w.slack.addUser({ name: "ferme", dmsClosed: true }).id;
    await promeneur(w, "Fermé", { slack: closed });
    const { id } = await createMeeting(w, { debut: "12 mars 14h", rappels: "1j" });
    for (const user of [slow, broken]) await clickOnDiscord(w, user, rsvp(id, "oui"));
    for (const user of [fine, closed]) await clickOnSlack(w, user, rsvp(id, "oui"));
    w.discord.failNext(dmRoute(w, slow), { status: 429, retryAfter: 0.3 });
    // discord.js tries a request 4 times on 5xx (3 retries): the whole first run fails for this DM.
    w.discord.failNext(dmRoute(w, broken), { status: 500, times: 4 });
    w.slack.failNext("chat.postMessage", { status: 429, retryAfter: 0 });

    w.clock.set("2026-03-11T13:00:00Z");
    await w.bot.scheduler.tick();
    expect(discordDms(w, slow)).toHaveLength(1); // after waiting out the 429
    expect(slackDms(w, fine)).toHaveLength(1); // Slack was not held by Discord's outage
    expect(discordDms(w, broken)).toEqual([]);
    const injected = w.discord.requests.filter((r) => r.injected);
    expect(injected.filter((r) => r.status === 429)).toHaveLength(1);
    expect(injected.filter((r) => r.status === 500)).toHaveLength(4);
    expect(w.discord.pendingFailures).toBe(0);
    const job = await w.bot.store.prisma.job.findFirstOrThrow({ where: { kind: "meeting.reminder" } });
    expect(job).toMatchObject({ state: "pending", attempts: 1, dueAt: new Date("2026-03-11T13:00:30Z") });
    expect(job.lastError).toContain("enpanne");
    expect(discordDms(w, w.animator)).toEqual([]); // not yet: the outage may pass

    w.clock.set("2026-03-11T13:00:30Z"); // the job's back-off: 30 s after the first attempt
    await w.bot.scheduler.tick();
    expect(discordDms(w, broken)).toHaveLength(1);
    expect(discordDms(w, slow)).toHaveLength(1);
    expect(slackDms(w, fine)).toHaveLength(1);
    expect(discordDms(w, w.animator).at(-1)).toContain("n'a pas pu joindre une personne :\n- Fermé (Slack : messages privés fermés et aucun salon « rappels » configuré (message gardé dans /messages))");
    expect(await w.bot.store.prisma.job.findFirst({ where: { kind: "meeting.reminder" } })).toMatchObject({ state: "done" });
  });

  it("sends « 7j » and « 1j » at 14:00 Paris time across the March and October 2026 clock changes", async () => {
    const w = await startWorld();
    const lea = w.discord.addUser({ username: "lea" }).id;
    const spring = await createMeeting(w, { debut: "lundi 30 mars 2026 14h", rappels: "7j,1j" });
    const autumn = await createMeeting(w, { debut: "lundi 26 octobre 2026 14h", rappels: "7j,1j" });
    for (const { id } of [spring, autumn]) await clickOnDiscord(w, lea, rsvp(id, "oui"));
    const due = await w.bot.store.prisma.job.findMany({ where: { kind: "meeting.reminder" }, orderBy: { dueAt: "asc" } });
    expect(due.map((j) => j.dueAt.toISOString())).toEqual([
      "2026-03-23T13:00:00.000Z", // Monday 23 March 14:00 CET
      "2026-03-29T12:00:00.000Z", // Sunday 29 March 14:00 CEST (the change was at 02:00 that night)
      "2026-10-19T12:00:00.000Z", // Monday 19 October 14:00 CEST
      "2026-10-25T13:00:00.000Z", // Sunday 25 October 14:00 CET (the change was at 03:00 that night)
    ]);
    let sent = 0;
    for (const job of due) {
      w.clock.set(new Date(job.dueAt.getTime() - 1000));
      await w.bot.scheduler.tick();
      expect(reminders(discordDms(w, lea))).toHaveLength(sent);
      w.clock.set(job.dueAt);
      await w.bot.scheduler.tick();
      expect(reminders(discordDms(w, lea))).toHaveLength(++sent);
    }
  });
});

/** The environment of a second instance of the same bot: same database, Discord only. */
function instanceEnv(w: World): Record<string, string> {
  return {
    DATABASE_URL: w.config.DATABASE_URL,
    ...discordEnv(w.discord),
    BOT_ADMINS: `discord:${w.animator}`,
    LOG_LEVEL: "silent",
    WEB_PORT: "off",
  };
}
