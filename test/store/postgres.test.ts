import { afterEach, describe, expect, it } from "vitest";

import { MemberStatus, Platform, Role, openStore, type Store } from "../../src/store/index.js";
import { applyMigrations } from "../../src/store/migrate.js";
import { queryRows, withPostgres } from "../../src/store/postgres.js";
import { emptyPostgresUrl, freshPostgresUrl, postgresUnavailable } from "./postgres-fixture.js";

const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
async function open(url: string): Promise<Store> {
  const store = await openStore(url);
  stores.push(store);
  return store;
}

describe.skipIf(postgresUnavailable !== null)("openStore on PostgreSQL", () => {
  it("migrates an empty database at start-up, then finds nothing to do", async () => {
    const url = await emptyPostgresUrl();
    const logs: string[] = [];
    const store = await open(url);
    expect(await store.prisma.member.count()).toBe(0);
    expect(await applyMigrations(url, (msg) => logs.push(msg))).toEqual([]);
    expect(logs).toEqual([]);
    const tables = await withPostgres(url, (db) =>
      queryRows(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"),
    );
    expect(tables.map((row) => row["tablename"])).toEqual(expect.arrayContaining(["Member", "Job", "_prisma_migrations"]));
  });

  it("accepts postgres:// as well as postgresql://", async () => {
    const url = (await freshPostgresUrl()).replace(/^postgresql:/, "postgres:");
    const store = await open(url);
    expect(await store.prisma.member.count()).toBe(0);
  });

  it("stores members, accounts and enums, and bumps the change counter on writes", async () => {
    const { prisma, changes } = await open(await freshPostgresUrl());
    const before = changes.versionOf(["Member"]);
    const member = await prisma.member.create({
      data: {
        firstName: "Léa",
        displayName: "Léa M.",
        status: MemberStatus.ACTIVE,
        role: Role.ANIMATEUR,
        accounts: { create: { platform: Platform.DISCORD, externalId: "123" } },
      },
      include: { accounts: true },
    });
    expect(member.accounts[0]).toMatchObject({ platform: Platform.DISCORD, externalId: "123" });
    expect(changes.versionOf(["Member"])).not.toBe(before);
    await expect(
      prisma.platformAccount.create({ data: { memberId: member.id, platform: Platform.DISCORD, externalId: "123" } }),
    ).rejects.toThrow();
  });

  it("keeps data across reopenings", async () => {
    const url = await freshPostgresUrl();
    const first = await open(url);
    await first.prisma.setting.create({ data: { key: "k", value: "v" } });
    const second = await open(url);
    expect(await second.prisma.setting.findUnique({ where: { key: "k" } })).toMatchObject({ value: "v" });
  });
});

// Reported, not silent: the reason shows in the run as a skipped test.
if (postgresUnavailable !== null) it.skip(`PostgreSQL — ignoré : ${postgresUnavailable}`, () => {});
