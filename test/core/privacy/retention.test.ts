/**
 * The retention durations, applied by the nightly job: what is due goes, what is not stays, and a
 * changed duration is taken into account at the next run.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../helpers/clock.js";
import { applyRetention, readRetention, setRetention } from "../../../src/core/privacy/retention.js";
import { computeFigures } from "../../../src/core/reporting/figures.js";
import { openStore, type PrismaClient, type Store } from "../../../src/store/index.js";
import { freshStoreUrl } from "../../store/fixture.js";

const NOW = new Date("2030-06-15T10:00:00Z");
const monthsAgo = (n: number, from = NOW) => {
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d;
};

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function open(): Promise<PrismaClient> {
  store = await openStore(await freshStoreUrl());
  return store.prisma;
}

const member = (db: PrismaClient, name: string, status: "ACTIVE" | "INACTIVE" | "EXCLUDED", leftAt: Date | null) =>
  db.member.create({ data: { firstName: name, lastName: "Durand", displayName: `${name} Durand`, email: `${name}@exemple.fr`, status, leftAt } });

describe("retention", () => {
  it("erases members gone for more than 12 months, and only them", async () => {
    const db = await open();
    const old = await member(db, "Ancien", "INACTIVE", monthsAgo(13));
    const excluded = await member(db, "Exclu", "EXCLUDED", monthsAgo(25));
    const recent = await member(db, "Recent", "INACTIVE", monthsAgo(11));
    const active = await member(db, "Actif", "ACTIVE", null);
    const outcome = await applyRetention(db, new ManualClock(NOW));
    expect(outcome.erased).toBe(2);
    const byId = async (id: number) => (await db.member.findUniqueOrThrow({ where: { id } })).erasedAt;
    expect(await byId(old.id)).toEqual(NOW);
    expect(await byId(excluded.id)).toEqual(NOW);
    expect(await byId(recent.id)).toBeNull();
    expect(await byId(active.id)).toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "member.erase", targetId: String(old.id) } });
    expect(JSON.parse(audit.details)).toEqual({ demande: "conservation" });
    // A second night finds nothing more to do.
    expect((await applyRetention(db, new ManualClock(NOW))).erased).toBe(0);
  });

  it("anonymises closed questions after 24 months, removes audit entries after 5 years and watch items after 12 months", async () => {
    const db = await open();
    const asker = await member(db, "Ana", "ACTIVE", null);
    const q = (closedAt: Date | null) => db.question.create({ data: { askerId: asker.id, subject: "Sujet", body: "Question", category: "pratique", state: closedAt ? "closed" : "open", askedAt: monthsAgo(40), closedAt, answers: { create: { authorId: 1, body: "Réponse", answeredAt: monthsAgo(39) } } } });
    const oldQ = await q(monthsAgo(25));
    const newQ = await q(monthsAgo(23));
    const openQ = await q(null);
    await db.auditLog.create({ data: { at: monthsAgo(61), action: "old", targetType: "x" } });
    await db.auditLog.create({ data: { at: monthsAgo(59), action: "kept", targetType: "x" } });
    const item = (at: Date, key: string) => db.watchItem.create({ data: { title: key, link: `https://x.fr/${key}`, linkKey: key, category: "autre", publishedAt: at, collectedAt: at } });
    await item(monthsAgo(13), "old");
    await item(monthsAgo(11), "new");

    const outcome = await applyRetention(db, new ManualClock(NOW));
    expect(outcome).toMatchObject({ questions: 1, journal: 1, veille: 1 });
    const asked = async (id: number) => (await db.question.findUniqueOrThrow({ where: { id }, include: { answers: true } }));
    expect(await asked(oldQ.id)).toMatchObject({ askerId: 0, answers: [{ authorId: 0 }] });
    expect((await asked(newQ.id)).askerId).toBe(asker.id);
    expect((await asked(openQ.id)).askerId).toBe(asker.id);
    expect((await db.auditLog.findMany()).map((a) => a.action).filter((a) => a !== "member.erase")).toEqual(["kept"]);
    expect((await db.watchItem.findMany()).map((w) => w.title)).toEqual(["new"]);
  });

  it("keeps monthly reports older than 5 years only as anonymous figures: the year's totals are unchanged", async () => {
    const db = await open();
    const a = await member(db, "Alix", "ACTIVE", null);
    const b = await member(db, "Basile", "ACTIVE", null);
    const report = (memberId: number, month: string, minutes: number) =>
      db.activityReport.create({ data: { memberId, month, minutes, youthContacts: 3, themes: "ecrans", actions: "Texte libre", createdAt: NOW, updatedAt: NOW } });
    await report(a.id, "2024-03", 60);
    await report(a.id, "2024-04", 120);
    await report(b.id, "2024-04", 30);
    await report(a.id, "2025-09", 90);
    const figures = () => computeFigures(db, { year: 2024, timeZone: "Europe/Paris", now: NOW, viewerRole: "ADMIN" }).then((f) => f.activity);
    const before = await figures();

    const outcome = await applyRetention(db, new ManualClock(NOW));
    expect(outcome.bilans).toBe(3);
    const rows = await db.activityReport.findMany({ orderBy: { id: "asc" } });
    expect(rows.slice(0, 3).every((r) => r.memberId < 0 && r.actions === null)).toBe(true);
    expect(rows[0]!.memberId).toBe(rows[1]!.memberId); // one pseudonym per member and year: reporters still count 2
    expect(rows[3]!.memberId).toBe(a.id); // 2025 is not 5 years old yet
    expect(await figures()).toEqual(before);
  });

  it("applies a duration changed by an administrator, and audits the change", async () => {
    const db = await open();
    const admin = await db.member.create({ data: { firstName: "Ada", displayName: "Ada", role: "ADMIN", status: "ACTIVE" } });
    const recent = await member(db, "Recent", "INACTIVE", monthsAgo(7));
    const clock = new ManualClock(NOW);
    expect((await readRetention(db)).retires).toBe(12);
    await setRetention(db, clock, "retires", 6, admin.id);
    expect((await readRetention(db)).retires).toBe(6);
    expect((await applyRetention(db, clock)).erased).toBe(1);
    expect((await db.member.findUniqueOrThrow({ where: { id: recent.id } })).erasedAt).toEqual(NOW);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "privacy.retention" } });
    expect(JSON.parse(audit.details)).toEqual({ avant: 12, après: 6 });
    await expect(setRetention(db, clock, "retires", 0, admin.id)).rejects.toThrow("entre 1 et 240");
  });
});
