// Fresh, already-migrated SQLite databases for tests.
//
// Migrating costs ~150 ms (the wasm engine has to start), copying a file well under 1 ms, so a
// template is migrated once and copied for every test. The template comes from
// test/store/global-setup.ts when vitest.config.ts wires it (once per run), otherwise it is
// built lazily once per test process.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, inject } from "vitest";

import { applyMigrations } from "../../src/store/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of a migrated SQLite file to copy, provided by test/store/global-setup.ts. */
    promeneursStoreTemplate?: string;
  }
}

let workDir: string | undefined;
let template: Promise<string> | undefined;
let counter = 0;

/**
 * Returns the `file:` URL of a new SQLite file (a PostgreSQL database in the "postgresql" project) with every migration applied, private to the
 * caller. Pass it to `openStore`; its pending-migration check then finds nothing to do.
 * Files live in a temp folder removed after the importing test file has run.
 */
export async function freshStoreUrl(): Promise<string> {
  // The "postgresql" vitest project runs the same suites on PostgreSQL (vitest.config.ts).
  if (process.env["PROMENEURS_TEST_STORE"] === "postgresql") {
    const { freshPostgresUrl } = await import("./postgres-fixture.js");
    return freshPostgresUrl();
  }
  const source = await templateFile();
  const file = path.join(ensureWorkDir(), `store-${process.pid}-${++counter}.db`);
  copyFileSync(source, file);
  return `file:${file}`;
}

function templateFile(): Promise<string> {
  template ??= (async () => {
    const provided = providedTemplate();
    if (provided) return provided;
    const file = path.join(ensureWorkDir(), "template.db");
    // Left in SQLite's default rollback-journal mode: a single self-contained file is safe to
    // copy, whereas a WAL-mode file could have recent pages in its -wal file. openStore switches
    // each copy to WAL.
    await applyMigrations(`file:${file}`);
    return file;
  })();
  return template;
}

function providedTemplate(): string | undefined {
  try {
    return inject("promeneursStoreTemplate");
  } catch {
    return undefined; // not running inside a vitest worker (e.g. a bench script)
  }
}

function ensureWorkDir(): string {
  workDir ??= mkdtempSync(path.join(os.tmpdir(), "promeneurs-test-store-"));
  return workDir;
}

function cleanUp(): void {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  // Start over if this module outlives the test file (vitest with `isolate: false`).
  workDir = undefined;
  template = undefined;
}

// Registered while the test file imports this module, so it runs after that file's own
// afterAll hooks (which close their stores). Not process.on("exit"): vitest ends its worker
// processes without that event. Outside vitest (e.g. a bench script), fall back to it.
try {
  afterAll(cleanUp);
} catch {
  process.on("exit", cleanUp);
}
