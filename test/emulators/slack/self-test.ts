/**
 * Shared set-up of the Slack emulator's self-tests: a fresh emulator per test, Bolt apps registered for
 * shutdown after it, and the modal several tests open.
 */
import { App } from "@slack/bolt";
import { afterEach, beforeEach } from "vitest";
import { emulatorSocketModeAppOptions, stopSocketModeApp, type EmulatorBoltOptions } from "./bolt.js";
import { startSlackEmulator, type SlackEmulator } from "./index.js";

/** The current test's emulator (a live binding, replaced before each test). */
export let emu: SlackEmulator;
const cleanups: Array<() => Promise<void>> = [];

/** Call once at the top of a test file: starts an emulator before each test, stops apps then emulator after. */
export function useSlackEmulator(): void {
  beforeEach(async () => {
    emu = await startSlackEmulator();
  });

  afterEach(async () => {
    // Bots first: a bot whose emulator vanished would try to reconnect.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await emu.close();
  });
}

/** Registers something to stop after the current test (before the emulator closes). */
export function stopAfterTest(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** A plain Bolt App in Socket Mode, registered for shutdown after the test. */
export async function socketApp(register: (app: App) => void, opts: EmulatorBoltOptions = {}): Promise<App> {
  const options = emulatorSocketModeAppOptions(emu, opts);
  const app = new App(options);
  register(app);
  await app.start();
  cleanups.push(() => stopSocketModeApp(app, options.receiver));
  return app;
}

export const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

export const profileModal = {
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
