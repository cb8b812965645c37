import type { Prisma } from "../store/index.js";

/** One administrative action, written in the same transaction as the change it describes. */
export interface AuditEntry {
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
      details: JSON.stringify(entry.details ?? {}),
    },
  });
}
