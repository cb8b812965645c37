// Transactions that take SQLite's write lock when they begin (what BEGIN IMMEDIATE does), for the
// better-sqlite3 adapter, which only issues a plain (deferred) BEGIN.
//
// A deferred transaction reads first and asks for the write lock at its first write; if another
// process committed in between, SQLite refuses at once (SQLITE_BUSY_SNAPSHOT) and the work is
// redone, again and again under steady writes from a CLI. Taking the lock first makes a busy
// file fail before any work is done, which the asynchronous retry (busy.ts) then waits out.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/** A statement that writes nothing but makes SQLite take the write lock (any table will do). */
const TAKE_WRITE_LOCK = 'UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0';

export function writeFirstTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrapAdapter(await factory.connect()),
  };
}

function wrapAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property !== "startTransaction") return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>): Promise<Transaction> => {
        const transaction = await target.startTransaction(...args);
        try {
          await transaction.executeRaw({ sql: TAKE_WRITE_LOCK, args: [], argTypes: [] });
        } catch (error) {
          // Ends the empty transaction and frees the adapter for the next one before retrying.
          await transaction.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
          await transaction.rollback();
          throw error;
        }
        return transaction;
      };
    },
  });
}
