/**
 * The payload of every job kind, by kind. Empty here: the scheduler knows no feature. Each feature
 * adds its own kinds beside their constants, by declaration merging:
 *
 *   declare module "../../scheduler/index.js" {
 *     interface JobPayloads { [JOB_KINDS.reminder]: ReminderPayload }
 *   }
 *
 * so that `jobs.schedule({ kind, payload })`, `jobs.cancel({ kind, where })` and the handlers a
 * feature description registers are checked by the compiler against the payload of their kind.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features (declaration merging)
export interface JobPayloads {}

/** A kind some feature declared in JobPayloads. */
export type JobKind = keyof JobPayloads & string;

/**
 * What a job of `kind` carries: its declared payload, or anything for a kind no feature declares
 * (the scheduler's own tests, which run made-up kinds).
 */
export type PayloadOf<K extends string> = K extends JobKind ? JobPayloads[K] : unknown;

/** The payload of a kind whose job carries nothing (stored as `{}`). */
export type NoPayload = Record<string, never>;
