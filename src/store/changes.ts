/**
 * A per-model change counter, bumped by every write made through this process's Prisma client
 * and, on PostgreSQL, by the writes other processes announce (coordination.ts, LISTEN/NOTIFY).
 * Read caches (member resolution, directory) compare versions instead of trusting every
 * feature to invalidate them; a short TTL bounds staleness for writes nobody announces (another
 * process on SQLite).
 */
export class StoreChanges {
  private readonly versions = new Map<string, number>();
  private epoch = 0;

  bump(model: string): void {
    this.versions.set(model, (this.versions.get(model) ?? 0) + 1);
  }

  /** Every model may have changed (e.g. announcements were missed while disconnected). */
  bumpAll(): void {
    this.epoch++;
  }

  /** A token that changes whenever any of `models` is written. */
  versionOf(models: readonly string[]): string {
    return `${this.epoch}:${models.map((m) => this.versions.get(m) ?? 0).join(".")}`;
  }
}

export const WRITE_OPERATIONS = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
]);
