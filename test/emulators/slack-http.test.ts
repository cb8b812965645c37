/**
 * Slack emulator with an HTTP mode Bolt app: signed requests, bad signatures refused, the same payloads.
 */
import type { AddressInfo } from "node:net";
import { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { emulatorHttpAppOptions } from "./slack/bolt.js";
import { signedSlackRequest } from "./slack/index.js";
import { emu, stopAfterTest, useSlackEmulator } from "./slack/self-test.js";

useSlackEmulator();

describe("Slack emulator with an HTTP mode Bolt app", () => {
  it("answers a correctly signed slash command and refuses a bad signature with 401", async () => {
    const app = new App(emulatorHttpAppOptions(emu));
    app.command("/annuaire", async ({ ack, respond }) => {
      await ack("pong");
      await respond({ response_type: "in_channel", text: "Annuaire publié" });
    });
    const server = await app.start();
    stopAfterTest(async () => {
      await app.stop();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const fields = emu.commandPayload({ command: "/annuaire", text: "" });
    const ok = await signedSlackRequest(url, emu.signingSecret, { kind: "command", fields });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("pong");
    expect(ok.latencyMs).toBeGreaterThan(0);

    const forged = await signedSlackRequest(url, emu.signingSecret, { kind: "command", fields }, { badSignature: true });
    expect(forged.status).toBe(401);
    const stale = await signedSlackRequest(url, emu.signingSecret, { kind: "command", fields }, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);

    // Same handle API as Socket Mode, via the signed HTTP request.
    const h = emu.slashCommand({ command: "/annuaire", httpUrl: url });
    expect(await h.ack()).toEqual({ text: "pong" });
    const shown = await h.final();
    expect(shown).toMatchObject({ text: "Annuaire publié", ephemeral: false, source: "response_url" });
  });

  it("sends block_actions in HTTP mode with the same payload builder", async () => {
    const clicked: string[] = [];
    const app = new App(emulatorHttpAppOptions(emu));
    app.action("approve", async ({ ack, body }) => {
      await ack();
      clicked.push(body.user.id);
    });
    const server = await app.start();
    stopAfterTest(async () => {
      await app.stop();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const res = await signedSlackRequest(url, emu.signingSecret, {
      kind: "interactive",
      payload: emu.blockActionsPayload({ actionId: "approve", value: "member-7" }),
    });

    expect(res.status).toBe(200);
    expect(clicked).toEqual([emu.defaultUserId]);
  });
});
