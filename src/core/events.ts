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

  constructor(private readonly log: Logger) {}

  on<T extends PlatformEvent["type"]>(type: T, handler: Handler<T>): void {
    (this.handlers[type] as Handler<T>[]).push(handler);
  }

  /** Runs every handler; one failing is logged and never reaches the platform library. */
  async emit(event: PlatformEvent): Promise<void> {
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
