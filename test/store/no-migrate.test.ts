import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { openStore } from "../../src/store/index.js";
import { freshStoreUrl } from "./fixture.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("openStore without the migration check (a short-lived process beside the running bot)", () => {
  it("reads a database the bot has migrated", async () => {
    const store = await openStore(await freshStoreUrl(), undefined, { migrate: false });
    try {
      expect(await store.prisma.member.count()).toBe(0);
    } finally {
      await store.close();
    }
  });

  // A file of its own: SQLite only.
  it.skipIf(process.env["PROMENEURS_TEST_STORE"] === "postgresql")("applies nothing to a database that was never migrated", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "promeneurs-no-migrate-"));
    dirs.push(dir);
    const store = await openStore(`file:${path.join(dir, "vide.db")}`, undefined, { migrate: false });
    try {
      await expect(store.prisma.member.count()).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});
