/**
 * A per-model change counter, bumped by every write made through this process's Prisma client.
 * Read caches (member resolution, directory) compare versions instead of trusting every
 * feature to invalidate them; a short TTL bounds staleness for writes made by another
 * process (a second instance, the import script).
 */
export class StoreChanges {
  private readonly versions = new Map<string, number>();

  bump(model: string): void {
    this.versions.set(model, (this.versions.get(model) ?? 0) + 1);
  }

  /** A token that changes whenever any of `models` is written. */
  versionOf(models: readonly string[]): string {
    return models.map((m) => this.versions.get(m) ?? 0).join(".");
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
