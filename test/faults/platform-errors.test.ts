/**
 * A storm of 429s and 5xx on every call a reminder job makes, on both platforms at once (the real
 * bot, discord.js and Bolt's Web API client, the emulators): Discord's DM channel opening and
 * message posts, Slack's conversations.open and chat.postMessage. The reminders still reach every
 * person exactly once (counted on the emulators, not in the database), after the job's retries.
 */
import { describe, expect, it } from "vitest";
import { clickOnDiscord, clickOnSlack, createMeeting, discordDms, slackDms, startWorld } from "../e2e/meetings-world.js";

const rsvp = (id: number) => `rencontre:rsvp:${id}:oui`;
const reminders = (texts: string[]) => texts.filter((t) => t.includes("Rappel : la rencontre a lieu"));

describe("429 storms and 5xx on every call of a reminder job", () => {
  it("every person gets the reminder exactly once, on Discord and on Slack", { timeout: 90_000 }, async () => {
    const w = await startWorld({ rappelsOnSlack: false });
    const onDiscord = ["anna", "bruno", "chloe", "dylan"].map((username) => w.discord.addUser({ username }).id);
    const onSlack = ["emma", "farid", "gael", "hana"].map((name) => w.slack.addUser({ name }).id);
    const { id } = await createMeeting(w, { debut: "12 mars 14h", rappels: "1j" });
    for (const user of onDiscord) await clickOnDiscord(w, user, rsvp(id));
    for (const user of onSlack) await clickOnSlack(w, user, rsvp(id));
    const before = { discord: onDiscord.map((u) => reminders(discordDms(w, u)).length), slack: onSlack.map((u) => reminders(slackDms(w, u)).length) };
    expect([...before.discord, ...before.slack].every((n) => n === 0)).toBe(true);

    // Discord: every DM channel opening and every message post answered 429 (short waits), then
    // 5xx long enough to fail discord.js's own retries (4 tries) for half the posts.
    const dmOpen = ({ method, path }: { method: string; path: string }) => method === "POST" && path === "/users/@me/channels";
    const post = ({ method, path }: { method: string; path: string }) => method === "POST" && /^\/channels\/\d+\/messages$/.test(path);
    w.discord.failNext(dmOpen, { status: 429, retryAfter: 0.05, times: 6 });
    w.discord.failNext(post, { status: 429, retryAfter: 0.05, times: 6 });
    w.discord.failNext(post, { status: 502, times: 8 });
    // Slack: the same on its two calls (Bolt's client waits out Retry-After and retries 5xx).
    w.slack.failNext("conversations.open", { status: 429, retryAfter: 0, times: 4 });
    w.slack.failNext("chat.postMessage", { status: 429, retryAfter: 0, times: 4 });
    w.slack.failNext("chat.postMessage", { status: 500, times: 2 });

    w.clock.set("2026-03-11T13:00:00Z");
    for (let tick = 0; tick < 8; tick++) {
      await w.bot.scheduler.tick();
      const job = await w.bot.store.prisma.job.findFirstOrThrow({ where: { kind: "meeting.reminder" } });
      if (job.state !== "pending") break;
      w.clock.set(job.dueAt); // the job's own back-off
    }

    expect(w.discord.pendingFailures).toBe(0);
    const failed = (method: string) => w.slack.callsTo(method).filter((c) => !c.ok).length;
    expect([failed("conversations.open"), failed("chat.postMessage")]).toEqual([4, 6]); // every injected error was met
    expect(w.discord.requests.filter((r) => r.injected).length).toBe(20);
    expect(onDiscord.map((u) => reminders(discordDms(w, u)).length)).toEqual([1, 1, 1, 1]);
    expect(onSlack.map((u) => reminders(slackDms(w, u)).length)).toEqual([1, 1, 1, 1]);
    expect(await w.bot.store.prisma.job.findFirst({ where: { kind: "meeting.reminder" } })).toMatchObject({ state: "done" });
  });
});
