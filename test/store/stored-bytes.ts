// What a database holds on disk, as one latin1 string, for tests that check that erased values
// are gone from the files and not only from query results.
import { existsSync, readFileSync } from "node:fs";

import { isPostgresUrl, sqliteFileFromUrl } from "../../src/store/paths.js";
import { queryRows, withPostgres } from "../../src/store/postgres.js";

/**
 * SQLite: the database file and its write-ahead log. PostgreSQL: every relation file (tables,
 * indexes, TOAST) of the database, read by the server itself (pg_read_binary_file, the test role
 * is a superuser), after a CHECKPOINT has written the changed pages out of shared memory.
 */
export async function storedBytes(url: string): Promise<string> {
  if (!isPostgresUrl(url)) {
    const file = sqliteFileFromUrl(url);
    return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f))).toString("latin1");
  }
  return withPostgres(url, async (db) => {
    await db.executeRaw({ sql: "CHECKPOINT", args: [], argTypes: [] });
    const files = await queryRows(
      db,
      "SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'i', 't') AND pg_relation_filepath(c.oid) IS NOT NULL",
    );
    const parts: string[] = [];
    for (const { path } of files) {
      // A relation grows in 1 GB segments (path, path.1, …); the bot's tables stay far below.
      const file = `'${String(path)}'`;
      const [row] = await queryRows(db, `SELECT encode(pg_read_binary_file(${file}, 0, (pg_stat_file(${file}, true)).size, true), 'base64') AS data`);
      if (typeof row?.["data"] === "string") parts.push(Buffer.from(row["data"], "base64").toString("latin1"));
    }
    return parts.join("\n");
  });
}
