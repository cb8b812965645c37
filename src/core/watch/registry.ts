import type { Logger } from "../../logger.js";
import type { Clock } from "../clock.js";
import type { Services } from "../services.js";
import { WatchService } from "./service.js";

// One WatchService per running bot, found from the Services object that commands and job
// features both receive (Services is shared wiring; the watch adds nothing to it).
const services = new WeakMap<Services, WatchService>();

export function watchFor(core: Services, context: { clock: Clock; log: Logger; timezone: string }): WatchService {
  let watch = services.get(core);
  if (!watch) {
    watch = new WatchService({
      db: core.db,
      clock: context.clock,
      settings: core.settings,
      notifications: core.notifications,
      jobs: core.jobs,
      log: context.log.child({ feature: "veille" }),
      timezone: context.timezone,
    });
    services.set(core, watch);
  }
  return watch;
}
