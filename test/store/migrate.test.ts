import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

import { MigrationError, applyMigrations } from "../../src/store/migrate.js";
import { MIGRATIONS_DIR, SCHEMA_PATH } from "../../src/store/paths.js";
import * as engine from "../../src/store/schema-engine.js";

// Spy on the engine entry point so the tests can tell whether the wasm engine was used at all.
vi.mock(import("../../src/store/schema-engine.js"), async (importOriginal) => {
  const original = await importOriginal();
  // The cast keeps the generic signature, which vi.fn() would erase.
  return { ...original, withSchemaEngine: vi.fn(original.withSchemaEngine) as typeof original.withSchemaEngine };
});

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-migrate-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const newDbFile = () => path.join(tmp, `db-${++n}.sqlite`);

const committed = engine.listMigrationNames(MIGRATIONS_DIR);

function tableNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
      .map((row) => row.name);
  } finally {
    db.close();
  }
}

/** A migrations folder holding the committed migrations plus `extra` ones ({ name: sql }). */
function migrationsDirWith(extra: Record<string, string>): string {
  const dir = path.join(tmp, `migrations-${++n}`);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

beforeEach(() => {
  vi.mocked(engine.withSchemaEngine).mockClear();
});

describe("committed migrations", () => {
  it("start with an init migration and a sqlite lock file", () => {
    expect(committed[0]).toMatch(/^\d{14}_init$/);
    expect(existsSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"))).toBe(true);
  });

  it("match prisma/schema.prisma (run `npm run db:migrate -- --name <nom>` after editing it)", async () => {
    const diff = await engine.diffMigrationsToSchema({
      migrationsDir: MIGRATIONS_DIR,
      schemaPath: SCHEMA_PATH,
      scratchFile: newDbFile(),
    });
    // On failure the message is the SQL a new migration would need.
    expect(diff.empty, diff.sql).toBe(true);
  });
});

describe("applyMigrations", () => {
  it("creates a fresh file (and its folder) and applies every migration with Prisma's bookkeeping", async () => {
    const file = path.join(tmp, "nested", "dir", "fresh.sqlite"); // folder created too
    const messages: string[] = [];

    const applied = await applyMigrations(`file:${file}`, (msg) => messages.push(msg));

    expect(applied).toEqual(committed);
    expect(tableNames(file)).toEqual([
      "ActivityReport", "Announcement", "Attendance", "AuditLog", "AvailabilityAnswer", "AvailabilityPoll", "AvailabilitySlot", "Delivery", "InboxMessage", "Job", "Meeting", "MeetingPost", "Member", "OnboardingJourney", "OnboardingStep", "PlatformAccount",
      "Poll", "PollOption", "PostedMessage", "Question", "QuestionAnswer", "Rsvp", "Setting", "TrainingNeed", "TrainingSurvey", "TrainingTick", "Vote",
      "WatchDigest", "WatchItem", "WatchSeen", "WatchSource", "_prisma_migrations",
    ]);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations").all();
    db.close();
    expect(rows).toEqual(
      committed.map((name) => ({ migration_name: name, finished_at: expect.anything(), applied_steps_count: 1 })),
    );
    expect(messages.at(-1)).toBe(`Migration appliquée : ${committed.at(-1)}`);
  });

  it("applies nothing and does not start the engine when the database is up to date", async () => {
    const file = newDbFile();
    await applyMigrations(`file:${file}`);
    expect(engine.withSchemaEngine).toHaveBeenCalledTimes(1);
    const messages: string[] = [];

    const applied = await applyMigrations(`file:${file}`, (msg) => messages.push(msg));

    expect(applied).toEqual([]);
    expect(messages).toEqual([]);
    expect(engine.withSchemaEngine).toHaveBeenCalledTimes(1); // still only the first run
  });

  it("applies only the migrations added since the last run", async () => {
    const file = newDbFile();
    await applyMigrations(`file:${file}`);
    const migrationsDir = migrationsDirWith({
      "29990101000000_add_note": 'ALTER TABLE "Setting" ADD COLUMN "note" TEXT;\n',
    });

    const applied = await applyMigrations(`file:${file}`, undefined, { migrationsDir });

    expect(applied).toEqual(["29990101000000_add_note"]);
    const db = new Database(file, { readonly: true });
    const columns = (db.prepare("PRAGMA table_info('Setting')").all() as { name: string }[]).map((c) => c.name);
    db.close();
    expect(columns).toContain("note");
  });

  it("stops with an error naming the failed migration, on this start and the next ones", async () => {
    const file = newDbFile();
    const migrationsDir = migrationsDirWith({
      "29990101000000_broken": 'CREATE TABLE "Ok" ("id" INTEGER);\nINSERT INTO "Missing" VALUES (1);\n',
      "29990102000000_after": 'CREATE TABLE "After" ("id" INTEGER);\n',
    });

    const first = await applyMigrations(`file:${file}`, undefined, { migrationsDir }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(MigrationError);
    expect((first as MigrationError).migrationName).toBe("29990101000000_broken");
    expect((first as MigrationError).message).toContain("« 29990101000000_broken »");

    const second = await applyMigrations(`file:${file}`, undefined, { migrationsDir }).catch((e: unknown) => e);
    expect((second as MigrationError).migrationName).toBe("29990101000000_broken");
    expect((second as MigrationError).message).toMatch(/failed migrations/);
    // Migrations before the broken one stay applied; the one after it was never run.
    expect(tableNames(file)).toContain("Member");
    expect(tableNames(file)).not.toContain("After");
  });
});
