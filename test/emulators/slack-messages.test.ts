/**
 * Slack emulator, messages and the Web API: DMs, injected failures, metadata and history, files, pins,
 * permalinks, edits and deletions.
 */
import { describe, expect, it } from "vitest";
import { emulatorClientOptions } from "./slack/bolt.js";
import { emu, socketApp, useSlackEmulator } from "./slack/self-test.js";

useSlackEmulator();

describe("Slack emulator: messages and Web API (Socket Mode Bolt app)", () => {
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
});
