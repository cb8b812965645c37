// What a job handler throws to tell the dispatcher how its failure should be treated.
//
// Any other error is taken as transient (a locked database, a platform hiccup): the job is
// retried with back-off until its maxAttempts. Throwing PermanentError stops at once, because
// retrying work that can never succeed only delays the report to the animator.

/** "Not now, try again at `at`." Still counts as an attempt, so a job cannot loop forever. */
export class RetryLater extends Error {
  override name = "RetryLater";
  constructor(
    readonly at: Date,
    message = `nouvel essai prévu le ${at.toISOString()}`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** "This job can never succeed": marked failed without further attempts. */
export class PermanentError extends Error {
  override name = "PermanentError";
}

/**
 * A PermanentError whose handler already told the animator what went wrong, in its own words
 * (a meeting's reminder that reached nobody): the generic « job abandoned » report is not sent
 * on top of it.
 */
export class AlreadyReported extends PermanentError {
  override name = "AlreadyReported";
}

/** A one-line description for Job.lastError / Delivery.error, bounded so a huge message cannot bloat a row. */
export function describeError(error: unknown, max = 2000): string {
  let text: string;
  if (error instanceof Error) text = error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
  else if (typeof error === "string") text = error;
  else {
    try {
      text = JSON.stringify(error) ?? String(error);
    } catch {
      text = String(error);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

