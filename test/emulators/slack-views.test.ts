/**
 * Slack emulator, modals: views.open with a trigger_id, view_submission answered with errors, refused
 * views and expired trigger_ids.
 */
import { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { emulatorSocketModeAppOptions, silentLogger, stopSocketModeApp } from "./slack/bolt.js";
import { startSlackEmulator } from "./slack/index.js";
import { emu, profileModal, socketApp, useSlackEmulator } from "./slack/self-test.js";

useSlackEmulator();

describe("Slack emulator: views (Socket Mode Bolt app)", () => {
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
});
