import type { StoreChanges } from "../store/changes.js";

/**
 * A value loaded from the store and kept until one of the models it depends on is written
 * through this process (StoreChanges), or `ttlMs` passes (writes by another process).
 * The TTL uses the monotonic clock on purpose: it is about freshness, not domain time.
 */
export class Cached<T> {
  private value?: T;
  private version = "";
  private loadedAt = 0;
  private loading?: Promise<T>;

  constructor(
    private readonly changes: StoreChanges,
    private readonly models: readonly string[],
    private readonly load: () => Promise<T>,
    private readonly ttlMs = 5000,
  ) {}

  async get(): Promise<T> {
    const version = this.changes.versionOf(this.models);
    if (this.value !== undefined && version === this.version && performance.now() - this.loadedAt < this.ttlMs) return this.value;
    // Concurrent misses share one load instead of stampeding the database.
    this.loading ??= this.load().then(
      (value) => {
        // A write that landed while loading makes this value suspect: serve it once, keep nothing.
        if (this.changes.versionOf(this.models) === version) {
          this.value = value;
          this.version = version;
          this.loadedAt = performance.now();
        }
        this.loading = undefined;
        return value;
      },
      (err) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }
}

/** Keyed variant: one entry per key, same invalidation, bounded size. */
export class CachedMap<K, V> {
  private readonly entries = new Map<K, { value: V; version: string; at: number }>();

  constructor(
    private readonly changes: StoreChanges,
    private readonly models: readonly string[],
    private readonly ttlMs = 5000,
    private readonly maxEntries = 5000,
  ) {}

  async get(key: K, load: () => Promise<V | null>): Promise<V | null> {
    const version = this.changes.versionOf(this.models);
    const hit = this.entries.get(key);
    if (hit && hit.version === version && performance.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    if (value !== null && this.changes.versionOf(this.models) === version) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, version, at: performance.now() });
    }
    return value;
  }
}
