import type { Logger } from "../logger.js";
import type { PlatformUser } from "./interaction.js";

/**
 * Things that happen on a platform without a command: someone joins or leaves the server,
 * the workspace or the network channel. Adapters emit them; features (onboarding) listen.
 */
export type PlatformEvent =
  | { type: "joined"; user: PlatformUser; channelId?: string }
  | { type: "left"; user: PlatformUser; channelId?: string };

type Handler<T extends PlatformEvent["type"]> = (event: Extract<PlatformEvent, { type: T }>) => Promise<void> | void;

export class PlatformEvents {
  private readonly handlers: { [T in PlatformEvent["type"]]: Handler<T>[] } = { joined: [], left: [] };
  /** Events waiting for the listeners (see `hold`), or undefined when they are delivered at once. */
  private held?: PlatformEvent[];

  constructor(private readonly log: Logger) {}

  on<T extends PlatformEvent["type"]>(type: T, handler: Handler<T>): void {
    (this.handlers[type] as Handler<T>[]).push(handler);
  }

  /**
   * Keeps the events emitted from now until `open`: the adapters start before the features register
   * their listeners, and an adapter may emit at start (Matrix catching up the joins and leaves of
   * its downtime). Without this they would reach no one.
   */
  hold(): void {
    this.held ??= [];
  }

  /** Delivers the held events, in order, and every later one at once. */
  async open(): Promise<void> {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) await this.emit(event);
  }

  /** Runs every handler; one failing is logged and never reaches the platform library. */
  async emit(event: PlatformEvent): Promise<void> {
    if (this.held) {
      this.held.push(event);
      return;
    }
    const list = this.handlers[event.type] as Handler<typeof event.type>[];
    for (const handler of list) {
      try {
        await handler(event as never);
      } catch (err) {
        this.log.error({ err, event: event.type, platform: event.user.platform, user: event.user.id }, "arrivée ou départ : traitement en échec");
      }
    }
  }
}
