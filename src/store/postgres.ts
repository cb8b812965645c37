// PostgreSQL plumbing shared by start-up migrations, tests and scripts. Goes through the Prisma
// driver adapter (@prisma/adapter-pg) rather than `pg` directly: one client library, one pool.
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  SqlResultSet,
} from "@prisma/driver-adapter-utils";

/**
 * The Prisma driver adapter factory for `url`. It reports PostgreSQL's internal one-byte `"char"`
 * type (OID 18, used by the system catalogs) as Prisma's `Character` column type: @prisma/adapter-pg
 * 7.10 has no mapping for it and throws "Unsupported column type char", which breaks the schema
 * engine's introspection (used to diff a migrated database against the schema). The pool
 * relabels such fields as `text` and marks their positions on the rows array, which the
 * adapter hands back untouched; the adapter wrapper then fixes the column types.
 */
export async function postgresAdapterFactory(url: string, max = 10): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const [{ PrismaPg }, pg] = await Promise.all([import("@prisma/adapter-pg"), import("pg")]);
  class CharAsTextPool extends pg.default.Pool {
    // @ts-expect-error: one override for all of pg's query() overloads; only the promise form is changed.
    override query(...args: unknown[]): unknown {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (!(result instanceof Promise)) return result;
      return result.then((value: { fields?: { dataTypeID: number }[]; rows?: unknown }) => {
        const charColumns: number[] = [];
        (value?.fields ?? []).forEach((field, index) => {
          if (field.dataTypeID !== PG_CHAR_OID) return;
          field.dataTypeID = PG_TEXT_OID;
          charColumns.push(index);
        });
        if (charColumns.length > 0 && Array.isArray(value.rows)) Object.assign(value.rows, { [CHAR_COLUMNS]: charColumns });
        return value;
      });
    }
  }
  const pool = new CharAsTextPool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // The adapter queries through the pool itself; it ends the pool when disposed.
  const inner = new PrismaPg(pool as unknown as InstanceType<typeof pg.default.Pool>, { disposeExternalPool: true });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withCharColumns(await inner.connect()),
    connectToShadowDb: async () => withCharColumns(await inner.connectToShadowDb()),
  };
}
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHARACTER_COLUMN_TYPE = 6; // ColumnTypeEnum.Character
const CHAR_COLUMNS = Symbol("charColumns");

function withCharColumns<Q extends SqlQueryable>(queryable: Q): Q {
  return new Proxy(queryable, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === "queryRaw") {
        return async (query: SqlQuery): Promise<SqlResultSet> => {
          const result = await target.queryRaw(query);
          const charColumns = (result.rows as { [CHAR_COLUMNS]?: number[] })[CHAR_COLUMNS] ?? [];
          for (const index of charColumns) result.columnTypes[index] = CHARACTER_COLUMN_TYPE;
          return result;
        };
      }
      if (property === "startTransaction") {
        return async (...args: unknown[]) =>
          withCharColumns(await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(target, args));
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Runs `fn` on one short-lived connection to the database at `url`. */
export async function withPostgres<T>(url: string, fn: (db: SqlDriverAdapter) => Promise<T>): Promise<T> {
  const factory = await postgresAdapterFactory(url, 1);
  const adapter = await factory.connect();
  try {
    return await fn(adapter);
  } finally {
    await adapter.dispose();
  }
}

/** Rows of a query without parameters, as objects keyed by column name. */
export async function queryRows(db: SqlDriverAdapter, sql: string): Promise<Record<string, unknown>[]> {
  const result = await db.queryRaw({ sql, args: [], argTypes: [] });
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])));
}

/** The same server and credentials as `url`, on another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The database name `url` points at. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates the database `name` on the server of `url` (connecting to the database of `url`),
 * empty or as a copy of the database `template` (which must have no open connection).
 */
export async function createDatabase(url: string, name: string, template?: string): Promise<void> {
  const sql = `CREATE DATABASE ${quoteIdent(name)}${template === undefined ? "" : ` TEMPLATE ${quoteIdent(template)}`}`;
  await withPostgres(url, (db) => db.executeRaw({ sql, args: [], argTypes: [] }));
}

/** Drops the database `name`, ending the sessions still connected to it. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await withPostgres(url, (db) =>
    db.executeRaw({ sql: `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`, args: [], argTypes: [] }),
  );
}

interface MigrationRecords {
  /** Applied successfully and not rolled back. */
  finished: Set<string>;
  /** Started but neither finished nor rolled back, i.e. failed (oldest first). */
  unfinished: string[];
}

/** Prisma's `_prisma_migrations` bookkeeping of a PostgreSQL database (empty if the table is missing). */
export async function readPostgresMigrationRecords(url: string): Promise<MigrationRecords> {
  return withPostgres(url, async (db) => {
    const [table] = await queryRows(db, "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
    if (table?.["present"] !== true) return { finished: new Set<string>(), unfinished: [] };
    const rows = await queryRows(
      db,
      "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
    );
    return migrationRecordsFrom(rows as { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[]);
  });
}

function migrationRecordsFrom(
  rows: { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[],
): MigrationRecords {
  const records: MigrationRecords = { finished: new Set(), unfinished: [] };
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at !== null) records.finished.add(row.migration_name);
    else records.unfinished.push(row.migration_name);
  }
  // A failed attempt that was later retried successfully is not a failure any more.
  records.unfinished = records.unfinished.filter((name) => !records.finished.has(name));
  return records;
}
