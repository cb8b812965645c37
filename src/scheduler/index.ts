// The scheduler's public API: features import from here.
export { Deliveries, deliveryKey, type DeliveryOutcome, type DeliveryRecord, type DeliveryState } from "./deliveries.js";
export { idempotencyFor, withinDelivery, type DeliveryAttempt, type SendIdempotency } from "./delivery-scope.js";
export {
  DEFAULT_LEASE_MS,
  Dispatcher,
  type DispatcherOptions,
  type HandlerOptions,
  type JobContext,
  type JobHandler,
  type RunningJob,
  type FailureHook,
  type JobFailure,
  type TickHook,
  type TickReport,
} from "./dispatcher.js";
export { DAYTIME, daytimeBefore, isDaytime } from "./daytime.js";
export { AlreadyReported, PermanentError, RetryLater } from "./errors.js";
export {
  DEFAULT_MAX_ATTEMPTS,
  JOB_STATES,
  backoffMs,
  type CancelWhere,
  type ClaimOptions,
  type ClaimedJob,
  type Db,
  type FailOutcome,
  type JobLock,
  type JobRecord,
  type JobState,
  type ListOptions,
  type ScheduleInput,
  type ScheduleResult,
} from "./job-records.js";
export { JobStore } from "./jobs.js";
export type { JobKind, JobPayloads, NoPayload, PayloadOf } from "./job-kinds.js";
export {
  CronExpressionError,
  RecurringSchedules,
  nextOccurrence,
  occurrenceKey,
  parseCron,
  type RecurringPayload,
} from "./recurring.js";
export { Scheduler, tickExpression, type SchedulerOptions, type SchedulerTuning } from "./service.js";
