// The store's public API: the rest of the bot imports from here, never from ./generated.
export { openStore, type Store } from "./client.js";
export { applyMigrations, pendingMigrations, pendingPostgresMigrations } from "./migrate.js";
export { DEFAULT_DATABASE_URL, isPostgresUrl, sqliteFileFromUrl } from "./paths.js";
export { DatabaseInUse, botRunsOn, databaseInUse, lockDatabase, type DatabaseLock } from "./lock.js";
export { Prisma, PrismaClient, MemberKind, MemberStatus, Platform, Role, type Member, type PlatformAccount } from "./generated/client.js";
export { BackupError, backupDatabase, listBackups, type BackupFile } from "./backup.js";
export { planRotation } from "./rotation.js";
export { isUniqueViolation, storeFaultMessage } from "./faults.js";
export { restoreDatabase } from "./restore.js";
export { purgeDeletedRows } from "./purge.js";
export { Coordination } from "./coordination.js";
export { queryRows, withPostgres } from "./postgres.js";
