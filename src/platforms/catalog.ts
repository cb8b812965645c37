import { consolePlatform } from "./console/descriptor.js";
import { discordPlatform } from "./discord/descriptor.js";
import { matrixPlatform } from "./matrix/descriptor.js";
import { slackPlatform } from "./slack/descriptor.js";

/**
 * The platforms the bot knows, as data, in the order they are listed to people (« Discord, Slack
 * et Matrix ») and started. The one file of src/platforms/ that features, the router and commands
 * read (test/architecture.test.ts holds that nothing it reaches is an adapter or a platform
 * library). Adding a platform: its folder with a descriptor, one line here, its adapter loader in
 * src/platforms/adapters.ts, a value in the Prisma `Platform` enum (see ARCHITECTURE.md).
 */
export const PLATFORM_CATALOG = [discordPlatform, slackPlatform, matrixPlatform, consolePlatform] as const;

export type PlatformName = (typeof PLATFORM_CATALOG)[number]["name"];

export const PLATFORM_NAMES: readonly PlatformName[] = PLATFORM_CATALOG.map((platform) => platform.name);

/** One of the catalog's descriptors, each with its own variables. */
type CatalogPlatform = (typeof PLATFORM_CATALOG)[number];

const byName = new Map<string, CatalogPlatform>(PLATFORM_CATALOG.map((platform) => [platform.name, platform]));

export function isPlatformName(name: string): name is PlatformName {
  return byName.has(name);
}

export function platformDescriptor(name: PlatformName): CatalogPlatform {
  return byName.get(name)!;
}

/** « Discord », « console »: see `PlatformDescriptor.label`. */
export const platformLabel = (name: PlatformName): string => platformDescriptor(name).label;

/** « Discord », « la console »: after « sur » and in lists of where something went. */
export const platformLabelAfterOn = (name: PlatformName): string => platformDescriptor(name).labelAfterOn;

/** « le serveur Discord du réseau ». */
export const platformPlace = (name: PlatformName): string => platformDescriptor(name).place;
