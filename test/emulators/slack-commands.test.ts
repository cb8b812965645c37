/**
 * Slack emulator, slash commands and interactivity: a Socket Mode Bolt app acks commands, answers through
 * response_url, and receives button clicks and select choices in Slack's shapes.
 */
import { describe, expect, it } from "vitest";
import { startBareSlackBot } from "./slack/bare-bot.js";
import { emu, profileModal, section, socketApp, stopAfterTest, useSlackEmulator } from "./slack/self-test.js";

useSlackEmulator();

describe("Slack emulator: commands and interactivity (Socket Mode Bolt app)", () => {
  it("serves the bare baseline bot: a slash command is acked with pong", async () => {
    const bot = await startBareSlackBot(emu);
    stopAfterTest(bot.stop);

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
});
