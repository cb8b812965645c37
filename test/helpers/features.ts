// The bot's features built on a bare core (no adapters, no scheduler running), as startBot builds
// them: for tests that drive the router or a feature directly.
import { loadConfig, type Config } from "../../src/config.js";
import type { Clock } from "../../src/shared/clock.js";
import { buildFeatures, type AnyFeature } from "../../src/core/feature.js";
import type { Services } from "../../src/core/services.js";
import { FEATURES, type FeatureOptions, type Features } from "../../src/features.js";
import type { Logger } from "../../src/logger.js";
import { RecurringSchedules } from "../../src/scheduler/index.js";
import type { Store } from "../../src/store/index.js";

interface BareCore {
  store: Store;
  /** The store's URL: the reports are computed in a child process that opens it. */
  databaseUrl: string;
  services: Services;
  clock: Clock;
  log: Logger;
  /** Default: a config on the store's URL, site off. */
  config?: Config;
  list?: readonly AnyFeature[];
  options?: FeatureOptions;
}

export function buildTestFeatures({ store, databaseUrl, services, clock, log, config, list, options }: BareCore): Features {
  const cfg = config ?? loadConfig({ DATABASE_URL: databaseUrl, WEB_PORT: "off" }, "");
  const base = { db: store.prisma, services, clock, timeZone: cfg.BOT_TIMEZONE, log, config: cfg, jobs: services.jobs, recurring: new RecurringSchedules(services.jobs, log), stopping: () => false };
  return buildFeatures(list ?? FEATURES, base, options as Record<string, unknown> | undefined).instances as Features;
}
