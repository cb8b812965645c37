// The homeserver's M_LIMIT_EXCEEDED says how long to wait (retry_after_ms): calls outside the SDK's
// own send queue (which already honours it) wait that long and try again, a few times.
const ATTEMPTS = 4;
/** A server asking for more than this is treated as an outage rather than waited for. */
const LONGEST_WAIT_MS = 30_000;

function retryAfterMs(err: unknown): number | undefined {
  const e = err as { errcode?: string; data?: { retry_after_ms?: number; errcode?: string }; httpStatus?: number };
  const limited = e.errcode === "M_LIMIT_EXCEEDED" || e.data?.errcode === "M_LIMIT_EXCEEDED" || e.httpStatus === 429;
  if (!limited) return undefined;
  return Math.min(e.data?.retry_after_ms ?? 1000, LONGEST_WAIT_MS);
}

export async function withRateLimit<T>(call: () => Promise<T>, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const wait = retryAfterMs(err);
      if (wait === undefined || attempt >= ATTEMPTS) throw err;
      await sleep(wait);
    }
  }
}
