// One schema source of truth (prisma/schema.prisma, SQLite) and what each provider needs from it.
//
// Prisma ties a schema, its generated client and its migrations to one provider. Rather than
// keeping a hand-edited copy for PostgreSQL, its schema is derived from the SQLite one (only the
// datasource provider and the client's output folder differ) by scripts/prisma-generate.mjs, and
// its migrations live in their own folder (prisma/postgresql/migrations). A test checks that the
// migrations of both providers produce the schema (test/store/providers.test.ts).
import path from "node:path";

import { MIGRATIONS_DIR, REPO_ROOT, SCHEMA_PATH } from "./paths.js";

type Provider = "sqlite" | "postgresql";

interface ProviderFiles {
  provider: Provider;
  schemaPath: string;
  migrationsDir: string;
}

const POSTGRESQL_DIR = path.join(REPO_ROOT, "prisma", "postgresql");

export const PROVIDER_FILES: Record<Provider, ProviderFiles> = {
  sqlite: { provider: "sqlite", schemaPath: SCHEMA_PATH, migrationsDir: MIGRATIONS_DIR },
  postgresql: {
    provider: "postgresql",
    schemaPath: path.join(POSTGRESQL_DIR, "schema.prisma"),
    migrationsDir: path.join(POSTGRESQL_DIR, "migrations"),
  },
};

const GENERATED_HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs: edit that file, not this one.\n";

/**
 * The PostgreSQL schema for the SQLite source: same models, `postgresql` datasource, and a client
 * generated into src/store/generated-pg (the generated client embeds its provider's query
 * compiler, so each provider needs its own).
 */
export function postgresqlSchema(sqliteSchema: string): string {
  const replaced = replaceOnce(
    replaceOnce(sqliteSchema, /(\bprovider\s*=\s*)"sqlite"/, '$1"postgresql"'),
    /(\boutput\s*=\s*)"\.\.\/src\/store\/generated"/,
    '$1"../../src/store/generated-pg"',
  );
  return GENERATED_HEADER + replaced;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`prisma/schema.prisma : motif attendu introuvable (${pattern.source}).`);
  return text.replace(pattern, replacement);
}
