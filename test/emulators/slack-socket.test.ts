/**
 * Slack emulator, Socket Mode itself: reconnection with queued envelopes, Events API delivery, a handler
 * that never acks; and a clean shutdown.
 */
import { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { startBareSlackBot } from "./slack/bare-bot.js";
import { emulatorSocketModeAppOptions, stopSocketModeApp } from "./slack/bolt.js";
import { startSlackEmulator } from "./slack/index.js";
import { emu, socketApp, useSlackEmulator } from "./slack/self-test.js";

useSlackEmulator();

describe("Slack emulator: Socket Mode delivery", () => {
  it("keeps state and delivers queued envelopes across a Socket Mode reconnection", async () => {
    await socketApp(
      (app) => {
        app.command("/ping", async ({ ack, command }) => ack(`pong ${command.text}`));
      },
      { clientPingTimeout: 300 },
    );
    expect(await emu.slashCommand({ command: "/ping", text: "1" }).ack()).toEqual({ text: "pong 1" });

    emu.disconnectSockets("refresh_requested");
    const during = emu.slashCommand({ command: "/ping", text: "2" });
    await emu.waitForSocketConnection(2);

    expect(await during.ack()).toEqual({ text: "pong 2" });
    expect(emu.totalSocketConnections).toBe(2);
    expect(emu.callsTo("apps.connections.open")).toHaveLength(2);
    expect(emu.messagesIn("general").map((m) => m.text)).toEqual(["pong 1", "pong 2"]);
  });

  it("delivers Events API events", async () => {
    const newcomer = emu.addUser({ name: "alex", realName: "Alex Durand" });
    await socketApp((app) =>
      app.event("member_joined_channel", async ({ event, client }) => {
        await client.chat.postMessage({ channel: event.channel, text: `Bienvenue <@${event.user}> !` });
      }),
    );

    const h = emu.event("member_joined_channel", { user: newcomer.id, channel: emu.defaultChannelId, channel_type: "C" });

    expect(await h.ack()).toEqual({});
    expect((await h.final()).text).toBe(`Bienvenue <@${newcomer.id}> !`);
  });

  it("reports a handler that never acks", async () => {
    const quick = await startSlackEmulator({ ackTimeoutMs: 200 });
    const options = emulatorSocketModeAppOptions(quick);
    const app = new App(options);
    app.command("/lent", async () => undefined);
    await app.start();
    try {
      await expect(quick.slashCommand({ command: "/lent" }).ack()).rejects.toThrow(/not acknowledged within 200 ms/);
      expect(quick.problems[0]).toContain("operation_timeout");
    } finally {
      await stopSocketModeApp(app, options.receiver);
      await quick.close();
    }
  });
});

describe("Slack emulator shutdown", () => {
  it("leaves no socket, server or timer behind once the bot and the emulator are stopped", async () => {
    const count = () =>
      process
        .getActiveResourcesInfo()
        .filter((r) => r === "TCPSocketWrap" || r === "TCPServerWrap" || r === "Timeout").length;
    const before = count();
    const local = await startSlackEmulator();
    const bot = await startBareSlackBot(local);
    await local.slashCommand({ command: "/annuaire" }).ack();
    await bot.stop();
    await local.close();
    // Let the closed sockets' handles be released.
    await new Promise((r) => setTimeout(r, 50));
    expect(count()).toBeLessThanOrEqual(before);
  });
});
