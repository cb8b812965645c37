// The data-protection feature: its description for the app, and what commands use.
import { defineFeature, handle } from "../feature.js";
import { applyRetentionJob } from "./jobs.js";
import { Privacy } from "./privacy.js";
import { RETENTION_CRON, RETENTION_KIND } from "./retention.js";

export { PrivacyService, checkpoint, type ErasureRequester, type MemberData } from "./service.js";
export { Privacy } from "./privacy.js";
export { exportFiles, summaryReply, retentionOf } from "./render.js";
export { RETENTION, RETENTION_KIND, RETENTION_CRON, DPO_SETTING, applyRetention, duration, readRetention, setDpoContact, setRetention, type RetentionKey } from "./retention.js";
export { CATEGORIES, ERASED, TABLES } from "./tables.js";

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
