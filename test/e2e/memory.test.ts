/**
 * Nothing grows per command (issue 16): the real bot, in a process of its own started with
 * --expose-gc, connected to the Discord and Slack emulators, answers 2,000 mixed commands
 * (directory, profile, meetings, answers, votes) from 40 members; its heap after garbage collection
 * must stay within a few MB of what it was after a warm-up with the same members. Not timed.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { bothEnv } from "../helpers/env.js";
import { freshStoreUrl } from "../store/fixture.js";

const AT = "2026-03-02T08:00:00Z";
const USERS = 20;
const MB = 1024 * 1024;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

interface World {
  discord: DiscordEmulator;
  slack: SlackEmulator;
  admin: { discord: string; slack: string };
  users: { discord: string[]; slack: string[] };
}

function startProbe(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL("./fixtures/heap-probe.ts", import.meta.url)), [JSON.stringify(env), AT], {
    execArgv: ["--expose-gc", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`heap-probe ended (${code}) before ready`)));
  });
}

function heapOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m: { heapUsed: number }) => resolve(m.heapUsed));
    child.send("measure");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function slackClick(w: World, userId: string, actionId: string): Promise<void> {
  const h = w.slack.clickButton({ userId, actionId });
  await h.ack();
  for (const deadline = Date.now() + 15_000; h.responses.length === 0; await sleep(5)) {
    if (Date.now() > deadline) throw new Error(`no Slack answer to ${actionId}`);
  }
}

/** The i-th command of the mix, alternately on Discord and on Slack. */
async function mixed(w: World, i: number, ids: { meeting: number; poll: number }): Promise<void> {
  const discord = i % 2 === 0;
  const user = (discord ? w.users.discord : w.users.slack)[(i >> 1) % USERS]!;
  const choice = ["oui", "peutetre", "non"][i % 3]!;
  const send = (name: string, subcommand: string | undefined, options: Record<string, string>, slackText: string) =>
    discord ? w.discord.sendCommand({ userId: user, name, subcommand, options }).final() : w.slack.slashCommand({ userId: user, command: `/${name}`, text: slackText }).final();
  switch (i % 6) {
    case 0: return void (await send("annuaire", undefined, { commune: "Épinal" }, "commune:Épinal"));
    case 1: return void (await send("profil", "voir", {}, "voir"));
    case 2: return void (await send("rencontre", "liste", {}, "liste"));
    case 3: return void (await send("rencontre", "details", { rencontre: String(ids.meeting) }, `details rencontre:${ids.meeting}`));
    case 4:
      if (discord) return void (await w.discord.clickButton({ userId: user, customId: `rencontre:rsvp:${ids.meeting}:${choice}` }).final());
      return slackClick(w, user, `rencontre:rsvp:${ids.meeting}:${choice}`);
    default:
      if (discord) return void (await w.discord.clickButton({ userId: user, customId: `sondage:vote:${ids.poll}:${1 + (i % 3)}` }).final());
      return slackClick(w, user, `sondage:vote:${ids.poll}:${1 + (i % 3)}`);
  }
}

async function run(w: World, from: number, to: number, ids: { meeting: number; poll: number }): Promise<void> {
  let next = from;
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let i = next++; i < to; i = next++) await mixed(w, i, ids);
  }));
}

describe("memory of the running bot", () => {
  it("answers 2,000 mixed commands without its heap growing by more than a few MB", async () => {
    const discord = await startDiscordEmulator();
    const slack = await startSlackEmulator();
    const w: World = {
      discord,
      slack,
      admin: { discord: discord.addUser({ username: "sophie", globalName: "Sophie" }).id, slack: slack.addUser({ name: "sophie", realName: "Sophie" }).id },
      users: {
        discord: Array.from({ length: USERS }, (_, i) => discord.addUser({ username: `p${i}`, globalName: `Promeneur D${i}` }).id),
        slack: Array.from({ length: USERS }, (_, i) => slack.addUser({ name: `p${i}`, realName: `Promeneur S${i}` }).id),
      },
    };
    const channels = { discord: discord.addChannel({ name: "annonces" }).id, slack: slack.addChannel({ name: "annonces" }).id };
    const probe = await startProbe({ DATABASE_URL: await freshStoreUrl(), ...bothEnv(discord, slack), BOT_ADMINS: `discord:${w.admin.discord},slack:${w.admin.slack}`, WEB_PORT: "off" });
    cleanup = async () => {
      probe.send("stop");
      if (probe.exitCode === null) await new Promise((r) => probe.once("exit", r));
      await discord.close();
      await slack.close();
    };
    for (const usage of ["annonces", "rencontres"]) {
      await discord.sendCommand({ userId: w.admin.discord, name: "config", subcommand: "canal", options: { usage, canal: channels.discord } }).final();
      await slack.slashCommand({ userId: w.admin.slack, command: "/config", text: `canal usage:${usage} canal:<#${channels.slack}>` }).final();
    }
    const meeting = await discord.sendCommand({ userId: w.admin.discord, name: "rencontre", subcommand: "creer", options: { type: "departementale", titre: "Rencontre de mesure", debut: "12/03/2026 14h", lieu: "Épinal" } }).final();
    await discord.sendCommand({ userId: w.admin.discord, name: "sondage", subcommand: "creer", options: { question: "Quel jour ?", options: "Mardi ; Jeudi ; Vendredi", cloture: "10/03/2026 18h" } }).final();
    const ids = { meeting: Number(/n° (\d+)/.exec(meeting.text)?.[1]), poll: Number(/sondage:vote:(\d+):/.exec(JSON.stringify(discord.store.messagesIn(channels.discord)))?.[1]) };
    expect(ids.meeting).toBeGreaterThan(0);
    expect(ids.poll).toBeGreaterThan(0);

    // Warm-up: every member's first contact, the code paths compiled, the caches filled.
    await run(w, 0, 400, ids);
    const before = await heapOf(probe);
    await run(w, 400, 2400, ids);
    const after = await heapOf(probe);
    expect((after - before) / MB, `heap after GC: ${(before / MB).toFixed(1)} MB after the warm-up, ${(after / MB).toFixed(1)} MB after 2,000 more commands`).toBeLessThan(4);
  }, 600_000);
});
