/**
 * `npm run bilan -- --annee 2025 --out …` as the operator runs it, in its own process, on a seeded
 * year (on SQLite, and on PostgreSQL in the "postgresql" vitest project): the workbook and its
 * Markdown summary hold the figures the bot computes from that database.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";

import { buildEvaluation } from "../../src/core/reporting/workbook.js";
import { openStore } from "../../src/store/index.js";
import { seedYear } from "../core/reporting/seed-year.js";
import { runScript } from "../helpers/script.js";
import { freshStoreUrl } from "../store/fixture.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-bilan-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("npm run bilan", () => {
  it("writes the year's workbook and summary from the database", async () => {
    const url = await freshStoreUrl();
    const store = await openStore(url);
    try {
      await seedYear(store.prisma);
      const out = path.join(tmp, "bilan-2025.xlsx");

      const run = await runScript("bilan", ["--annee", "2025", "--out", out], { DATABASE_URL: url, BACKUP_DIR: path.join(tmp, "sauvegardes") });

      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Évaluation 2025 écrite : ${out}`);
      // 2025 is over: its figures do not depend on today's date (only the members' current statuses do, unchanged here).
      const expected = await buildEvaluation(store.prisma, { year: 2025, timeZone: "Europe/Paris", now: new Date(), viewerRole: "ANIMATEUR" });
      expect(readFileSync(out.replace(/\.xlsx$/, ".md"), "utf8")).toBe(expected.markdown);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
      const synthesis = wb.getWorksheet("Synthèse")!;
      expect(synthesis.getCell("A1").value).toBe("Indicateur");
      expect(expected.markdown).toContain("2025");
      const values = (ws: ExcelJS.Worksheet) => ws.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1, 3) : row));
      const again = new ExcelJS.Workbook();
      await again.xlsx.load(expected.xlsx as unknown as ArrayBuffer);
      expect(values(synthesis)).toEqual(values(again.getWorksheet("Synthèse")!));
    } finally {
      await store.close();
    }
  }, 60_000);
});
