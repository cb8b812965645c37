// Making deleted rows unrecoverable from the database's files, the way each provider needs it.
// An erased person's data must leave the disk, not only the query results (privacy).
import type { PrismaClient } from "./generated/client.js";
import { storeProvider } from "./provider.js";

/**
 * Removes the bytes of deleted and overwritten rows from the database's files.
 * - SQLite (secure_delete on): the write-ahead log still holds the old pages until it is folded
 *   into the file and truncated.
 * - PostgreSQL: a deleted or updated row stays in its page as a dead tuple, and even a plain
 *   VACUUM leaves its bytes in the page's free space; VACUUM FULL rewrites the given tables and
 *   their indexes into new files with the live rows only. It locks one table at a time for a
 *   moment, fine for the bot's small tables and rare erasures. (The server's WAL archive, if any,
 *   follows its own retention: see the README's pg_dump paragraph.)
 */
export async function purgeDeletedRows(prisma: PrismaClient, tables: readonly string[]): Promise<void> {
  if (storeProvider(prisma) === "sqlite") {
    await prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)"); // the whole log, whatever the tables
    return;
  }
  if (tables.length === 0) return;
  await untilOlderSnapshotsEnd(prisma);
  await prisma.$executeRawUnsafe(`VACUUM FULL ${tables.map((name) => `"${name.replace(/"/g, '""')}"`).join(", ")}`);
}

/**
 * VACUUM FULL keeps a deleted row that a transaction still running might see (another instance's
 * transaction, an autoanalyze, a pg_dump in progress): waits, a bounded time, until every
 * transaction of this database that started before now has ended. After the bound it goes on;
 * the nightly retention job purges again.
 */
async function untilOlderSnapshotsEnd(prisma: PrismaClient, boundMs = 10_000): Promise<void> {
  const [now] = await prisma.$queryRawUnsafe<{ xmax: string }[]>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax");
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    const [older] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
        "AND age(coalesce(backend_xmin, backend_xid)) > age($1::xid)",
      now!.xmax,
    );
    if (older?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
