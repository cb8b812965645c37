// The weekly watch, as the app builds it: one WatchService per bot (sources, collection, shared
// articles, digests), its hourly read and its digest. Commands reach it as `ctx.features.watch`.
import type { RecurringPayload } from "../../scheduler/index.js";
import { defineFeature, handle, type FeatureDeps } from "../feature.js";
import type { WatchTuning } from "./context.js";
import { collect, DIGEST_SKIP_IF_LATE_MS, postDigest, startWatch } from "./jobs.js";
import { DIGEST_KIND, FETCH_KIND, RETRY_KIND } from "./schedule.js";
import { WatchService } from "./service.js";
import type { DefaultSource } from "./sources.js";

interface WatchOptions extends WatchTuning {
  /** The list loaded on first start (default: default-sources.json). */
  defaultSources: readonly DefaultSource[];
}

export const watchFeature = defineFeature({
  name: "watch",
  needs: [],
  create: ({ db, clock, services, jobs, log, timeZone, recurring, config, options }: FeatureDeps<[], WatchOptions>) => {
    const { defaultSources, ...tuning } = options;
    return new WatchService(
      { db, clock, settings: services.settings, notifications: services.notifications, jobs, log, timeZone },
      { tuning: { allowPrivateHosts: config.WATCH_ALLOW_PRIVATE_HOSTS, ...tuning }, defaultSources, recurring },
    );
  },
  jobs: (watch) => ({
    [FETCH_KIND]: handle((_job, ctx) => collect(watch, ctx)),
    [RETRY_KIND]: handle((_job, ctx) => collect(watch, ctx)),
    [DIGEST_KIND]: handle<RecurringPayload>((job, ctx) => postDigest(watch, job, ctx), { skipIfLateBy: DIGEST_SKIP_IF_LATE_MS }),
  }),
  start: (watch, runtime) => startWatch(watch, runtime),
});
