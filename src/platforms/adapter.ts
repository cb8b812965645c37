import type { PlatformName } from "../core/interaction.js";

/** One platform connection. It turns platform events into interactions and renders replies. */
export interface PlatformAdapter {
  readonly name: PlatformName;
  start(): Promise<void>;
  /** Disconnects; must resolve within a few seconds even if the platform does not answer. */
  stop(): Promise<void>;
}
