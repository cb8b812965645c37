import type { PrismaClient } from "./generated/client.js";

/**
 * Which database a client talks to. The PostgreSQL client is typed as the SQLite one (client.ts),
 * so code that must differ (a SQLite PRAGMA) asks here; Prisma keeps the generated client's
 * provider on every client, extended or not.
 */
export function storeProvider(prisma: PrismaClient): "sqlite" | "postgresql" {
  return (prisma as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}
