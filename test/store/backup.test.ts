import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { BackupError, DatabaseInUse, backupDatabase, listBackups, lockDatabase, openStore, restoreDatabase, sqliteFileFromUrl, type Store } from "../../src/store/index.js";
import { freshStoreUrl } from "./fixture.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-backup-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function store(): Promise<{ store: Store; file: string }> {
  const url = await freshStoreUrl();
  const s = await openStore(url);
  opened.push(s);
  return { store: s, file: sqliteFileFromUrl(url) };
}

/** One member and its account, always written together: a consistent copy has as many of each. */
function addMember(s: Store, n: number) {
  return s.prisma.$transaction(async (tx) => {
    const member = await tx.member.create({ data: { firstName: `Membre`, displayName: `Membre ${n}` } });
    await tx.platformAccount.create({ data: { platform: "DISCORD", externalId: `100000000000${String(n).padStart(6, "0")}`, memberId: member.id } });
  });
}

describe("backupDatabase", () => {
  it("copies a consistent snapshot while the bot keeps writing, private to its owner, with no temporary file left", async () => {
    const { store: s, file } = await store();
    for (let n = 0; n < 50; n++) await addMember(s, n);
    let writing = true;
    let written = 50;
    const writer = (async () => {
      // Yielding like a bot answering events (the SQLite adapter's promises resolve at once).
      while (writing) {
        await addMember(s, written++);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dir = path.join(tmp, "pendant-ecriture");
    const backup = await backupDatabase(file, dir, new Date("2026-03-02T02:00:00Z"));
    writing = false;
    await writer;

    expect(path.basename(backup.file)).toBe(`${path.basename(file, ".db")}-20260302T020000Z.db`);
    expect(statSync(backup.file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([path.basename(backup.file)]);
    const copy = new Database(backup.file, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      const members = Number(copy.prepare("SELECT count(*) AS n FROM Member").pluck().get());
      const accounts = Number(copy.prepare("SELECT count(*) AS n FROM PlatformAccount").pluck().get());
      expect(members).toBeGreaterThanOrEqual(50);
      expect(accounts).toBe(members);
    } finally {
      copy.close();
    }
    expect(listBackups(file, dir).map((b) => b.file)).toEqual([backup.file]);
  });
});

describe("restoreDatabase", () => {
  it("refuses while a bot holds the database, changing nothing", async () => {
    const { store: s, file } = await store();
    await addMember(s, 1);
    const backup = await backupDatabase(file, path.join(tmp, "refus"), new Date());
    await addMember(s, 2);
    const bot = lockDatabase(file);
    try {
      expect(() => restoreDatabase(file, backup.file, new Date())).toThrow(DatabaseInUse);
    } finally {
      bot.release();
    }
    expect(await s.prisma.member.count()).toBe(2);
  });

  it("refuses a file that is not a database of the bot, changing nothing", async () => {
    const { file } = await store();
    const junk = path.join(tmp, "pas-une-base.db");
    writeFileSync(junk, "ceci n'est pas une base");
    expect(() => restoreDatabase(file, junk, new Date())).toThrow(BackupError);
    expect(() => restoreDatabase(file, junk, new Date())).toThrow("n'est pas une sauvegarde utilisable : fichier illisible ou corrompu");
    expect(() => restoreDatabase(file, path.join(tmp, "absent.db"), new Date())).toThrow(`Fichier introuvable : ${path.join(tmp, "absent.db")}`);
  });

  it("puts the backup in place and keeps the current database aside", async () => {
    const { store: s, file } = await store();
    await addMember(s, 1);
    const backup = await backupDatabase(file, path.join(tmp, "retour"), new Date());
    await addMember(s, 2);
    await s.close();
    opened.splice(opened.indexOf(s), 1);

    const result = restoreDatabase(file, backup.file, new Date("2026-03-02T10:00:00Z"));
    expect(result.keptAside).toBe(file.replace(/\.db$/, "-avant-restauration-2026-03-02T10-00-00.db"));
    const restored = await openStore(`file:${file}`);
    opened.push(restored);
    expect(await restored.prisma.member.count()).toBe(1);
    const aside = new Database(result.keptAside!, { readonly: true });
    expect(Number(aside.prepare("SELECT count(*) FROM Member").pluck().get())).toBe(2);
    aside.close();
  });
});
