/**
 * Self-test of the Slack emulator: an unmodified @slack/bolt App (Socket Mode and HTTP mode)
 * talks to it over 127.0.0.1, and the emulator records what Slack would have shown.
 */
import type { AddressInfo } from "node:net";
import { App } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBareSlackBot } from "./slack/bare-bot.js";
import {
  emulatorClientOptions,
  emulatorHttpAppOptions,
  emulatorSocketModeAppOptions,
  silentLogger,
  stopSocketModeApp,
  type EmulatorBoltOptions,
} from "./slack/bolt.js";
import { signedSlackRequest, startSlackEmulator, type SlackEmulator } from "./slack/index.js";

let emu: SlackEmulator;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  emu = await startSlackEmulator();
});

afterEach(async () => {
  // Bots first: a bot whose emulator vanished would try to reconnect.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await emu.close();
});

/** A plain Bolt App in Socket Mode, registered for shutdown after the test. */
async function socketApp(register: (app: App) => void, opts: EmulatorBoltOptions = {}): Promise<App> {
  const options = emulatorSocketModeAppOptions(emu, opts);
  const app = new App(options);
  register(app);
  await app.start();
  cleanups.push(() => stopSocketModeApp(app, options.receiver));
  return app;
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

const profileModal = {
  type: "modal",
  callback_id: "profile_edit",
  private_metadata: JSON.stringify({ memberId: 42 }),
  title: { type: "plain_text", text: "Mon profil" },
  submit: { type: "plain_text", text: "Enregistrer" },
  blocks: [
    {
      type: "input",
      block_id: "email_block",
      label: { type: "plain_text", text: "Email" },
      element: { type: "plain_text_input", action_id: "email" },
    },
    {
      type: "input",
      block_id: "role_block",
      label: { type: "plain_text", text: "Rôle" },
      element: {
        type: "static_select",
        action_id: "role",
        options: [
          { text: { type: "plain_text", text: "Animateur" }, value: "animateur" },
          { text: { type: "plain_text", text: "Coordinateur" }, value: "coordinateur" },
        ],
      },
    },
  ],
};

describe("Slack emulator with a Socket Mode Bolt app", () => {
  it("serves the bare baseline bot: a slash command is acked with pong", async () => {
    const bot = await startBareSlackBot(emu);
    cleanups.push(bot.stop);

    const h = emu.slashCommand({ userId: emu.defaultUserId, command: "/annuaire", text: "martin" });

    expect(await h.ack()).toEqual({ text: "pong" });
    expect(h.ackLatencyMs).toBeGreaterThan(0);
    expect(h.ackLatencyMs).toBeLessThan(1000);
    const shown = await h.final();
    expect(shown).toMatchObject({ text: "pong", source: "ack", ephemeral: true, visibleTo: emu.defaultUserId });
    // Socket Mode used the app token, everything else the bot token.
    const open = emu.callsTo("apps.connections.open")[0];
    expect(open?.token).toBe(emu.appToken);
    expect(emu.callsTo("auth.test")[0]?.token).toBe(emu.botToken);
    expect(emu.socketConnections).toBe(1);
    // The payload has every field Slack sends for a slash command.
    expect(Object.keys(h.payload).sort()).toEqual(
      [
        "api_app_id",
        "channel_id",
        "channel_name",
        "command",
        "is_enterprise_install",
        "response_url",
        "team_domain",
        "team_id",
        "text",
        "token",
        "trigger_id",
        "user_id",
        "user_name",
      ].sort(),
    );
    expect(emu.problems).toEqual([]);
  });

  it("captures respond() after ack() as an ephemeral response_url message", async () => {
    await socketApp((app) =>
      app.command("/annuaire", async ({ ack, respond, command }) => {
        await ack();
        await respond({ response_type: "ephemeral", blocks: [section(`Résultats pour *${command.text}*`)], text: "Résultats" });
      }),
    );

    const h = emu.slashCommand({ command: "/annuaire", text: "vosges" });

    expect(await h.ack()).toEqual({});
    const shown = await h.final();
    expect(shown.source).toBe("response_url");
    expect(shown.ephemeral).toBe(true);
    expect(shown.fullText).toContain("Résultats pour *vosges*");
    expect(h.responses).toHaveLength(1);
    expect(h.responses[0]?.body).toMatchObject({ response_type: "ephemeral" });
    expect(h.responses[0]?.effect).toBe("new");
  });

  it("delivers a button click to app.action and applies respond({ replace_original })", async () => {
    await socketApp((app) => {
      app.command("/valider", async ({ ack, client, command }) => {
        await ack();
        await client.chat.postMessage({
          channel: command.channel_id,
          text: "Demande d'adhésion",
          blocks: [
            section("Nouvelle demande d'adhésion"),
            {
              type: "actions",
              block_id: "decision",
              elements: [
                { type: "button", action_id: "approve", text: { type: "plain_text", text: "Accepter" }, value: "member-7" },
                { type: "button", action_id: "reject", text: { type: "plain_text", text: "Refuser" }, value: "member-7" },
              ],
            },
          ],
        });
      });
      app.action("approve", async ({ ack, respond, body, action }) => {
        await ack();
        const value = action.type === "button" ? action.value : "?";
        await respond({ replace_original: true, text: `Accepté (${value}) par <@${body.user.id}>` });
      });
    });

    await emu.slashCommand({ command: "/valider" }).final();
    const [request] = emu.messagesIn("general");
    expect(request?.fullText).toContain("Nouvelle demande");

    const click = emu.clickButton({ userId: emu.defaultUserId, actionId: "approve" });
    await click.ack();
    const shown = await click.final();

    expect(click.payload).toMatchObject({
      type: "block_actions",
      container: { type: "message", message_ts: request?.ts, channel_id: emu.defaultChannelId, is_ephemeral: false },
      actions: [{ action_id: "approve", block_id: "decision", value: "member-7", type: "button" }],
    });
    expect(click.payload.message).toMatchObject({ ts: request?.ts, text: "Demande d'adhésion" });
    expect(shown.ts).toBe(request?.ts);
    expect(shown.text).toBe(`Accepté (member-7) par <@${emu.defaultUserId}>`);
    expect(shown.history).toHaveLength(1);
    expect(click.responses[0]?.effect).toBe("replaced");
    expect(emu.messagesIn("general")).toHaveLength(1);
  });

  it("delivers select menu choices with Slack's selected_option shape", async () => {
    const picked: unknown[] = [];
    await socketApp((app) => {
      app.command("/role", async ({ ack, respond }) => {
        await ack();
        await respond({
          text: "Choisis ton rôle",
          blocks: [
            {
              type: "section",
              block_id: "role_pick",
              text: { type: "mrkdwn", text: "Ton rôle ?" },
              accessory: profileModal.blocks[1]?.element as never,
            },
          ],
        });
      });
      app.action("role", async ({ ack, action, respond }) => {
        await ack();
        picked.push(action);
        await respond({ replace_original: true, text: "Rôle enregistré" });
      });
    });

    await emu.slashCommand({ command: "/role" }).final();
    const h = emu.selectOption({ actionId: "role", selected_options: [{ value: "coordinateur" }] });

    expect((await h.final()).text).toBe("Rôle enregistré");
    expect(picked[0]).toMatchObject({
      type: "static_select",
      action_id: "role",
      block_id: "role_pick",
      selected_option: { text: { type: "plain_text", text: "Coordinateur", emoji: true }, value: "coordinateur" },
    });
    // The menu was in an ephemeral message: Slack sends no `message` and flags the container.
    expect(h.payload.message).toBeUndefined();
    expect(h.payload.container).toMatchObject({ type: "message", is_ephemeral: true });
  });

  it("opens a modal with the trigger_id and answers a view_submission with response_action errors", async () => {
    const seenValues: unknown[] = [];
    await socketApp((app) => {
      app.command("/profil", async ({ ack, client, body }) => {
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: profileModal as never });
      });
      app.view("profile_edit", async ({ ack, view }) => {
        seenValues.push(view.state.values);
        const email = view.state.values.email_block?.email?.value ?? "";
        if (!email.includes("@")) {
          await ack({ response_action: "errors", errors: { email_block: "Adresse email invalide" } });
          return;
        }
        await ack();
      });
    });

    const cmd = emu.slashCommand({ command: "/profil" });
    await cmd.ack();
    await emu.idle(); // nothing is posted: the command only opens a modal
    expect(cmd.openedViews).toHaveLength(1);
    const modal = emu.currentView(emu.defaultUserId);
    expect(modal?.view.callback_id).toBe("profile_edit");

    const bad = emu.submitView({ values: { email_block: { email: "pas-un-email" }, role_block: { role: "animateur" } } });
    expect(await bad.ack()).toEqual({ response_action: "errors", errors: { email_block: "Adresse email invalide" } });
    expect(bad.payload.view).toMatchObject({ callback_id: "profile_edit", private_metadata: '{"memberId":42}' });
    // Slack's exact state.values shape for plain_text_input and static_select.
    expect(seenValues[0]).toEqual({
      email_block: { email: { type: "plain_text_input", value: "pas-un-email" } },
      role_block: {
        role: {
          type: "static_select",
          selected_option: { text: { type: "plain_text", text: "Animateur", emoji: true }, value: "animateur" },
        },
      },
    });
    expect(emu.currentView()?.errors).toEqual({ email_block: "Adresse email invalide" });

    const good = emu.submitView({ values: { email_block: { email: "camille@example.org" } } });
    expect(await good.ack()).toEqual({});
    expect(emu.currentView()).toBeUndefined();
    // Untouched inputs are still present, empty, like Slack sends them.
    expect(seenValues[1]).toMatchObject({ role_block: { role: { type: "static_select", selected_option: null } } });
  });

  it("refuses views.open with an unknown trigger_id or an invalid modal", async () => {
    const errors: string[] = [];
    await socketApp((app) =>
      app.command("/profil", async ({ ack, client, body }) => {
        await ack();
        const tooLongTitle = { ...profileModal, title: { type: "plain_text", text: "Un titre beaucoup trop long pour Slack" } };
        await client.views.open({ trigger_id: body.trigger_id, view: tooLongTitle as never }).catch((e: { data: { error: string } }) => {
          errors.push(e.data.error);
        });
        await client.views.open({ trigger_id: "123.456.abc", view: profileModal as never }).catch((e: { data: { error: string } }) => {
          errors.push(e.data.error);
        });
      }),
      { logger: silentLogger },
    );
    await emu.slashCommand({ command: "/profil" }).ack();
    await emu.idle();
    expect(errors).toEqual(["invalid_arguments", "invalid_trigger_id"]);
    const failed = emu.callsTo("views.open")[0]?.response as { response_metadata: { messages: string[] } };
    expect(failed.response_metadata.messages[0]).toContain("/view/title/text");
  });

  it("expires trigger_ids like Slack (3 s by default)", async () => {
    const strict = await startSlackEmulator({ triggerTtlMs: 30 });
    const options = emulatorSocketModeAppOptions(strict, { logger: silentLogger });
    const app = new App(options);
    const errors: string[] = [];
    app.command("/profil", async ({ ack, client, body }) => {
      await ack();
      await new Promise((r) => setTimeout(r, 60)); // a slow database query before opening the modal
      await client.views.open({ trigger_id: body.trigger_id, view: profileModal as never }).catch((e: { data: { error: string } }) => {
        errors.push(e.data.error);
      });
    });
    await app.start();
    try {
      await strict.slashCommand({ command: "/profil" }).ack();
      await strict.waitForCall("views.open");
      await strict.idle(); // the call is recorded before the app reads the answer
      expect(errors).toEqual(["expired_trigger_id"]);
      expect(strict.currentView()).toBeUndefined();
    } finally {
      await stopSocketModeApp(app, options.receiver);
      await strict.close();
    }
  });

  it("sends a DM through conversations.open + chat.postMessage, and reports closed DMs", async () => {
    const closed = emu.addUser({ name: "dominique", realName: "Dominique Petit", dmsClosed: true });
    await socketApp((app) =>
      app.command("/rappel", async ({ ack, client, command, respond }) => {
        await ack();
        for (const userId of [command.user_id, command.text]) {
          try {
            const dm = await client.conversations.open({ users: userId });
            await client.chat.postMessage({ channel: dm.channel!.id!, text: "Rappel : réunion jeudi" });
          } catch (e) {
            await respond(`DM impossible pour ${userId}: ${(e as { data: { error: string } }).data.error}`);
          }
        }
      }),
    );

    const h = emu.slashCommand({ command: "/rappel", text: closed.id });
    const shown = await h.final();

    expect(emu.dmsTo(emu.defaultUserId).map((m) => m.text)).toEqual(["Rappel : réunion jeudi"]);
    expect(emu.dmsTo(closed.id)).toEqual([]);
    expect(shown.text).toBe(`DM impossible pour ${closed.id}: cannot_dm_bot`);
  });

  it("lets the WebClient retry an injected 429 (Retry-After) and surfaces other failures", async () => {
    await socketApp((app) =>
      app.command("/annonce", async ({ ack, client, command }) => {
        await ack();
        await client.chat.postMessage({ channel: command.channel_id, text: "Annonce" });
      }),
    );
    emu.failNext("chat.postMessage", { status: 429, retryAfter: 0 });

    const shown = await emu.slashCommand({ command: "/annonce" }).final();

    expect(shown.text).toBe("Annonce");
    expect(emu.callsTo("chat.postMessage").map((c) => [c.status, c.injected ?? false])).toEqual([
      [429, true],
      [200, false],
    ]);

    // Raw protocol: Retry-After header like Slack, ok:false errors, unknown methods, auth.
    emu.failNext("auth.test", { status: 429, retryAfter: 1 });
    const limited = await fetch(`${emu.apiUrl}auth.test`, { method: "POST", headers: { authorization: `Bearer ${emu.botToken}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    await limited.arrayBuffer();

    const client = new (await import("@slack/bolt")).webApi.WebClient(emu.botToken, emulatorClientOptions(emu));
    emu.failNext("users.info", { error: "ratelimited" });
    await expect(client.users.info({ user: emu.defaultUserId })).rejects.toMatchObject({ data: { error: "ratelimited" } });
    const info = await client.users.info({ user: emu.defaultUserId });
    expect(info.user?.profile).toMatchObject({ real_name: "Camille Martin", display_name: "camille", first_name: "Camille" });
    expect(info.user?.profile?.image_192).toMatch(/^https:\/\//);
    await expect(client.apiCall("chat.unicorns", {})).rejects.toMatchObject({ data: { error: "unknown_method" } });
    expect(emu.callsTo("chat.unicorns")[0]?.unknown).toBe(true);
    const intruder = new (await import("@slack/bolt")).webApi.WebClient("xoxb-wrong", emulatorClientOptions(emu));
    await expect(intruder.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    await expect(client.apps.connections.open()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
  });

  it("keeps message metadata, shown by conversations.history only with include_all_metadata, within oldest and pages", async () => {
    const client = new (await import("@slack/bolt")).webApi.WebClient(emu.botToken, emulatorClientOptions(emu));
    const channel = emu.defaultChannelId;
    const before = await client.chat.postMessage({ channel, text: "avant" });
    const metadata = { event_type: "promeneurs_delivery", event_payload: { key: "job:1:m1" } };
    await client.chat.postMessage({ channel, text: "rappel", metadata });
    await client.chat.postMessage({ channel, text: "après" });

    const plain = await client.conversations.history({ channel, oldest: before.ts });
    expect(plain.messages?.map((m) => [m.text, m.metadata])).toEqual([["après", undefined], ["rappel", undefined]]);
    const full = await client.conversations.history({ channel, oldest: before.ts, include_all_metadata: true });
    expect(full.messages?.map((m) => m.metadata)).toEqual([undefined, metadata]);
    const inclusive = await client.conversations.history({ channel, oldest: before.ts, inclusive: true, limit: 2 });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(["après", "rappel"]);
    expect(inclusive.has_more).toBe(true);
    const next = await client.conversations.history({ channel, oldest: before.ts, inclusive: true, limit: 2, cursor: inclusive.response_metadata!.next_cursor! });
    expect(next.messages?.map((m) => m.text)).toEqual(["avant"]);
  });

  it("supports files.uploadV2, pins, permalinks and chat.update/delete", async () => {
    await socketApp((app) =>
      app.command("/export", async ({ ack, client, command }) => {
        await ack();
        await client.files.uploadV2({
          channel_id: command.channel_id,
          filename: "membres.csv",
          content: "nom;commune\nMartin;Épinal\n",
          initial_comment: "Export des membres",
        });
        const posted = await client.chat.postMessage({ channel: command.channel_id, text: "brouillon" });
        await client.chat.update({ channel: command.channel_id, ts: posted.ts!, text: "Version finale" });
        await client.pins.add({ channel: command.channel_id, timestamp: posted.ts! });
        const link = await client.chat.getPermalink({ channel: command.channel_id, message_ts: posted.ts! });
        const temp = await client.chat.postMessage({ channel: command.channel_id, text: link.permalink! });
        await client.chat.delete({ channel: command.channel_id, ts: temp.ts! });
      }),
    );

    const shown = await emu.slashCommand({ command: "/export" }).final();

    expect(emu.uploadedFiles).toHaveLength(1);
    expect(emu.uploadedFiles[0]).toMatchObject({ filename: "membres.csv", uploaded: true, completed: true, channelId: emu.defaultChannelId });
    expect(emu.uploadedFiles[0]?.content).toBe("nom;commune\nMartin;Épinal\n");
    const [fileMsg, final] = emu.messagesIn(emu.defaultChannelId);
    expect(fileMsg).toMatchObject({ text: "Export des membres", files: [emu.uploadedFiles[0]?.id] });
    expect(final).toMatchObject({ text: "Version finale", edited: true, pinned: true });
    expect(shown.ts).toBe(final?.ts);
    expect(emu.callsTo("chat.getPermalink")[0]?.response).toMatchObject({
      permalink: expect.stringMatching(/^https:\/\/.+\.slack\.com\/archives\/C0GENERAL1\/p\d+$/),
    });
    expect(emu.problems).toEqual([]);
  });

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

describe("Slack emulator with an HTTP mode Bolt app", () => {
  it("answers a correctly signed slash command and refuses a bad signature with 401", async () => {
    const app = new App(emulatorHttpAppOptions(emu));
    app.command("/annuaire", async ({ ack, respond }) => {
      await ack("pong");
      await respond({ response_type: "in_channel", text: "Annuaire publié" });
    });
    const server = await app.start();
    cleanups.push(async () => {
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
    cleanups.push(async () => {
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
