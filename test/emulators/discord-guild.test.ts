/**
 * Discord emulator, the guild: scheduled events and members through discord.js managers, member events by intent.
 */
import { Client, Events, GatewayIntentBits, GuildScheduledEventEntityType, GuildScheduledEventPrivacyLevel } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDiscordEmulator, type DiscordEmulator, type EmuUser } from "./discord/index.js";
import { startScenarioBot } from "./discord/scenario-bot.js";

describe("guild resources with discord.js", () => {
  let emu: DiscordEmulator;
  let client: Client;
  let alice: EmuUser;
  const botErrors: unknown[] = [];

  beforeAll(async () => {
    emu = await startDiscordEmulator();
    alice = emu.addUser({ username: "alice" });
    client = await startScenarioBot(emu, botErrors);
  });

  afterEach(() => {
    const errors = botErrors.splice(0);
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  it("supports scheduled events CRUD and member fetches through discord.js managers", async () => {
    const guild = client.guilds.cache.get(emu.guildId)!;
    const start = new Date(Date.now() + 86_400_000);
    const event = await guild.scheduledEvents.create({
      name: "Balade numérique",
      scheduledStartTime: start,
      scheduledEndTime: new Date(start.getTime() + 7_200_000),
      privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
      entityType: GuildScheduledEventEntityType.External,
      entityMetadata: { location: "Médiathèque d'Épinal" },
      description: "Atelier",
    });
    expect(emu.scheduledEvents()).toMatchObject([{ id: event.id, name: "Balade numérique", entity_metadata: { location: "Médiathèque d'Épinal" } }]);
    await guild.scheduledEvents.edit(event.id, { name: "Balade numérique (complet)" });
    expect((await guild.scheduledEvents.fetch(event.id)).name).toBe("Balade numérique (complet)");
    await guild.scheduledEvents.delete(event.id);
    expect(emu.scheduledEvents()).toEqual([]);
    await expect(
      guild.scheduledEvents.create({
        name: "Passé",
        scheduledStartTime: new Date(Date.now() - 60_000),
        privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
        entityType: GuildScheduledEventEntityType.External,
        entityMetadata: { location: "Épinal" },
        scheduledEndTime: new Date(),
      }),
    ).rejects.toMatchObject({ code: 50035 });

    const member = await guild.members.fetch({ user: alice.id, force: true });
    expect(member.user.username).toBe("alice");
    await expect(guild.members.fetch({ user: "1234567890123456789", force: true })).rejects.toMatchObject({ code: 10013 });
    const outsider = emu.addUser({ username: "outsider", member: false });
    await expect(guild.members.fetch({ user: outsider.id, force: true })).rejects.toMatchObject({ code: 10007 });
  });

  it("delivers GUILD_MEMBER_ADD / REMOVE only to clients with the GuildMembers intent", async () => {
    const watcher = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], rest: { api: emu.apiUrl } });
    const joined = new Promise<string>((resolve) => watcher.once(Events.GuildMemberAdd, (m) => resolve(m.user.username)));
    const left = new Promise<string>((resolve) => watcher.once(Events.GuildMemberRemove, (m) => resolve(m.user.username)));
    const ready = new Promise<void>((resolve) => watcher.once(Events.ClientReady, () => resolve()));
    await watcher.login(emu.token);
    await ready;
    expect(watcher.guilds.cache.get(emu.guildId)?.members.cache.has(alice.id)).toBe(true);
    const dave = emu.joinGuild({ username: "dave" });
    expect(await joined).toBe("dave");
    emu.leaveGuild(dave.user.id);
    expect(await left).toBe("dave");
    // The scenario bot (Guilds only) never saw the member.
    expect(client.guilds.cache.get(emu.guildId)?.members.cache.has(dave.user.id)).toBe(false);
    await watcher.destroy();
  });
});
