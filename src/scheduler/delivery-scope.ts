// The delivery a message is part of, visible to whatever sends it (core/notifier.ts), so that
// every platform call made inside `deliverOnce` carries an idempotency key without each feature
// threading it through: a key forgotten in one feature would be a duplicate reminder after a crash.
import { AsyncLocalStorage } from "node:async_hooks";

export interface DeliveryAttempt {
  /** Stable across attempts and processes: the job and the recipient. */
  key: string;
  /**
   * Set when an earlier attempt may have reached the platform (it crashed mid-send, or the call
   * failed after the platform may have acted): a platform that cannot deduplicate by itself
   * looks for a message carrying the key sent since then before sending again.
   */
  resumedSince?: Date;
}

/** What one platform call carries: the delivery's key made unique per destination. */
export interface SendIdempotency {
  key: string;
  resumedSince?: Date;
}

interface Scope extends DeliveryAttempt {
  /** Calls made so far per destination in this attempt (a second message there gets its own key). */
  sends: Map<string, number>;
}

const scopes = new AsyncLocalStorage<Scope>();

export function withinDelivery<T>(attempt: DeliveryAttempt, run: () => Promise<T>): Promise<T> {
  return scopes.run({ ...attempt, sends: new Map() }, run);
}

/**
 * The idempotency of a message sent to `destination` (e.g. "discord:dm:123") from inside a
 * delivery; undefined outside one (a command's reply, an interactive post). The n-th message to
 * the same destination in one attempt gets the same key at every attempt, as long as the feature
 * sends the same messages in the same order, which a re-run of the same job does.
 */
export function idempotencyFor(destination: string): SendIdempotency | undefined {
  const scope = scopes.getStore();
  if (!scope) return undefined;
  const n = (scope.sends.get(destination) ?? 0) + 1;
  scope.sends.set(destination, n);
  return { key: `${scope.key}|${destination}${n > 1 ? `#${n}` : ""}`, ...(scope.resumedSince && { resumedSince: scope.resumedSince }) };
}
