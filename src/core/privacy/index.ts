// The data-protection feature: its description for the app, and what commands use.
import { defineFeature, handle } from "../feature.js";
import { applyRetentionJob } from "./jobs.js";
import { Privacy } from "./privacy.js";
import { RETENTION_CRON, RETENTION_KIND } from "./retention.js";

// What commands use besides the instance (ctx.features.privacy).
export { exportFiles, summaryReply } from "./render.js";
export { RETENTION, duration, type RetentionKey } from "./retention.js";

export const privacyFeature = defineFeature({
  name: "privacy",
  needs: [],
  create: ({ db, clock }) => new Privacy(db, clock),
  jobs: (privacy) => ({
    [RETENTION_KIND]: handle((_job, ctx) => applyRetentionJob(privacy, ctx)),
  }),
  start: async (_privacy, { recurring, timeZone, clock }) => {
    await recurring.ensureNext(RETENTION_KIND, RETENTION_CRON, timeZone, clock.now());
  },
});
