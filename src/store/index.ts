// The store's public API: the rest of the bot imports from here, never from ./generated.
export { openStore, type Store } from "./client.js";
export { applyMigrations, MigrationError, pendingMigrations, pendingPostgresMigrations, type ApplyMigrationsOptions } from "./migrate.js";
export { DEFAULT_DATABASE_URL, isPostgresUrl, sqliteFileFromUrl } from "./paths.js";
export { DatabaseInUse, botRunsOn, databaseInUse, lockDatabase, type DatabaseLock } from "./lock.js";
export {
  Prisma,
  PrismaClient,
  MemberKind,
  MemberStatus,
  Platform,
  Role,
  type AuditLog,
  type Member,
  type PlatformAccount,
  type Setting,
} from "./generated/client.js";
export { BackupError, backupDatabase, checkCopy, listBackups, type BackupFile } from "./backup.js";
export { RETENTION, planRotation } from "./rotation.js";
export { isFullError, isUniqueViolation, storeFaultMessage } from "./faults.js";
export { storeProvider } from "./provider.js";
export { restoreDatabase, type RestoreResult } from "./restore.js";
export { StoreBusyError } from "./busy.js";
export { purgeDeletedRows } from "./purge.js";
export { Coordination, defaultInstanceName, type LockName } from "./coordination.js";
export { queryRows, withPostgres } from "./postgres.js";
