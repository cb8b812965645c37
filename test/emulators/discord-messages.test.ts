/**
 * Discord emulator, channel messages: DMs refused, idempotent sends (enforce_nonce), uploads, payload limits
 * and rate limits, through an unmodified discord.js 14 bot.
 */
import { DiscordAPIError, type TextChannel } from "discord.js";
import { describe, expect, it } from "vitest";
import { useScenarioWorld } from "./discord/scenario-bot.js";

describe("channel messages with discord.js", () => {
  const world = useScenarioWorld([{ username: "alice" }, { username: "bob", dmsClosed: true }], { registerCommands: true });

  it("gets 50007 when DMing a user who closed their DMs", async () => {
    const refused = await world.emu.sendCommand({ userId: world.users.alice.id, name: "dm", options: { membre: world.users.bob.id } }).final();
    expect(refused.content).toBe("échec 50007");
    expect(refused.ephemeral).toBe(true);
    expect(world.emu.dmsTo(world.users.bob.id)).toEqual([]);

    const sent = await world.emu.sendCommand({ userId: world.users.alice.id, name: "dm", options: { membre: world.users.alice.id } }).final();
    expect(sent.content).toBe("envoyé");
    expect(world.emu.dmsTo(world.users.alice.id).map((m) => m.content)).toEqual(["Coucou !"]);
  });

  it("returns the message already created when a nonce comes again with enforce_nonce, like Discord", async () => {
    // A channel of its own: other tests count the posts in « général ».
    const rappels = world.emu.addChannel({ name: "rappels" });
    const channel = (await world.client.channels.fetch(rappels.id)) as TextChannel;
    const first = await channel.send({ content: "Rappel", nonce: "rappel-42", enforceNonce: true });
    const again = await channel.send({ content: "Rappel", nonce: "rappel-42", enforceNonce: true });
    expect(again.id).toBe(first.id);
    expect((await channel.send({ content: "Rappel", nonce: "rappel-43", enforceNonce: true })).id).not.toBe(first.id);
    // Without enforce_nonce, a nonce deduplicates nothing.
    expect((await channel.send({ content: "Rappel", nonce: "rappel-42", enforceNonce: false })).id).not.toBe(first.id);
    expect(world.emu.messagesIn(rappels.id)).toHaveLength(3);
    await expect(channel.send({ content: "Rappel", nonce: "x".repeat(26), enforceNonce: true })).rejects.toMatchObject({ code: 50035 });
  });

  it("captures multipart uploads with their name and bytes", async () => {
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "fichier" });
    const view = await h.final();
    expect(view.content).toBe("Voici l'export");
    expect(h.files).toHaveLength(1);
    expect(h.files[0]!.name).toBe("export.csv");
    expect(h.files[0]!.data.toString("utf8")).toBe("nom;ville\nAlice;Épinal\n");
    expect(view.message?.attachments[0]).toMatchObject({ filename: "export.csv", size: h.files[0]!.data.length });
    const download = await fetch(view.message!.attachments[0]!.url);
    expect(await download.text()).toBe("nom;ville\nAlice;Épinal\n");
  });

  it("validates payloads like Discord (2000 characters max)", async () => {
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "long" });
    await expect(h.response({ timeoutMs: 500 })).rejects.toThrow(/type 4 -> 400 \(50035\)/);
    const err = world.botErrors.splice(0)[0];
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).rawError).toMatchObject({ errors: { data: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } });
  });

  it("retries after an injected 429 once retry-after has elapsed", async () => {
    const channel = world.client.channels.cache.get(world.emu.generalChannelId) as TextChannel;
    const limited: number[] = [];
    world.client.rest.on("rateLimited", (info) => limited.push(info.retryAfter));
    world.emu.failNext("POST /channels/:id/messages", { status: 429, retryAfter: 1 });
    const start = performance.now();
    const message = await channel.send("après la pluie");
    expect(performance.now() - start).toBeGreaterThanOrEqual(1000);
    expect(message.content).toBe("après la pluie");
    expect(limited).toHaveLength(1);
    const posts = world.emu.requests.filter((r) => r.method === "POST" && r.path === `/channels/${world.emu.generalChannelId}/messages`);
    expect(posts.map((r) => [r.status, r.injected])).toEqual([[429, true], [200, false]]);
    expect(world.emu.pendingFailures).toBe(0);
  });
});
