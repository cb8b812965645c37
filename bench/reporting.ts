/**
 * Dashboard and yearly evaluation on a national-scale synthetic year: 3,500 members, 150 meetings
 * with ~150 attendance rows each, 12 monthly reports from 3,000 of them (36,000 reports), 2,000
 * questions, 3,000 watch items, 1,000 welcome journeys. Times the figures alone, /tableau (figures +
 * chart PNG) and /bilan (figures + XLSX + Markdown), each run 3 times (median), and the heap and
 * RSS growth around them.
 */
import { performance } from "node:perf_hooks";

import { buildEvaluation } from "../src/core/reporting/workbook.js";
import { dashboardReply } from "../src/core/reporting/dashboard.js";
import { computeFigures } from "../src/core/reporting/figures.js";
import { openStore, type PrismaClient } from "../src/store/index.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { ms, percentile } from "./stats.js";

const MEMBERS = 3500;
const NOW = new Date("2026-12-20T10:00:00Z");
const TZ = "Europe/Paris";
const TYPES = ["departementale", "formation", "analyse_pratique", "accueil_nouveaux", "copil"];

async function chunked<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>, size = 2000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedNationalYear(db: PrismaClient): Promise<void> {
  const kinds = ["JEUNESSE", "PARENTALITE", null] as const;
  await chunked(
    Array.from({ length: MEMBERS }, (_, i) => ({
      id: i + 1,
      firstName: `Prénom${i}`,
      displayName: `Membre ${i}`,
      kind: kinds[i % 3],
      status: i % 10 === 0 ? ("ONBOARDING" as const) : ("ACTIVE" as const),
      role: i === 0 ? ("ANIMATEUR" as const) : ("PROMENEUR" as const),
      joinedAt: new Date(Date.UTC(2024 + (i % 3), i % 12, 1 + (i % 27))),
      structure: `Structure ${i % 400}`,
      commune: `Commune ${i % 900}`,
    })),
    (data) => db.member.createMany({ data }),
  );
  for (let k = 0; k < 150; k++) {
    const startsAt = new Date(Date.UTC(2026, k % 12, 1 + (k % 27), 12));
    const meeting = await db.meeting.create({
      data: { type: TYPES[k % TYPES.length]!, title: `Rencontre ${k}`, startsAt, endsAt: new Date(startsAt.getTime() + 3 * 3600_000), audience: "tous", reminders: "", createdAt: NOW, updatedAt: NOW },
    });
    const statuses = ["present", "present", "absent", "excused"];
    await db.attendance.createMany({
      data: Array.from({ length: 150 }, (_, j) => ({ meetingId: meeting.id, memberId: ((k * 150 + j) % MEMBERS) + 1, status: statuses[(k + j) % 4]!, recordedAt: NOW })),
    });
  }
  const themes = ["ecrans", "harcelement", "sante", "relations", "parentalite"];
  const reports = [];
  for (let m = 1; m <= 12; m++) {
    for (let i = 1; i <= 3000; i++) {
      reports.push({ memberId: i, month: `2026-${String(m).padStart(2, "0")}`, minutes: 60 * (i % 20), youthContacts: i % 30, parentContacts: i % 7, themes: `${themes[i % 5]},${themes[(i + m) % 5]}`, createdAt: NOW, updatedAt: NOW });
    }
  }
  await chunked(reports, (data) => db.activityReport.createMany({ data }));
  await chunked(
    Array.from({ length: 2000 }, (_, i) => {
      const askedAt = new Date(Date.UTC(2026, i % 12, 1 + (i % 27), 9));
      return { askerId: (i % MEMBERS) + 1, subject: `Sujet ${i}`, body: "Question", category: "outils", state: i % 3 ? "closed" : "open", askedAt, firstAnsweredAt: i % 5 ? new Date(askedAt.getTime() + (i % 48) * 3600_000) : null };
    }),
    (data) => db.question.createMany({ data }),
  );
  await chunked(
    Array.from({ length: 3000 }, (_, i) => {
      const at = new Date(Date.UTC(2026, i % 12, 1 + (i % 27), 9));
      return { sharedById: i % 2 ? (i % MEMBERS) + 1 : null, title: `Article ${i}`, link: `https://exemple.fr/${i}`, linkKey: `k${i}`, category: "autre", publishedAt: at, collectedAt: at };
    }),
    (data) => db.watchItem.createMany({ data }),
  );
  for (let i = 0; i < 1000; i++) {
    const at = new Date(Date.UTC(2026, i % 12, 1 + (i % 27), 9));
    await db.onboardingJourney.create({
      data: { memberId: i + 1, state: i % 3 ? "completed" : "active", startedAt: at, origin: "animateur", lastProgressAt: at, createdAt: at, updatedAt: at, steps: { create: ["accueil", "charte", "profil.formulaire"].slice(0, 1 + (i % 3)).map((key) => ({ key, doneAt: at })) } },
    });
  }
}

async function timed(runs: number, one: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await one();
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function benchReporting(): Promise<{ name: string; value: string }[]> {
  const store = await openStore(await freshStoreUrl());
  try {
    const db = store.prisma;
    const seedStart = performance.now();
    await seedNationalYear(db);
    const seeded = performance.now() - seedStart;
    const options = { year: 2026, timeZone: TZ, now: NOW, viewerRole: "ANIMATEUR" as const };
    // Warm-up: the first call also loads Chart.js, the canvas and ExcelJS.
    const firstDashboard = await (async () => {
      const t = performance.now();
      await dashboardReply(db, options);
      return performance.now() - t;
    })();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    let rssPeak = process.memoryUsage().rss;
    // Sampled rather than diffed: the seeding's garbage may be collected during the runs.
    const sampler = setInterval(() => {
      const u = process.memoryUsage();
      heapPeak = Math.max(heapPeak, u.heapUsed);
      rssPeak = Math.max(rssPeak, u.rss);
    }, 10);
    const figures = await timed(3, () => computeFigures(db, options));
    const dashboard = await timed(3, () => dashboardReply(db, options));
    let xlsxBytes = 0;
    const evaluation = await timed(3, async () => {
      const e = await buildEvaluation(db, options);
      xlsxBytes = e.xlsx.length;
    });
    clearInterval(sampler);
    return [
      { name: "reporting: synthetic year seeded (3,500 members, 36,000 reports, 22,500 attendance rows)", value: ms(seeded) },
      { name: "reporting: figures alone (median of 3)", value: ms(figures) },
      { name: "reporting: /tableau, first call (loads Chart.js + canvas)", value: ms(firstDashboard) },
      { name: "reporting: /tableau figures + PNG chart (median of 3)", value: ms(dashboard) },
      { name: "reporting: /bilan figures + XLSX + Markdown (median of 3)", value: ms(evaluation) },
      { name: "reporting: /bilan workbook size", value: `${(xlsxBytes / 1024).toFixed(0)} KB` },
      { name: "reporting: heap before the runs → peak during them", value: `${mb(heapBefore)} → ${mb(heapPeak)}` },
      { name: "reporting: peak RSS during the runs (seeding included in the process)", value: mb(rssPeak) },
    ];
  } finally {
    await store.close();
  }
}
