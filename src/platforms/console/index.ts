import type { AdapterDeps, PlatformAdapter } from "../adapter.js";
import { ConsoleAdapter } from "./adapter.js";

/** The door to the console adapter (no library to load: the console is read from the terminal). */
export const createAdapter = ({ config, router, services, log, input, output }: AdapterDeps): PlatformAdapter =>
  new ConsoleAdapter({ router, services, log, admins: config.BOT_ADMINS, input, output });
