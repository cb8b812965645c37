/**
 * Discord emulator, the guild: scheduled events and members through discord.js managers, member events by intent.
 */
import { Client, Events, GatewayIntentBits, GuildScheduledEventEntityType, GuildScheduledEventPrivacyLevel } from "discord.js";
import { describe, expect, it } from "vitest";
import { useScenarioWorld } from "./discord/scenario-bot.js";

describe("guild resources with discord.js", () => {
  const world = useScenarioWorld([{ username: "alice" }]);

  it("supports scheduled events CRUD and member fetches through discord.js managers", async () => {
    const guild = world.client.guilds.cache.get(world.emu.guildId)!;
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
    expect(world.emu.scheduledEvents()).toMatchObject([{ id: event.id, name: "Balade numérique", entity_metadata: { location: "Médiathèque d'Épinal" } }]);
    await guild.scheduledEvents.edit(event.id, { name: "Balade numérique (complet)" });
    expect((await guild.scheduledEvents.fetch(event.id)).name).toBe("Balade numérique (complet)");
    await guild.scheduledEvents.delete(event.id);
    expect(world.emu.scheduledEvents()).toEqual([]);
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

    const member = await guild.members.fetch({ user: world.users.alice.id, force: true });
    expect(member.user.username).toBe("alice");
    await expect(guild.members.fetch({ user: "1234567890123456789", force: true })).rejects.toMatchObject({ code: 10013 });
    const outsider = world.emu.addUser({ username: "outsider", member: false });
    await expect(guild.members.fetch({ user: outsider.id, force: true })).rejects.toMatchObject({ code: 10007 });
  });

  it("delivers GUILD_MEMBER_ADD / REMOVE only to clients with the GuildMembers intent", async () => {
    const watcher = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], rest: { api: world.emu.apiUrl } });
    const joined = new Promise<string>((resolve) => watcher.once(Events.GuildMemberAdd, (m) => resolve(m.user.username)));
    const left = new Promise<string>((resolve) => watcher.once(Events.GuildMemberRemove, (m) => resolve(m.user.username)));
    const ready = new Promise<void>((resolve) => watcher.once(Events.ClientReady, () => resolve()));
    await watcher.login(world.emu.token);
    await ready;
    expect(watcher.guilds.cache.get(world.emu.guildId)?.members.cache.has(world.users.alice.id)).toBe(true);
    const dave = world.emu.joinGuild({ username: "dave" });
    expect(await joined).toBe("dave");
    world.emu.leaveGuild(dave.user.id);
    expect(await left).toBe("dave");
    // The scenario bot (Guilds only) never saw the member.
    expect(world.client.guilds.cache.get(world.emu.guildId)?.members.cache.has(dave.user.id)).toBe(false);
    await watcher.destroy();
  });
});
