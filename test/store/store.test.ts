import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { sqliteFileFromUrl } from "../../src/store/paths.js";
import { MemberStatus, Platform, Prisma, Role, openStore, type Store } from "../../src/store/index.js";
import { freshStoreUrl } from "./fixture.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-store-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const opened: Store[] = [];
async function open(url: string): Promise<Store> {
  const store = await openStore(url);
  opened.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

describe("openStore", () => {
  it("creates the missing folder, migrates and runs in WAL mode with a busy timeout of a few ms", async () => {
    const file = path.join(tmp, "sub", "dir", "bot.db");
    const { prisma } = await open(`file:${file}`);

    expect(await prisma.member.count()).toBe(0);
    expect(await prisma.$queryRawUnsafe("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    const [timeout] = await prisma.$queryRawUnsafe<{ timeout: number | bigint }[]>("PRAGMA busy_timeout");
    // A few ms: a longer wait would freeze the event loop (locked writes are retried asynchronously).
    expect(Number(timeout?.timeout)).toBe(5);
    // WAL is stored in the file: any other connection sees it too.
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("closes the file on close() (the last connection removes the -wal file)", async () => {
    const url = await freshStoreUrl();
    const file = sqliteFileFromUrl(url);
    const store = await openStore(url);
    await store.prisma.setting.create({ data: { key: "k", value: "v" } });
    expect(existsSync(`${file}-wal`)).toBe(true);

    await store.close();

    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = await open(url);
    expect(await reopened.prisma.setting.findUnique({ where: { key: "k" } })).toMatchObject({ value: "v" });
  });

  it("refuses URLs that are not file: ones", async () => {
    await expect(openStore("mysql://localhost/x")).rejects.toThrow(/non prise en charge/);
  });
});

describe("sqliteFileFromUrl", () => {
  it("resolves relative paths from the cwd and accepts absolute and file:// forms", () => {
    expect(sqliteFileFromUrl("file:./data/promeneurs.db", "/srv/bot")).toBe("/srv/bot/data/promeneurs.db");
    expect(sqliteFileFromUrl("file:data/x.db?connection_limit=1", "/srv/bot")).toBe("/srv/bot/data/x.db");
    expect(sqliteFileFromUrl("file:/var/lib/bot.db", "/srv/bot")).toBe("/var/lib/bot.db");
    expect(sqliteFileFromUrl("file:///var/lib/my%20bot.db", "/srv/bot")).toBe("/var/lib/my bot.db");
  });
});

describe("members and platform accounts", () => {
  it("stores a member with two platform accounts and reads them back", async () => {
    const { prisma } = await open(await freshStoreUrl());

    const created = await prisma.member.create({
      data: {
        firstName: "Camille",
        displayName: "Camille (MJC Épinal)",
        status: MemberStatus.ACTIVE,
        role: Role.ANIMATEUR,
        accounts: {
          create: [
            { platform: Platform.DISCORD, externalId: "123456789012345678", workspaceId: "guild-1" },
            { platform: Platform.SLACK, externalId: "U0123ABCD" },
          ],
        },
      },
    });

    const member = await prisma.member.findUniqueOrThrow({
      where: { id: created.id },
      include: { accounts: { orderBy: { platform: "asc" } } },
    });
    expect(member).toMatchObject({
      firstName: "Camille",
      displayName: "Camille (MJC Épinal)",
      status: "ACTIVE",
      role: "ANIMATEUR",
      networks: "",
      directoryConsent: false,
      lastName: null,
    });
    expect(member.joinedAt).toBeInstanceOf(Date);
    expect(member.accounts.map((a) => [a.platform, a.externalId, a.workspaceId])).toEqual([
      ["DISCORD", "123456789012345678", "guild-1"],
      ["SLACK", "U0123ABCD", ""],
    ]);
    const found = await prisma.platformAccount.findUnique({
      where: { platform_externalId: { platform: Platform.SLACK, externalId: "U0123ABCD" } },
      include: { member: true },
    });
    expect(found?.member.id).toBe(created.id);
  });

  it("enforces one account per (platform, externalId)", async () => {
    const { prisma } = await open(await freshStoreUrl());
    const a = await prisma.member.create({ data: { firstName: "A", displayName: "A" } });
    const b = await prisma.member.create({ data: { firstName: "B", displayName: "B" } });
    await prisma.platformAccount.create({ data: { platform: "DISCORD", externalId: "42", memberId: a.id } });

    const duplicate = await prisma.platformAccount
      .create({ data: { platform: "DISCORD", externalId: "42", memberId: b.id } })
      .catch((e: unknown) => e);

    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    // The same id on another platform is another account.
    await expect(
      prisma.platformAccount.create({ data: { platform: "SLACK", externalId: "42", memberId: b.id } }),
    ).resolves.toMatchObject({ memberId: b.id });
  });

  it("enforces foreign keys (deleting a member deletes its accounts)", async () => {
    const { prisma } = await open(await freshStoreUrl());
    const m = await prisma.member.create({
      data: { firstName: "C", displayName: "C", accounts: { create: { platform: "CONSOLE", externalId: "c" } } },
    });

    await prisma.member.delete({ where: { id: m.id } });

    expect(await prisma.platformAccount.count()).toBe(0);
    await expect(
      prisma.platformAccount.create({ data: { platform: "CONSOLE", externalId: "x", memberId: 999 } }),
    ).rejects.toThrow();
  });
});

describe("freshStoreUrl", () => {
  it("returns independent, already migrated databases", async () => {
    const [url1, url2] = [await freshStoreUrl(), await freshStoreUrl()];
    expect(url1).not.toBe(url2);
    const one = await open(url1);
    await one.prisma.member.create({ data: { firstName: "D", displayName: "D" } });
    const two = await open(url2);
    expect(await two.prisma.member.count()).toBe(0);
  });
});
