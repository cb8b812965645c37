import type { AdapterDeps, PlatformAdapter } from "../adapter.js";
import { DiscordAdapter } from "./adapter.js";

/** The door to the Discord adapter: loaded (with discord.js) only when Discord is configured. */
export const createAdapter = ({ config, router, log, services }: AdapterDeps): PlatformAdapter => new DiscordAdapter({ config, router, log, events: services.events });
