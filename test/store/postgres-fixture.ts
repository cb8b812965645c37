// Fresh PostgreSQL databases for tests, on the machine's PostgreSQL (PROMENEURS_TEST_POSTGRES_URL,
// default postgresql://postgres@127.0.0.1:5432/test). Each test file gets its own databases,
// dropped after it. When the server cannot be reached, `postgresUnavailable` holds the reason and
// the PostgreSQL suites are skipped with it (describe.skipIf + a warning), never silently.
import { randomBytes } from "node:crypto";

import { afterAll } from "vitest";

import { applyMigrations } from "../../src/store/migrate.js";
import { createDatabase, databaseName, dropDatabase, queryRows, withDatabase, withPostgres } from "../../src/store/postgres.js";

const POSTGRES_ADMIN_URL = process.env["PROMENEURS_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Null when PostgreSQL answers, otherwise why the PostgreSQL tests are skipped. */
export const postgresUnavailable: string | null = await probe();

async function probe(): Promise<string | null> {
  try {
    await withPostgres(POSTGRES_ADMIN_URL, (db) => queryRows(db, "SELECT 1"));
    return null;
  } catch (error) {
    const reason = `PostgreSQL injoignable (${POSTGRES_ADMIN_URL}) : ${describeError(error)}`;
    console.warn(`[tests PostgreSQL ignorés] ${reason}`);
    return reason;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The adapter's errors carry the useful part (e.g. the refused address) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? error.message : `${error.message} ${JSON.stringify(cause)}`;
}

const created: string[] = [];

/** A new, empty PostgreSQL database private to the caller; its URL. */
export async function emptyPostgresUrl(): Promise<string> {
  const name = `promeneurs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await createDatabase(POSTGRES_ADMIN_URL, name);
  created.push(name);
  return withDatabase(POSTGRES_ADMIN_URL, name);
}

let template: Promise<string> | undefined;

/**
 * A new PostgreSQL database with every migration applied; its URL, for `openStore`. Migrating
 * takes about a second, so a template database is migrated once per test file and each fresh
 * database is a copy of it (CREATE DATABASE … TEMPLATE, a file copy on the server).
 */
export async function freshPostgresUrl(): Promise<string> {
  template ??= (async () => {
    const url = await emptyPostgresUrl();
    await applyMigrations(url);
    return databaseName(url);
  })();
  const name = `promeneurs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await createDatabase(POSTGRES_ADMIN_URL, name, await template);
  created.push(name);
  return withDatabase(POSTGRES_ADMIN_URL, name);
}

// Copies are dropped together, then their template (PostgreSQL refuses to drop a template while a
// copy is being made from it). Dropping is a checkpoint and file removals on the server: on a
// loaded machine a file's dozens of databases take longer than the default hook timeout.
afterAll(async () => {
  const names = created.splice(0);
  const templateName = template === undefined ? undefined : await template.catch(() => undefined);
  template = undefined;
  await Promise.all(names.filter((name) => name !== templateName).map((name) => dropDatabase(POSTGRES_ADMIN_URL, name)));
  if (templateName !== undefined) await dropDatabase(POSTGRES_ADMIN_URL, templateName);
}, 180_000);
