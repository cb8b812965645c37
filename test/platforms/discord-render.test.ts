/**
 * What Discord receives for long or hostile replies, through the real discord.js against the
 * emulator (which refuses what Discord refuses: more than 6,000 characters over a message's
 * embeds, 25 fields, 10 embeds, contradictory allowed_mentions).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import type { CommandDef } from "../../src/bot/command.js";
import type { Reply } from "../../src/core/reply.js";
import { startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { discordEnv } from "../helpers/env.js";

let emu: DiscordEmulator;
let bot: Bot | undefined;
let member: string;

/** A command answering whatever reply the test sets, so the renderer meets any shape. */
let next: Reply = { text: "" };
const echo: CommandDef = { name: "echo", description: "Répond la réponse du test", subcommands: [{ name: "", description: "Répond", options: {}, run: () => next }] };

const embedSize = (e: { title?: string; description?: string; fields?: { name: string; value: string }[] }) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

beforeEach(async () => {
  emu = await startDiscordEmulator();
  member = emu.addUser({ username: "lucas88", globalName: "Lucas Bernard" }).id;
  const config = await testConfig({ ...discordEnv(emu) });
  bot = await startBot({ scheduler: { timer: false }, config, log: memoryLogger([emu.token]).log, commands: [...commands, echo] });
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await emu.close();
});

describe("replies on Discord", () => {
  it("fits 30 long fields into one embed of at most 6,000 characters, the rest counted", async () => {
    next = { title: "Liste", text: "x".repeat(3000), fields: Array.from({ length: 30 }, (_, i) => ({ name: `Élément ${i + 1}`, value: "y".repeat(900) })) };
    const shown = await emu.sendCommand({ userId: member, name: "echo" }).final();
    expect(shown.embeds).toHaveLength(1);
    const embed = shown.embeds[0]!;
    expect(embedSize(embed)).toBeLessThanOrEqual(6000);
    const last = embed.fields!.at(-1)!;
    const kept = embed.fields!.length - 1;
    expect(last.value).toBe(`… et ${30 - kept} autres`);
    expect(embed.fields![kept - 1]!.name).toBe(`Élément ${kept}`);
  });

  it("caps the field count at 25 with the same summary", async () => {
    next = { title: "Liste", fields: Array.from({ length: 40 }, (_, i) => ({ name: `N${i + 1}`, value: "v" })) };
    const shown = await emu.sendCommand({ userId: member, name: "echo" }).final();
    const fields = shown.embeds[0]!.fields!;
    expect(fields).toHaveLength(25);
    expect(fields.at(-1)!.value).toBe("… et 16 autres");
  });

  it("shows a typed masked link and mentions as text, and never lets a reply ping", async () => {
    next = { text: "@everyone <@123456789012345678> [Site de la Caf](https://evil.example/login)" };
    const shown = await emu.sendCommand({ userId: member, name: "echo" }).final();
    expect(shown.content).toContain("\\[Site de la Caf\\](https://evil.example/login)");
    const answers = emu.requests.filter((r) => r.method === "POST" && r.path.includes("/callback"));
    expect(answers.length).toBeGreaterThan(0);
    for (const r of answers) expect((r.body as { data: { allowed_mentions: unknown } }).data.allowed_mentions).toEqual({ parse: [], users: [] });
  });
});
