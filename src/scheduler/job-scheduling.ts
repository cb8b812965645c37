// Scheduling one job: the input checked, its payload as JSON text, and the upsert by dedupe key
// (create, update while pending, revive when cancelled, leave alone once it ran). Each write is
// conditional on the state just read, so a concurrent claim or cancel makes it look again.
import { isUniqueViolation } from "../store/index.js";
import { DEFAULT_MAX_ATTEMPTS, type Db, type JobRecord, type ScheduleInput, type ScheduleResult } from "./job-records.js";

/** How many times a key that keeps changing under us is read again before giving up. */
const SCHEDULE_ROUNDS = 5;

/** The columns a schedule sets, checked and serialised once. */
interface JobFields {
  kind: string;
  dueAt: Date;
  payload: string;
  /** Absent: a new job gets the default, an existing one keeps its own. */
  maxAttempts?: number;
}

/**
 * Adds the job, or revises the one of its dedupe key (see JobStore.schedule). `inTransaction`: the
 * caller's transaction is aborted by a unique violation, so the race is the caller's to retry.
 */
export async function scheduleOrUpdate(db: Db, input: ScheduleInput, now: Date, inTransaction: boolean): Promise<ScheduleResult> {
  checkInput(input);
  const fields: JobFields = { kind: input.kind, dueAt: input.dueAt, payload: serialisePayload(input.payload), maxAttempts: input.maxAttempts };
  const { dedupeKey } = input;
  if (dedupeKey === undefined) return { job: await createJob(db, fields, null, now), outcome: "created" };
  for (let round = 0; round < SCHEDULE_ROUNDS; round++) {
    const existing = await db.job.findUnique({ where: { dedupeKey } });
    const result = existing ? await reviseExisting(db, existing, fields, now) : await createUnlessRaced(db, fields, dedupeKey, now, inTransaction);
    if (result) return result;
  }
  throw new Error(`Impossible de planifier la tâche « ${dedupeKey} » : elle change sans cesse (conflits répétés).`);
}

function createJob(db: Db, fields: JobFields, dedupeKey: string | null, now: Date): Promise<JobRecord> {
  const { kind, dueAt, payload } = fields;
  return db.job.create({
    data: { kind, dueAt, payload, dedupeKey, maxAttempts: fields.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, createdAt: now, updatedAt: now },
  });
}

/** undefined: another process created the same key since our read; its row is taken on the next round. */
async function createUnlessRaced(db: Db, fields: JobFields, dedupeKey: string, now: Date, inTransaction: boolean): Promise<ScheduleResult | undefined> {
  try {
    return { job: await createJob(db, fields, dedupeKey, now), outcome: "created" };
  } catch (error) {
    if (!isUniqueViolation(error) || inTransaction) throw error;
    return undefined;
  }
}

/** undefined: the row was claimed or cancelled between the read and the write; look again. */
async function reviseExisting(db: Db, existing: JobRecord, fields: JobFields, now: Date): Promise<ScheduleResult | undefined> {
  const { kind, dueAt, payload, maxAttempts } = fields;
  const keptAttempts = maxAttempts !== undefined && { maxAttempts };
  if (existing.state === "cancelled") {
    const [revived] = await db.job.updateManyAndReturn({
      where: { id: existing.id, state: "cancelled" },
      data: { state: "pending", kind, dueAt, payload, attempts: 0, lastError: null, finishedAt: null, leaseUntil: null, lockedBy: null, updatedAt: now, ...keptAttempts },
    });
    return revived && { job: revived, outcome: "revived" };
  }
  if (existing.state !== "pending" || sameJob(existing, fields)) return { job: existing, outcome: "unchanged" };
  const [updated] = await db.job.updateManyAndReturn({
    where: { id: existing.id, state: "pending" },
    data: { kind, dueAt, payload, updatedAt: now, ...keptAttempts },
  });
  return updated && { job: updated, outcome: "updated" };
}

function sameJob(existing: JobRecord, fields: JobFields): boolean {
  return (
    existing.dueAt.getTime() === fields.dueAt.getTime() &&
    existing.payload === fields.payload &&
    existing.kind === fields.kind &&
    (fields.maxAttempts === undefined || existing.maxAttempts === fields.maxAttempts)
  );
}

export function parsePayload(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error };
  }
}

function serialisePayload(payload: unknown): string {
  const text = JSON.stringify(payload ?? {});
  // JSON.stringify returns undefined for a bare function or symbol.
  if (typeof text !== "string") throw new TypeError("La charge utile d'une tâche doit être sérialisable en JSON.");
  return text;
}

function checkInput(input: ScheduleInput): void {
  if (typeof input.kind !== "string" || input.kind.trim() === "") throw new TypeError("Une tâche doit avoir un type (kind) non vide.");
  checkDate(input.dueAt);
  if (input.dedupeKey !== undefined && input.dedupeKey === "") throw new TypeError("La clé de dédoublonnage d'une tâche ne peut pas être vide.");
  if (input.maxAttempts !== undefined && (!Number.isInteger(input.maxAttempts) || input.maxAttempts < 1)) {
    throw new TypeError(`Nombre d'essais invalide pour une tâche : ${input.maxAttempts} (un entier supérieur ou égal à 1).`);
  }
}

export function checkDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError("Date d'échéance invalide pour une tâche.");
}
