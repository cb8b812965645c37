import { afterEach } from "vitest";
import { ManualClock } from "./clock.js";
import { createServices, type Services } from "../../src/core/services.js";
import { openStore, type Store } from "../../src/store/index.js";
import { JobStore } from "../../src/scheduler/index.js";
import { createLogger } from "../../src/logger.js";
import { freshStoreUrl } from "../store/fixture.js";

const open: Store[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The core on a fresh real SQLite file, with a clock the test controls. */
export async function coreOnFreshStore(): Promise<{ store: Store; services: Services; clock: ManualClock; databaseUrl: string }> {
  const databaseUrl = await freshStoreUrl();
  const store = await openStore(databaseUrl);
  open.push(store);
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const jobs = new JobStore(store.prisma, clock);
  const log = createLogger({ level: "silent", pretty: false });
  return { store, services: createServices(store.prisma, clock, store.changes, { jobs, log }), clock, databaseUrl };
}
