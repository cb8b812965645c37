/** The database holds personal data: only the bot's user may read it. */
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";

const mode = (p: string) => statSync(p).mode & 0o777;

describe("the database file", () => {
  it("is created 0600 in a folder created 0700, and its WAL file follows", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "promeneurs-private-"));
    const file = path.join(root, "donnees", "promeneurs.db");
    const store = await openStore(`file:${file}`);
    try {
      await store.prisma.setting.create({ data: { key: "k", value: "v" } });
      expect(mode(path.dirname(file)).toString(8)).toBe("700");
      expect(mode(file).toString(8)).toBe("600");
      expect(mode(`${file}-wal`).toString(8)).toBe("600");
    } finally {
      await store.close();
    }
  });
});
