import { describe, expect, it } from "vitest";

import { CopyError, copySqliteToPostgres } from "../../src/store/copy.js";
import { MemberStatus, Platform, openStore } from "../../src/store/index.js";
import { freshStoreUrl } from "./fixture.js";
import { emptyPostgresUrl, postgresUnavailable } from "./postgres-fixture.js";

/** A SQLite database with a little history, where ids have gaps (deleted rows). */
async function sqliteWithHistory(): Promise<string> {
  const url = await freshStoreUrl();
  const store = await openStore(url);
  try {
    for (let i = 1; i <= 5; i++) {
      await store.prisma.member.create({
        data: {
          firstName: `Prénom${i}`,
          displayName: `Membre ${i}`,
          status: MemberStatus.ACTIVE,
          directoryConsent: i % 2 === 0,
          accounts: { create: { platform: Platform.SLACK, externalId: `U${i}` } },
        },
      });
    }
    await store.prisma.member.delete({ where: { id: 5 } }); // the next id is 6, not 5
    await store.prisma.setting.create({ data: { key: "timezone", value: "Europe/Paris" } });
  } finally {
    await store.close();
  }
  return url;
}

describe.skipIf(postgresUnavailable !== null)("copySqliteToPostgres", () => {
  it("copies every row with its id, dates and booleans, and moves the id sequences past them", async () => {
    const source = await sqliteWithHistory();
    const target = await emptyPostgresUrl();

    const copied = await copySqliteToPostgres(source, target);

    expect(copied).toEqual(expect.arrayContaining([{ table: "Member", rows: 4 }, { table: "PlatformAccount", rows: 4 }, { table: "Setting", rows: 1 }]));
    expect(copied.findIndex((t) => t.table === "Member")).toBeLessThan(copied.findIndex((t) => t.table === "PlatformAccount"));
    const [sqlite, pg] = [await openStore(source), await openStore(target)];
    try {
      const read = (store: typeof sqlite) =>
        store.prisma.member.findMany({ orderBy: { id: "asc" }, include: { accounts: true } });
      expect(await read(pg)).toEqual(await read(sqlite));
      const next = await pg.prisma.member.create({ data: { firstName: "Nouveau", displayName: "Nouveau" } });
      expect(next.id).toBe(6);
    } finally {
      await sqlite.close();
      await pg.close();
    }
  });

  it("refuses a target that already holds rows, and copies nothing", async () => {
    const source = await sqliteWithHistory();
    const target = await emptyPostgresUrl();
    await copySqliteToPostgres(source, target);
    await expect(copySqliteToPostgres(source, target)).rejects.toThrow(CopyError);
    await expect(copySqliteToPostgres(source, target)).rejects.toThrow(/n'est pas vide \(Member : 4 ligne/);
    const pg = await openStore(target);
    try {
      expect(await pg.prisma.member.count()).toBe(4);
    } finally {
      await pg.close();
    }
  });
});

// Reported, not silent: the reason shows in the run as a skipped test.
if (postgresUnavailable !== null) it.skip(`PostgreSQL — ignoré : ${postgresUnavailable}`, () => {});
