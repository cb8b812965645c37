/**
 * Discord emulator, interactions: an unmodified discord.js 14 bot registers commands, answers, defers, shows
 * modals, follows up and is restarted against the emulator, as Discord would answer it.
 */
import { Routes, type TextChannel } from "discord.js";
import { describe, expect, it } from "vitest";
import { useScenarioWorld, COMMANDS } from "./discord/scenario-bot.js";

describe("interaction flows with discord.js", () => {
  const world = useScenarioWorld([{ username: "alice" }]);

  it("stores guild commands bulk-overwritten with rest.put", async () => {
    const result = (await world.client.rest.put(Routes.applicationGuildCommands(world.emu.applicationId, world.emu.guildId), { body: COMMANDS })) as Array<{ id: string; name: string }>;
    expect(result.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(world.emu.commandPuts).toBe(1);
    expect(world.emu.guildCommands().find((c) => c.name === "agenda")?.options?.map((o) => o.name)).toEqual(["ajouter", "liste"]);
    // Re-registering keeps ids stable, as Discord does for unchanged names.
    const again = (await world.client.rest.put(Routes.applicationGuildCommands(world.emu.applicationId, world.emu.guildId), { body: COMMANDS })) as Array<{ id: string }>;
    expect(again.map((c) => c.id)).toEqual(result.map((c) => c.id));
    expect(world.emu.commandPuts).toBe(2);
    const fetched = await world.client.guilds.cache.get(world.emu.guildId)!.commands.fetch();
    expect(fetched.size).toBe(COMMANDS.length);
  });

  it("rejects invalid command definitions with 50035", async () => {
    const bad = [{ name: "Majuscule", description: "x" }];
    await expect(world.client.rest.put(Routes.applicationGuildCommands(world.emu.applicationId, world.emu.guildId), { body: bad })).rejects.toMatchObject({ code: 50035, status: 400 });
  });

  it("defers then edits the reply", async () => {
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "differe" });
    expect((await h.response()).type).toBe(5);
    const view = await h.final();
    expect(view.content).toBe("Terminé");
    expect(view.message?.flags ?? 0).toBe(0); // the "thinking" flag is gone
  });

  it("replies with an embed and buttons, then a click is answered with update", async () => {
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "carte" });
    const card = await h.final();
    expect(card.embeds[0]).toMatchObject({ title: "Balade du 12 juin", description: "Rendez-vous à Épinal", color: 0x2e7d32 });
    expect(card.customIds).toEqual(["rsvp:oui", "rsvp:non"]);

    const click = world.emu.clickButton({ userId: world.users.alice.id, customId: "rsvp:oui" });
    expect(click.payload).toMatchObject({ type: 3, data: { custom_id: "rsvp:oui", component_type: 2 }, message: { id: card.message!.id } });
    const updated = await click.final();
    expect(updated.type).toBe(7);
    expect(updated.message?.id).toBe(card.message!.id);
    expect(updated.content).toBe("alice : présent");
    expect(updated.components).toEqual([]);
    expect(() => world.emu.clickButton({ userId: world.users.alice.id, customId: "rsvp:oui" })).toThrow(/no live message/);
  });

  it("shows a modal (action rows) and discord.js reads the submitted fields", async () => {
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "inscription" });
    const view = await h.final();
    expect(view.type).toBe(9);
    expect(view.modal?.title).toBe("Inscription");
    const submit = world.emu.submitModal({ userId: world.users.alice.id, customId: "inscription", fields: { prenom: "Alice" } });
    expect(submit.payload.data).toMatchObject({ custom_id: "inscription", components: [{ type: 1, components: [{ type: 4, custom_id: "prenom", value: "Alice" }] }] });
    expect((await submit.final()).content).toBe("Bienvenue Alice");
  });

  it("mirrors the newer label layout of modals", async () => {
    await world.emu.sendCommand({ userId: world.users.alice.id, name: "avis" }).response();
    const submit = world.emu.submitModal({ userId: world.users.alice.id, customId: "avis", fields: { commentaire: "Super sortie" } });
    expect(submit.payload.data).toMatchObject({ components: [{ type: 18, component: { type: 4, custom_id: "commentaire", value: "Super sortie" } }] });
    expect((await submit.final()).content).toBe("Merci pour « Super sortie »");
    expect(() => world.emu.submitModal({ userId: world.users.alice.id, customId: "avis", fields: { inconnu: "x" } })).toThrow(/no field inconnu/);
  });

  it("nests sub-command options using the registered schema", async () => {
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "agenda", subcommand: "ajouter", options: { titre: "Rando", places: 12 } });
    expect(h.payload.data).toMatchObject({
      name: "agenda",
      options: [{ type: 1, name: "ajouter", options: [{ name: "titre", type: 3, value: "Rando" }, { name: "places", type: 4, value: 12 }] }],
    });
    expect((await h.final()).content).toBe("ajouté Rando (12 places)");
    expect(() => world.emu.sendCommand({ userId: world.users.alice.id, name: "agenda", subcommand: "ajouter", options: {} })).toThrow(/requires option "titre"/);
  });

  it("collects follow-ups", async () => {
    const view = await world.emu.sendCommand({ userId: world.users.alice.id, name: "suivi" }).final();
    expect(view.content).toBe("un");
    expect(view.followUps.map((m) => [m.content, m.flags & 64])).toEqual([["deux", 64]]);
    expect(view.text).toBe("un\ndeux");
  });

  it("parses withResponse callbacks and serves @original", async () => {
    const view = await world.emu.sendCommand({ userId: world.users.alice.id, name: "reponse" }).final();
    expect(view.followUps.map((m) => m.content)).toEqual(["même message"]);
  });

  it("handles a select menu answered with deferUpdate + editReply", async () => {
    const card = await world.emu.sendCommand({ userId: world.users.alice.id, name: "choix" }).final();
    expect(() => world.emu.selectMenu({ userId: world.users.alice.id, customId: "jour", values: ["lun"] })).toThrow(/no option lun/);
    const pick = world.emu.selectMenu({ userId: world.users.alice.id, customId: "jour", values: ["sam", "dim"] });
    const view = await pick.final();
    expect(view.type).toBe(6);
    expect(view.message?.id).toBe(card.message!.id);
    expect(view.content).toBe("Choisi : sam, dim");
  });

  it("retries an interaction callback after a 429 and a 500", async () => {
    world.emu.failNext("POST /interactions/:id/:token/callback", { status: 429, retryAfter: 0.2 });
    const h = world.emu.sendCommand({ userId: world.users.alice.id, name: "ping" });
    expect((await h.response()).data?.content).toBe("pong");
    expect(h.responseLatencyMs).toBeGreaterThanOrEqual(200);

    world.emu.failNext("POST /channels/:id/messages", { status: 500 });
    const channel = world.client.channels.cache.get(world.emu.generalChannelId) as TextChannel;
    await expect(channel.send("malgré tout")).resolves.toMatchObject({ content: "malgré tout" });
  });

  it("keeps its state for a restarted bot", async () => {
    const identifiesBefore = world.emu.gatewayStats.identifies;
    await world.client.destroy();
    expect(world.emu.gatewayStats.closeCodesReceived.at(-1)).toBe(1000);
    expect(world.emu.liveSessions).toBe(0);
    // Injected before the new bot is connected: delivered once it is READY.
    const early = world.emu.sendCommand({ userId: world.users.alice.id, name: "agenda", subcommand: "liste" });
    await world.restart();
    expect((await early.final()).content).toBe("liste vide");
    expect(world.emu.guildCommands()).toHaveLength(COMMANDS.length);
    expect(world.emu.gatewayStats.identifies).toBe(identifiesBefore + 1);
  });
});
