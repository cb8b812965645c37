// The child process of /tableau and /bilan (see one-shot.ts): it opens its own connection to the
// database, reads the year (tens of thousands of rows through Prisma), draws the chart with
// Chart.js on the canvas or writes the workbook with ExcelJS, answers, and exits. None of it
// grows the bot's own process.
import { openStore } from "../../store/index.js";
import { serveOneShot } from "../one-shot.js";
import type { ReportRequest } from "./apart.js";
import { dashboardReply } from "./dashboard.js";
import { buildEvaluation } from "./workbook.js";

async function withStore<T>(request: ReportRequest, work: (db: Awaited<ReturnType<typeof openStore>>["prisma"]) => Promise<T>): Promise<T> {
  // The bot beside it migrated the database at its start.
  const store = await openStore(request.databaseUrl, undefined, { migrate: false });
  try {
    return await work(store.prisma);
  } finally {
    await store.close();
  }
}

serveOneShot({
  dashboard: (request: ReportRequest) => withStore(request, (db) => dashboardReply(db, request.options)),
  evaluation: (request: ReportRequest) => withStore(request, (db) => buildEvaluation(db, request.options)),
});
