// Writes a workbook described as plain data (sheets of rows) to XLSX bytes with ExcelJS.

export type Cell = string | number | Date | null;

export interface SheetSpec {
  name: string;
  header: string[];
  rows: Cell[][];
  /** A second table under the first (after an empty row), its own header in bold. */
  after?: { header: string[]; rows: Cell[][] };
}

interface WorkbookSpec {
  created: Date;
  sheets: SheetSpec[];
}

const DATE_FORMAT = "dd/mm/yyyy";

export async function writeWorkbook(spec: WorkbookSpec): Promise<Uint8Array> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "promeneurs-bot";
  wb.created = spec.created;
  for (const s of spec.sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.header).font = { bold: true };
    for (const r of s.rows) {
      ws.addRow(r).eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
      });
    }
    ws.columns.forEach((c, i) => (c.width = Math.min(60, Math.max(12, s.header[i]!.length + 2))));
    ws.views = [{ state: "frozen", ySplit: 1 }];
    if (s.after) {
      ws.addRow([]);
      ws.addRow(s.after.header).font = { bold: true };
      for (const r of s.after.rows) ws.addRow(r);
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
