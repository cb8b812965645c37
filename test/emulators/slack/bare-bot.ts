/**
 * Baseline bot for benchmarks: a plain Bolt App in Socket Mode whose every slash command does
 * `await ack("pong")` and nothing else, so that the measured ack latency is Bolt + Socket Mode +
 * emulator overhead only.
 */
import { App, type SocketModeReceiver } from "@slack/bolt";
import { emulatorSocketModeAppOptions, stopSocketModeApp, type EmulatorBoltOptions } from "./bolt.js";
import type { SlackEmulator } from "./index.js";

interface BareSlackBot {
  app: App;
  receiver: SocketModeReceiver;
  stop(): Promise<void>;
}

export async function startBareSlackBot(emu: SlackEmulator, opts: EmulatorBoltOptions = {}): Promise<BareSlackBot> {
  const options = emulatorSocketModeAppOptions(emu, opts);
  const app = new App(options);
  app.command(/.*/, async ({ ack }) => {
    await ack("pong");
  });
  // Resolves on the emulator's `hello`, i.e. when envelopes can be delivered.
  await app.start();
  return { app, receiver: options.receiver, stop: () => stopSocketModeApp(app, options.receiver) };
}
