// One schema source (prisma/schema.prisma), one generated schema + migrations folder per provider.
// With the SQLite check in migrate.test.ts, these fail as soon as either provider's migrations
// drift from the schema they are both derived from.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { SCHEMA_PATH } from "../../src/store/paths.js";
import { PROVIDER_FILES, postgresqlSchema } from "../../src/store/providers.js";
import { diffMigrationsToSchema, listMigrationNames } from "../../src/store/schema-engine.js";
import { emptyPostgresUrl, postgresUnavailable } from "./postgres-fixture.js";

const pg = PROVIDER_FILES.postgresql;

describe("the PostgreSQL schema", () => {
  it("is prisma/schema.prisma with only the provider and the client folder changed", () => {
    const source = readFileSync(SCHEMA_PATH, "utf8");
    const derived = postgresqlSchema(source);
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('"../../src/store/generated-pg"');
    expect(derived).not.toContain('"sqlite"');
    // Same models, enums and fields: remove the two changed lines and the header, the rest is equal.
    const strip = (text: string) =>
      text.split("\n").filter((line) => !/^\s*(provider|output)\s*=|^\/\/ GENERATED/.test(line)).join("\n");
    expect(strip(derived)).toBe(strip(source));
  });

  it("is committed up to date (scripts/prisma-generate.mjs rewrites it)", () => {
    expect(readFileSync(pg.schemaPath, "utf8")).toBe(postgresqlSchema(readFileSync(SCHEMA_PATH, "utf8")));
  });

  it("has its own migrations folder, locked to postgresql", () => {
    expect(listMigrationNames(pg.migrationsDir).length).toBeGreaterThan(0);
    expect(readFileSync(`${pg.migrationsDir}/migration_lock.toml`, "utf8")).toContain('provider = "postgresql"');
  });
});

describe.skipIf(postgresUnavailable !== null)("PostgreSQL migrations", () => {
  it("produce the schema (run `npm run db:migrate -- --name <nom>` after editing it)", async () => {
    const diff = await diffMigrationsToSchema({
      migrationsDir: pg.migrationsDir,
      schemaPath: pg.schemaPath,
      scratchFile: await emptyPostgresUrl(),
    });
    expect(diff.empty, diff.sql).toBe(true);
  });
});

// Reported, not silent: the reason shows in the run as a skipped test.
if (postgresUnavailable !== null) it.skip(`PostgreSQL — ignoré : ${postgresUnavailable}`, () => {});
