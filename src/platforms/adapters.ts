import type { AdapterDeps, CreateAdapter, PlatformAdapter } from "./adapter.js";
import type { PlatformName } from "./catalog.js";

/**
 * How each platform of the catalog gets its adapter: a dynamic import of its door
 * (src/platforms/<name>/index.ts), so that a platform's library is loaded only when the platform
 * is configured and the console starts without their cost. Kept apart from the catalog, which
 * the features read and which must reach no adapter; the record's type asks for every platform.
 */
const ADAPTER_DOORS: Record<PlatformName, () => Promise<CreateAdapter>> = {
  discord: async () => (await import("./discord/index.js")).createAdapter,
  slack: async () => (await import("./slack/index.js")).createAdapter,
  matrix: async () => (await import("./matrix/index.js")).createAdapter,
  console: async () => (await import("./console/index.js")).createAdapter,
};

export async function createAdapter(platform: PlatformName, deps: AdapterDeps): Promise<PlatformAdapter> {
  const create = await ADAPTER_DOORS[platform]();
  return create(deps);
}
