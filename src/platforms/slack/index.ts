import type { AdapterDeps, PlatformAdapter } from "../adapter.js";
import { SlackAdapter } from "./adapter.js";

/** The door to the Slack adapter: loaded (with Bolt) only when Slack is configured. */
export const createAdapter = ({ config, router, log, services }: AdapterDeps): PlatformAdapter => new SlackAdapter({ config, router, log, events: services.events });
