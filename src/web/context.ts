import type { HealthSnapshot } from "../ops/health.js";
import type { Config } from "../config.js";
import type { Clock } from "../shared/clock.js";
import type { Services } from "../core/services.js";
import type { Features } from "../features.js";
import type { Logger } from "../logger.js";
import type { StoreChanges } from "../store/changes.js";

/** What the pages read: the core services, never a platform. */
export interface WebContext {
  services: Services;
  /** The bot's features, the same instances the commands use. */
  features: Features;
  clock: Clock;
  config: Config;
  log: Logger;
  /** BOT_TIMEZONE: dates are shown in it. */
  timeZone: string;
  /** Writes through this process: a rendered directory page is dropped at the next member write. */
  changes: StoreChanges;
  /** The bot's health snapshot (operations), served as `/sante`. */
  health?: () => Promise<HealthSnapshot>;
}
