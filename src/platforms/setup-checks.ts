import type { Config } from "../config.js";
import type { SetupCheck, UsageChannels } from "../core/setup-check.js";
import type { PlatformName } from "./catalog.js";

/** One platform's lines of the installation check, given its usage channels set with /config canal. */
type PlatformSetupChecks = (config: Config, channels: UsageChannels) => Promise<SetupCheck[]>;

/**
 * Where each platform's installation checks are (src/platforms/<name>/setup-checks.ts), loaded only
 * when the diagnostic checks that platform: they bring its library. The console has none.
 */
const SETUP_CHECK_DOORS: Partial<Record<PlatformName, () => Promise<PlatformSetupChecks>>> = {
  discord: async () => (await import("./discord/setup-checks.js")).checkDiscord,
  slack: async () => (await import("./slack/setup-checks.js")).checkSlack,
  matrix: async () => (await import("./matrix/setup-checks.js")).checkMatrix,
};

export async function platformSetupChecks(platform: PlatformName, config: Config, channels: UsageChannels): Promise<SetupCheck[]> {
  const door = SETUP_CHECK_DOORS[platform];
  return door ? (await door())(config, channels) : [];
}
