import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "../store/index.js";

/** Who really acts when it is not the member the action is attributed to (the console's /as). */
const onBehalf = new AsyncLocalStorage<{ realActor: string }>();

/**
 * Runs `work` so that every audit entry written during it (in this async flow) also names the
 * real actor, e.g. « console, en tant que Nora Petit ». Without a real actor, runs it as is.
 */
export function actingOnBehalf<T>(realActor: string | undefined, work: () => T): T {
  return realActor ? onBehalf.run({ realActor }, work) : work();
}

/** One administrative action, written in the same transaction as the change it describes. */
interface AuditEntry {
  actorId: number | null;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  details?: Record<string, unknown>;
}

export async function audit(tx: Prisma.TransactionClient, entry: AuditEntry, at: Date): Promise<void> {
  await tx.auditLog.create({
    data: {
      at,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId == null ? null : String(entry.targetId),
      details: JSON.stringify(withRealActor(entry.details ?? {})),
    },
  });
}

function withRealActor(details: Record<string, unknown>): Record<string, unknown> {
  const realActor = onBehalf.getStore()?.realActor;
  return realActor ? { ...details, acteurRéel: realActor } : details;
}
