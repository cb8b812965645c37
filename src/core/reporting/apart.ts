// /tableau and /bilan as the bot runs them: in a child process that ends when done (one-shot.ts).
// In the bot's own process they grew it by ~100 MB of Prisma rows, chart and workbook that it
// never gave back (bench/memory.ts); the child returns all of it to the system when it exits.
import type { Role } from "../../store/index.js";
import type { Reply } from "../reply.js";
import { runOneShot, siblingModule } from "../one-shot.js";
import { checkYear } from "./dashboard.js";
import type { Evaluation } from "./workbook.js";

export interface ReportRequest {
  databaseUrl: string;
  options: { year: number; timeZone: string; now: Date; viewerRole: Role };
}

const reportProcess = () => siblingModule(import.meta.url, "report-process");

/** Bytes come back from the child as Uint8Array: the rest of the bot expects Buffers. */
const asBuffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export async function dashboardApart(request: ReportRequest): Promise<Reply> {
  // Checked here so a bad year is the user's French error, not a failure of the child.
  checkYear(request.options.year, request.options.now);
  const reply = await runOneShot<Reply>(reportProcess(), "dashboard", request);
  return { ...reply, files: reply.files?.map((f) => ({ ...f, data: asBuffer(f.data) })) };
}

export async function evaluationApart(request: ReportRequest): Promise<Evaluation> {
  checkYear(request.options.year, request.options.now);
  const evaluation = await runOneShot<Evaluation>(reportProcess(), "evaluation", request);
  return { ...evaluation, xlsx: asBuffer(evaluation.xlsx) };
}
