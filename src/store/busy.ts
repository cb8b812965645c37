// SQLite allows one writer at a time. When a CLI (import, backup, bilan) writes next to the bot,
// a statement may find the file locked. better-sqlite3 waits for it synchronously, which freezes
// the whole event loop (Discord's 3 s deadline is then missed), so the connection's own busy
// timeout is kept to a few milliseconds and a locked statement or transaction is retried here,
// asynchronously, with a bounded back-off: the event loop keeps serving meanwhile.
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** Waits (synchronously, inside SQLite) before a locked statement fails: a few ms at most. */
export const SQLITE_BUSY_TIMEOUT_MS = 5;

/** Back-off between attempts, in ms: doubles from the first, capped; about 3 s in all. */
const BUSY_RETRY = { firstDelayMs: 4, maxDelayMs: 200, attempts: 20 } as const;

/** Raised when the database stayed locked through every retry. */
export class StoreBusyError extends Error {
  override name = "StoreBusyError";
  constructor(options: { cause: unknown }) {
    super("La base de données est restée verrouillée par un autre programme : réessayez dans un instant.", options);
  }
}

/** SQLITE_BUSY (and its extended codes), as better-sqlite3, the adapter or Prisma report it. */
export function isBusyError(error: unknown): boolean {
  for (let e = error as { code?: unknown; kind?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    // Prisma maps the adapter's SocketTimeout (its kind for SQLITE_BUSY) to P1008.
    if (e.code === "P1008" || e.kind === "SocketTimeout") return true;
    if (typeof e.code === "string" && e.code.startsWith("SQLITE_BUSY")) return true;
    if (typeof e.message === "string" && /SQLITE_BUSY|database is locked/.test(e.message)) return true;
  }
  return false;
}

const transactionScope = new AsyncLocalStorage<true>();

/** True inside a transaction run through {@link retryingTransaction}: its statements are not retried alone. */
export function insideTransaction(): boolean {
  return transactionScope.getStore() === true;
}

/** Runs `attempt` again while it fails with SQLITE_BUSY, waiting asynchronously in between. */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, retry = BUSY_RETRY): Promise<T> {
  let delay: number = retry.firstDelayMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (n >= retry.attempts) throw new StoreBusyError({ cause: error });
      // Jitter keeps two retrying processes from colliding again in step.
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, retry.maxDelayMs);
    }
  }
}

/**
 * A whole transaction, retried from its start while locked: a statement inside it cannot be
 * retried alone (what it read may be stale), so the scope tells the statement hook to let the
 * error through to here.
 */
export function retryingTransaction<T>(run: () => Promise<T>): Promise<T> {
  if (insideTransaction()) return run();
  return retryWhileBusy(() => transactionScope.run(true, run));
}
