/**
 * The one source of "now": core and scheduler take a Clock so tests can move time
 * (the tests' ManualClock is in test/helpers/clock.ts).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
