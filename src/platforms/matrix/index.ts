import type { AdapterDeps, PlatformAdapter } from "../adapter.js";
import { MatrixAdapter } from "./adapter.js";

/** The door to the Matrix adapter: loaded (with matrix-js-sdk and its crypto) only when Matrix is configured. */
export function createAdapter({ config, router, log, services }: AdapterDeps): PlatformAdapter {
  const credentials = { homeserverUrl: config.MATRIX_HOMESERVER_URL!, accessToken: config.MATRIX_ACCESS_TOKEN, user: config.MATRIX_USER, password: config.MATRIX_PASSWORD, dataDir: config.MATRIX_DATA_DIR };
  return new MatrixAdapter({ credentials, rooms: config.MATRIX_ROOMS, router, log, events: services.events });
}
