/**
 * The value of `promise` if it settles within `ms`, else `undefined` (the promise keeps running).
 * Used for platform deadlines (Discord's 3 s, Slack's ack) and bounded shutdowns; the timer is
 * cleared so nothing lingers after a fast answer.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}
