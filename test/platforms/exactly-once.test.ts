/**
 * A job's message arrives exactly once on Discord and on Slack, whether or not the attempt a crash
 * interrupted had reached the platform: the real adapters on the emulators, the real Delivery rows.
 * A crash is the Delivery row left `sending` (the state a SIGKILL leaves between the platform call
 * and its confirmation); test/e2e/crash-kill.test.ts does the same with real killed processes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { bothEnv } from "../helpers/env.js";
import { SLACK_BOT_SCOPES } from "../../src/platforms/slack/manifest.js";

let discord: DiscordEmulator;
let slack: SlackEmulator;
let bot: Bot;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  slack = await startSlackEmulator();
  bot = await startBot({ scheduler: { timer: false }, config: await testConfig(bothEnv(discord, slack)), log: memoryLogger().log });
});

afterEach(async () => {
  await bot.stop();
  await discord.close();
  await slack.close();
});

async function member() {
  const d = discord.addUser({ username: "nora" });
  const s = slack.addUser({ name: "nora" });
  const admin = (await bot.services.members.bootstrapAdmins(["console:root"]))[0]!;
  const m = await bot.services.members.create({ firstName: "Nora" }, admin.id);
  for (const [platform, externalId] of [["discord", d.id], ["slack", s.id]] as const) await bot.services.members.link(m.id, { platform, externalId }, admin.id);
  return { discordId: d.id, slackId: s.id, member: (await bot.services.members.get(m.id))!, admin };
}

async function aJob() {
  return (await bot.scheduler.jobs.schedule({ kind: "meeting.reminder", dueAt: new Date() })).job;
}

/** What a process killed between the platform call and the `sent` row leaves behind. */
async function crashBeforeConfirming(jobId: number, recipient: string) {
  await bot.store.prisma.delivery.update({ where: { jobId_recipient: { jobId, recipient } }, data: { state: "sending" } });
}

const reminder = { title: "Rappel", text: "La rencontre a lieu demain à 14h." };

describe("a job's message resent after a crash", () => {
  it("is not doubled when the interrupted attempt had reached Discord and Slack", async () => {
    const { member: nora, discordId, slackId } = await member();
    const job = await aJob();
    const send = () => bot.services.notifications.toMember(nora, reminder);
    expect(await bot.scheduler.deliveries.deliverOnce(job.id, "m1", send)).toBe("sent");
    await crashBeforeConfirming(job.id, "m1");

    expect(await bot.scheduler.deliveries.deliverOnce(job.id, "m1", send)).toBe("sent");
    expect(discord.dmsTo(discordId)).toHaveLength(1);
    expect(slack.dmsTo(slackId)).toHaveLength(1);
    expect(await bot.scheduler.deliveries.list(job.id)).toMatchObject([{ recipient: "m1", state: "sent" }]);
  });

  it("is sent when the interrupted attempt had not reached them", async () => {
    const { member: nora, discordId, slackId } = await member();
    const job = await aJob();
    await bot.store.prisma.delivery.create({ data: { jobId: job.id, recipient: "m1", state: "sending", at: new Date() } });

    expect(await bot.scheduler.deliveries.deliverOnce(job.id, "m1", () => bot.services.notifications.toMember(nora, reminder))).toBe("sent");
    expect(discord.dmsTo(discordId)).toHaveLength(1);
    expect(slack.dmsTo(slackId)).toHaveLength(1);
  });

  it("is not doubled when only one platform had been reached, and a channel post neither", async () => {
    const { member: nora, discordId, slackId, admin } = await member();
    const veille = { discord: discord.addChannel({ name: "veille" }).id, slack: slack.addChannel({ name: "veille" }).id };
    for (const platform of ["discord", "slack"] as const) await bot.services.settings.setChannel(platform, "veille", veille[platform], admin.id);
    const job = await aJob();
    // The first attempt reached Discord only, then the process died.
    const discordOnly = { ...nora, accounts: nora.accounts.filter((a) => a.platform === "DISCORD") };
    await bot.scheduler.deliveries.deliverOnce(job.id, "m1", () => bot.services.notifications.toMember(discordOnly, reminder));
    await bot.scheduler.deliveries.deliverOnce(job.id, "channel:veille", () => bot.services.notifications.toChannel("veille", { text: "Récapitulatif" }));
    await crashBeforeConfirming(job.id, "m1");
    await crashBeforeConfirming(job.id, "channel:veille");

    await bot.scheduler.deliveries.deliverOnce(job.id, "m1", () => bot.services.notifications.toMember(nora, reminder));
    await bot.scheduler.deliveries.deliverOnce(job.id, "channel:veille", () => bot.services.notifications.toChannel("veille", { text: "Récapitulatif" }));
    expect(discord.dmsTo(discordId)).toHaveLength(1);
    expect(slack.dmsTo(slackId)).toHaveLength(1);
    expect(discord.messagesIn(veille.discord)).toHaveLength(1);
    expect(slack.messagesIn(veille.slack)).toHaveLength(1);
  });

  it("leaves messages sent outside a job (a command's own posts) without a key", async () => {
    const { member: nora, slackId } = await member();
    await bot.services.notifications.toMember(nora, reminder);
    await bot.services.notifications.toMember(nora, reminder);
    expect(slack.dmsTo(slackId)).toHaveLength(2);
    expect(slack.dmsTo(slackId).every((m) => m.metadata === undefined)).toBe(true);
  });

  it("fails with what to do, rather than risk a duplicate, when the Slack app may not read its conversations", async () => {
    await bot.stop();
    await slack.close();
    slack = await startSlackEmulator({ botScopes: SLACK_BOT_SCOPES.filter((scope) => scope !== "im:history") });
    bot = await startBot({ scheduler: { timer: false }, config: await testConfig(bothEnv(discord, slack)), log: memoryLogger().log });
    const { member: nora, slackId } = await member();
    const job = await aJob();
    await bot.store.prisma.delivery.create({ data: { jobId: job.id, recipient: "m1", state: "sending", at: new Date() } });

    const outcome = await bot.scheduler.deliveries.deliverOnce(job.id, "m1", async () => {
      const result = await bot.services.notifications.toMember(nora, reminder);
      if (result.failures.length > 0) throw new Error(result.failures.map((f) => f.error).join(" ; "));
    });
    expect(outcome).toBe("failed");
    expect(slack.dmsTo(slackId)).toEqual([]);
    expect((await bot.scheduler.deliveries.list(job.id))[0]?.error).toContain("réinstallez l'application avec le manifeste à jour");
  });
});
