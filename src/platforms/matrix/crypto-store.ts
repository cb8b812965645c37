// The Rust crypto keeps its Olm account, sessions and room keys in IndexedDB, which Node does not
// have: fake-indexeddb provides one in memory, and this module copies the bot's databases to one file
// and back, so a restart finds the same device identity and keys (never a new device per start).
// The databases are written already encrypted by the crypto store (its passphrase is kept beside
// the session, see ./session.ts); the file is written whole to a temporary name then renamed, so a
// kill during a save leaves the previous snapshot.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";

// The few IndexedDB shapes used here (the project compiles without the DOM library).
interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbIndex {
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}
interface IdbObjectStore {
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexNames: Iterable<string>;
  index(name: string): IdbIndex;
  getAllKeys(): IdbRequest<unknown[]>;
  getAll(): IdbRequest<unknown[]>;
  createIndex(name: string, keyPath: string | string[], options: { unique: boolean; multiEntry: boolean }): unknown;
  put(value: unknown, key?: unknown): unknown;
}
interface IdbDatabase {
  objectStoreNames: Iterable<string>;
  transaction(names: string[], mode: "readonly"): { objectStore(name: string): IdbObjectStore };
  createObjectStore(name: string, options: { keyPath?: string | string[]; autoIncrement: boolean }): IdbObjectStore;
  close(): void;
}
interface IdbFactory {
  databases(): Promise<{ name?: string; version?: number }[]>;
  open(name: string, version: number): IdbOpenRequest;
  deleteDatabase(name: string): IdbRequest<unknown>;
}

/** Where a device's crypto store is kept in the data folder (the diagnostic looks for it too). */
export function cryptoStoreFile(dataDir: string, deviceId: string): string {
  return path.join(dataDir, `crypto-${deviceId}.bin`);
}

/** The IndexedDB that ./sdk.ts installed (fake-indexeddb/auto), where the Rust crypto keeps its store. */
const idb = (): IdbFactory => (globalThis as unknown as { indexedDB: IdbFactory }).indexedDB;

interface StoreDump {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
  /** [out-of-line key, value]; the key is undefined for stores with a key path. */
  records: [unknown, unknown][];
}

interface DatabaseDump {
  name: string;
  version: number;
  stores: StoreDump[];
}

const done = <T>(request: IdbRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

async function databasesWithPrefix(prefix: string): Promise<{ name: string; version: number }[]> {
  const all = await idb().databases();
  return all.filter((d): d is { name: string; version: number } => Boolean(d.name?.startsWith(prefix)));
}

async function dumpStore(tx: { objectStore(name: string): IdbObjectStore }, name: string): Promise<StoreDump> {
  const store = tx.objectStore(name);
  const indexes = [...store.indexNames].map((n) => {
    const index = store.index(n);
    return { name: n, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
  });
  const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
  const inline = store.keyPath !== null;
  return { name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes, records: values.map((v, i) => [inline ? undefined : keys[i], v]) };
}

/** Every database whose name starts with `prefix`, serialised (structured clone, as IndexedDB stores values). */
async function dumpDatabases(prefix: string): Promise<Buffer> {
  const out: DatabaseDump[] = [];
  for (const { name, version } of await databasesWithPrefix(prefix)) {
    const db = await done(idb().open(name, version));
    const names = [...db.objectStoreNames];
    const stores: StoreDump[] = [];
    if (names.length > 0) {
      const tx = db.transaction(names, "readonly");
      for (const storeName of names) stores.push(await dumpStore(tx, storeName));
    }
    db.close();
    out.push({ name, version, stores });
  }
  return v8.serialize(out);
}

/** Replaces the databases of `prefix` with those of a dump (none left from an earlier start in this process). */
async function restoreDatabases(prefix: string, dump: Buffer | undefined): Promise<void> {
  await deleteDatabases(prefix);
  if (!dump) return;
  for (const database of v8.deserialize(dump) as DatabaseDump[]) {
    const open = idb().open(database.name, database.version);
    open.onupgradeneeded = () => {
      const db = open.result;
      for (const s of database.stores) {
        const store = db.createObjectStore(s.name, { keyPath: s.keyPath ?? undefined, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
        for (const [key, value] of s.records) {
          if (s.keyPath === null) store.put(value, key);
          else store.put(value);
        }
      }
    };
    (await done(open)).close();
  }
}

async function deleteDatabases(prefix: string): Promise<void> {
  for (const { name } of await databasesWithPrefix(prefix)) await done(idb().deleteDatabase(name));
}

/** The snapshot file: read at start, written after each sync that changed something and at stop. */
export class CryptoSnapshot {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    readonly prefix: string,
  ) {}

  async restore(): Promise<void> {
    await restoreDatabases(this.prefix, existsSync(this.file) ? readFileSync(this.file) : undefined);
  }

  /** Saves now, after any save in progress (saves never overlap). */
  save(): Promise<void> {
    this.saving = this.saving.catch(() => undefined).then(async () => {
      const data = await dumpDatabases(this.prefix);
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, this.file);
    });
    return this.saving;
  }
}
