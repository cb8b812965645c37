// Transactions that take SQLite's write lock when they begin (what BEGIN IMMEDIATE does), for the
// better-sqlite3 adapter, which only issues a plain (deferred) BEGIN.
//
// A deferred transaction reads first and asks for the write lock at its first write; if another
// process committed in between, SQLite refuses at once (SQLITE_BUSY_SNAPSHOT) and the work is
// redone, again and again under steady writes from a CLI. Taking the lock first makes a busy
// file fail before any work is done, which the asynchronous retry (busy.ts) then waits out.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/** A statement that writes nothing but makes SQLite take the write lock (any table will do). */
const TAKE_WRITE_LOCK = 'UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0';

/**
 * A CLI writing beside the running bot leaves the file free between its transactions for at least
 * as long as the last one held it (within these bounds). Without the pause it takes the lock back
 * within microseconds, and the bot's retries (busy.ts), landing at random moments, keep finding
 * it taken: its commands then wait for seconds. The bot itself never pauses.
 */
const COURTESY_PAUSE_MS = { min: 5, max: 50 } as const;

interface WriteFirstOptions {
  /** Pause between transactions (a CLI or inspection console beside the bot). */
  courteous?: boolean;
}

export function writeFirstTransactions(factory: SqlDriverAdapterFactory, options: WriteFirstOptions = {}): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrapAdapter(await factory.connect(), options.courteous ? new Courtesy() : undefined),
  };
}

/** When the last transaction ended and how long it held the write lock. */
class Courtesy {
  private freeAt = 0;

  async beforeTransaction(): Promise<void> {
    const wait = this.freeAt - performance.now();
    if (wait > 0) await sleep(wait);
  }

  /** Wraps commit and rollback so the pause is measured from the moment the lock is released. */
  track(transaction: Transaction, startedAt: number): Transaction {
    const ended = () => {
      const now = performance.now();
      this.freeAt = now + Math.min(COURTESY_PAUSE_MS.max, Math.max(COURTESY_PAUSE_MS.min, now - startedAt));
    };
    return new Proxy(transaction, {
      get(target, property, receiver) {
        if (property !== "commit" && property !== "rollback") return Reflect.get(target, property, receiver) as unknown;
        return async () => {
          try {
            await (property === "commit" ? target.commit() : target.rollback());
          } finally {
            ended();
          }
        };
      },
    });
  }
}

function wrapAdapter(adapter: SqlDriverAdapter, courtesy: Courtesy | undefined): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property !== "startTransaction") return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>): Promise<Transaction> => {
        await courtesy?.beforeTransaction();
        const startedAt = performance.now();
        const transaction = await target.startTransaction(...args);
        try {
          await transaction.executeRaw({ sql: TAKE_WRITE_LOCK, args: [], argTypes: [] });
        } catch (error) {
          // Ends the empty transaction and frees the adapter for the next one before retrying.
          await transaction.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
          await transaction.rollback();
          throw error;
        }
        return courtesy ? courtesy.track(transaction, startedAt) : transaction;
      };
    },
  });
}
