// The scheduler's public API: features import from here.
export { type DeliveryOutcome } from "./deliveries.js";
export { idempotencyFor, type DeliveryAttempt, type SendIdempotency } from "./delivery-scope.js";
export { Dispatcher, type HandlerOptions, type JobContext, type JobHandler, type RunningJob, type FailureHook, type JobFailure } from "./dispatcher.js";
export { daytimeBefore, isDaytime } from "./daytime.js";
export { AlreadyReported, PermanentError, RetryLater } from "./errors.js";
export { backoffMs } from "./job-records.js";
export { JobStore } from "./jobs.js";
export type { JobKind, JobPayloads, NoPayload } from "./job-kinds.js";
export {
  CronExpressionError,
  RecurringSchedules,
  nextOccurrence,
  occurrenceKey,
  parseCron,
  type RecurringPayload,
} from "./recurring.js";
export { Scheduler, tickExpression, type SchedulerOptions, type SchedulerTuning } from "./service.js";
