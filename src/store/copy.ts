// Copies a SQLite database into an empty PostgreSQL one (`npm run db:copier`), so a network can
// move to PostgreSQL without losing its history. Generic over the tables: it reads the SQLite
// catalogue (tables, primary keys, foreign keys) and copies through both Prisma clients, which
// convert every type (dates, booleans, enums) the way each provider stores it.
import { existsSync } from "node:fs";

import Database from "better-sqlite3";

import { openStore, type Store } from "./client.js";
import { sqliteFileFromUrl } from "./paths.js";
import { plural } from "../shared/plural.js";

interface CopiedTable {
  table: string;
  rows: number;
}

/** Raised when the copy is refused or fails; nothing is left half-copied in the target. */
export class CopyError extends Error {
  override name = "CopyError";
}

const CHUNK = 500;

/**
 * Copies every table of the SQLite database `sourceUrl` into the PostgreSQL database `targetUrl`
 * (migrated first; it must hold no rows), in one transaction, keeping the ids and moving each
 * table's id sequence past the copied ids. Returns the row count per table, checked on both sides.
 */
export async function copySqliteToPostgres(
  sourceUrl: string,
  targetUrl: string,
  log: (msg: string) => void = () => {},
): Promise<CopiedTable[]> {
  const sourceFile = sqliteFileFromUrl(sourceUrl);
  if (!existsSync(sourceFile)) throw new CopyError(`La base SQLite source est introuvable : ${sourceFile}.`);
  const tables = sqliteTables(sourceFile);
  const source = await openStore(sourceUrl, log);
  let target: Store | undefined;
  try {
    target = await openStore(targetUrl, log);
    await refuseIfNotEmpty(target, tables);
    const copied: CopiedTable[] = [];
    await target.prisma.$transaction(
      async (tx) => {
        for (const table of tables) {
          const rows = await copyTable(source, tx as unknown as Store["prisma"], table);
          await moveSequencePastIds(tx as unknown as Store["prisma"], table);
          log(`${table.name} : ${plural(rows, "ligne copiée", "lignes copiées")}`);
          copied.push({ table: table.name, rows });
        }
      },
      { timeout: 60 * 60_000, maxWait: 30_000 },
    );
    await checkCounts(source, target, copied);
    return copied;
  } finally {
    await target?.close();
    await source.close();
  }
}

interface TableInfo {
  name: string;
  primaryKey: string[];
  /** True when the table has an integer `id` primary key (a sequence on PostgreSQL). */
  serialId: boolean;
  /** The highest id SQLite ever handed out (AUTOINCREMENT never reuses a deleted one). */
  lastId: number;
}

/** The application's tables, parents before children (foreign keys), from the SQLite catalogue. */
function sqliteTables(file: string): TableInfo[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const names = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'")
        .all() as { name: string }[]
    ).map((row) => row.name);
    const parents = new Map(
      names.map((name) => [
        name,
        (db.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string }[])
          .map((fk) => fk.table)
          .filter((parent) => parent !== name),
      ]),
    );
    const hasSequences = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() !== undefined;
    const lastIds = new Map(
      hasSequences ? (db.prepare("SELECT name, seq FROM sqlite_sequence").all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq]) : [],
    );
    return parentsFirst(names, parents).map((name) => {
      const columns = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; pk: number }[];
      const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const serialId = primaryKey.length === 1 && primaryKey[0] === "id" && /INT/i.test(columns.find((c) => c.name === "id")?.type ?? "");
      return { name, primaryKey, serialId, lastId: lastIds.get(name) ?? 0 };
    });
  } finally {
    db.close();
  }
}

function parentsFirst(names: string[], parents: Map<string, string[]>): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (ordered.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent);
    ordered.push(name);
  };
  [...names].sort().forEach(visit);
  return ordered;
}

type Delegate = {
  count(): Promise<number>;
  findMany(args: object): Promise<object[]>;
  createMany(args: { data: object[] }): Promise<{ count: number }>;
};

function delegate(prisma: Store["prisma"], table: string): Delegate {
  const found = (prisma as unknown as Record<string, Delegate | undefined>)[table.charAt(0).toLowerCase() + table.slice(1)];
  if (!found) throw new CopyError(`Table « ${table} » inconnue du client Prisma : base source d'une autre version ?`);
  return found;
}

async function refuseIfNotEmpty(target: Store, tables: TableInfo[]): Promise<void> {
  for (const table of tables) {
    const rows = await delegate(target.prisma, table.name).count();
    if (rows > 0) {
      throw new CopyError(`La base PostgreSQL cible n'est pas vide (${table.name} : ${plural(rows, "ligne", "lignes")}) : rien n'a été copié.`);
    }
  }
}

async function copyTable(source: Store, target: Store["prisma"], table: TableInfo): Promise<number> {
  const orderBy = table.primaryKey.map((column) => ({ [column]: "asc" }));
  let copied = 0;
  for (;;) {
    const rows = await delegate(source.prisma, table.name).findMany({ orderBy, skip: copied, take: CHUNK });
    if (rows.length === 0) return copied;
    await delegate(target, table.name).createMany({ data: rows });
    copied += rows.length;
  }
}

/**
 * Copied ids were given explicitly, so the sequence must be moved past them by hand, and past
 * the ids of deleted rows too: like SQLite's AUTOINCREMENT, an id once used is never handed out again.
 */
async function moveSequencePastIds(target: Store["prisma"], table: TableInfo): Promise<void> {
  if (!table.serialId) return;
  const lastId = Math.trunc(table.lastId);
  await target.$executeRawUnsafe(
    `SELECT setval(pg_get_serial_sequence('"${table.name}"', 'id'), GREATEST(COALESCE(MAX("id"), 0), ${lastId}, 1), ` +
      `GREATEST(COALESCE(MAX("id"), 0), ${lastId}) > 0) FROM "${table.name}"`,
  );
}

async function checkCounts(source: Store, target: Store, copied: CopiedTable[]): Promise<void> {
  for (const { table, rows } of copied) {
    const [before, after] = await Promise.all([delegate(source.prisma, table).count(), delegate(target.prisma, table).count()]);
    if (before !== rows || after !== rows) {
      throw new CopyError(`Comptes différents pour ${table} : ${before} dans SQLite, ${after} dans PostgreSQL.`);
    }
  }
}
