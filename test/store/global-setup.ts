// Optional vitest globalSetup: migrates one template database for the whole run, so that each
// test process copies it instead of starting the migration engine itself (see fixture.ts).
// Wire it in vitest.config.ts with `globalSetup: ["test/store/global-setup.ts"]`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { applyMigrations } from "../../src/store/migrate.js";
// The `promeneursStoreTemplate` key is declared (ProvidedContext) in fixture.ts.

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "promeneurs-test-template-"));
  const file = path.join(dir, "template.db");
  await applyMigrations(`file:${file}`);
  project.provide("promeneursStoreTemplate", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
