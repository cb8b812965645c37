import type { Readable, Writable } from "node:stream";
import type { Router } from "../bot/router.js";
import type { Config } from "../config.js";
import type { PlatformName } from "../core/interaction.js";
import type { PlatformNotifier } from "../core/notifier.js";
import type { Services } from "../core/services.js";
import type { Logger } from "../logger.js";

/**
 * One platform connection. It turns platform events into interactions and renders replies,
 * and sends the bot's own messages (reminders, digests) as a PlatformNotifier.
 */
export interface PlatformAdapter extends PlatformNotifier {
  readonly name: PlatformName;
  start(): Promise<void>;
  /** Disconnects; must resolve within a few seconds even if the platform does not answer. */
  stop(): Promise<void>;
  /** Whether the platform connection is up right now (health snapshot, start-up summary). */
  connected?(): boolean;
}

/** What src/app.ts hands every platform's `createAdapter` (src/platforms/<name>/index.ts); each takes what it needs. */
export interface AdapterDeps {
  config: Config;
  router: Router;
  services: Services;
  /** Already tagged with the platform's name. */
  log: Logger;
  /** The console's streams (tests script them). */
  input?: Readable;
  output?: Writable;
}

export type CreateAdapter = (deps: AdapterDeps) => PlatformAdapter;
