/**
 * Wiring an unmodified Bolt App to the emulator. Why each option matters is in README.md;
 * in short:
 *  - `clientOptions.slackApiUrl` points every WebClient (app.client, the per-event `client`) at the emulator;
 *  - Bolt copies `clientOptions` into `installerOptions.clientOptions`, which is what the SocketModeReceiver
 *    gives its own WebClient (apps.connections.open), so with the built-in receiver nothing else is needed;
 *  - but `App` does not forward clientPingTimeout/serverPingTimeout, and the reconnection delay is
 *    clientPingTimeout × attempts (5 s by default), so fast tests build the SocketModeReceiver themselves.
 */
import { App, LogLevel, SocketModeReceiver, type AppOptions, type Logger, type webApi } from "@slack/bolt";
import type { SlackEmulator } from "./index.js";

/** Retries fast enough for tests (the default policy waits seconds to minutes between attempts). */
const FAST_RETRY_CONFIG: NonNullable<webApi.WebClientOptions["retryConfig"]> = {
  retries: 2,
  factor: 1,
  minTimeout: 5,
  maxTimeout: 20,
};

/** For tests that provoke errors on purpose (Bolt and the WebClient log Slack's error messages). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export interface EmulatorBoltOptions {
  /** Default: Bolt's console logger at ERROR level. */
  logger?: Logger;
  logLevel?: LogLevel;
  /** Socket Mode: pong deadline; pings go every third of it, and reconnection waits this × attempt. */
  clientPingTimeout?: number;
  /** Socket Mode: how long without a server ping before reconnecting (only if the emulator pings). */
  serverPingTimeout?: number;
  /** Extra WebClient options (merged over slackApiUrl + FAST_RETRY_CONFIG). */
  clientOptions?: webApi.WebClientOptions;
}

/** WebClient options that target the emulator. */
export function emulatorClientOptions(emu: SlackEmulator, extra: webApi.WebClientOptions = {}): webApi.WebClientOptions {
  return { slackApiUrl: emu.apiUrl, retryConfig: FAST_RETRY_CONFIG, ...extra };
}

/** A SocketModeReceiver whose own WebClient (apps.connections.open) and timings suit the emulator. */
function emulatorSocketModeReceiver(emu: SlackEmulator, o: EmulatorBoltOptions = {}): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken: emu.appToken,
    logger: o.logger,
    logLevel: o.logLevel ?? LogLevel.ERROR,
    clientPingTimeout: o.clientPingTimeout ?? 2000,
    serverPingTimeout: o.serverPingTimeout,
    // A separate copy: the SocketModeClient writes defaults (retryConfig) into the object it receives.
    installerOptions: { clientOptions: emulatorClientOptions(emu, o.clientOptions) },
  });
}

/** Complete `new App(...)` options for Socket Mode against the emulator. */
export function emulatorSocketModeAppOptions(
  emu: SlackEmulator,
  o: EmulatorBoltOptions = {},
): AppOptions & { receiver: SocketModeReceiver } {
  return {
    token: emu.botToken,
    socketMode: true,
    logger: o.logger,
    logLevel: o.logLevel ?? LogLevel.ERROR,
    clientOptions: emulatorClientOptions(emu, o.clientOptions),
    receiver: emulatorSocketModeReceiver(emu, o),
  };
}

/** Complete `new App(...)` options for HTTP mode (HTTPReceiver on an ephemeral port, see app.start()). */
export function emulatorHttpAppOptions(emu: SlackEmulator, o: EmulatorBoltOptions = {}): AppOptions {
  return {
    token: emu.botToken,
    signingSecret: emu.signingSecret,
    // 0 survives Bolt's `port = 3000` default (only undefined is replaced) and asks the OS for a free port.
    port: 0,
    logger: o.logger,
    logLevel: o.logLevel ?? LogLevel.ERROR,
    clientOptions: emulatorClientOptions(emu, o.clientOptions),
  };
}

/**
 * app.stop() in Socket Mode resolves before the WebSocket is closed (SocketModeReceiver.stop()
 * does not await the disconnect); wait for the client's `disconnected` event so no socket or
 * timer outlives the test.
 */
export async function stopSocketModeApp(app: App, receiver: SocketModeReceiver, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const disconnected = new Promise<void>((resolve) => {
    receiver.client.once("disconnected", () => resolve());
    timer = setTimeout(resolve, timeoutMs);
  });
  await app.stop();
  await disconnected;
  clearTimeout(timer);
}
