import type { PlatformName } from "../core/interaction.js";
import type { PlatformNotifier } from "../core/notifier.js";

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
