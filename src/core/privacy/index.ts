// The data-protection feature, as commands see it.
export { PrivacyService, checkpoint, type ErasureRequester, type MemberData } from "./service.js";
export { exportFiles, summaryReply, retentionOf } from "./render.js";
export { RETENTION, RETENTION_KIND, RETENTION_CRON, DPO_SETTING, applyRetention, duration, readRetention, setDpoContact, setRetention, type RetentionKey } from "./retention.js";
export { CATEGORIES, ERASED, TABLES } from "./tables.js";
