import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";

import { pngSize, renderActivityChart } from "../../../src/core/reporting/chart.js";
import { dashboardReply } from "../../../src/core/reporting/dashboard.js";
import type { Figures } from "../../../src/core/reporting/figure-model.js";
import { computeFigures } from "../../../src/core/reporting/figures.js";
import { buildEvaluation, SHEETS } from "../../../src/core/reporting/workbook.js";
import type { PrismaClient } from "../../../src/store/index.js";
import { openStore } from "../../../src/store/index.js";
import { freshStoreUrl } from "../../store/fixture.js";
import { JOURNEYS, MEETINGS, MEMBERS, NOW, QUESTIONS, REPORTS, SURVEY, WATCH, seedYear } from "./seed-year.js";

const TZ = "Europe/Paris";
/** How ExcelJS reads back a date cell: the day at UTC midnight. */
const excelDate = (day: string) => new Date(`${day}T00:00:00Z`);
/** The year a UTC instant falls in, in Paris (independent of luxon). */
const parisYear = (iso: string) => Number(new Date(iso).toLocaleString("sv-SE", { timeZone: TZ }).slice(0, 4));
const in2026 = (iso: string) => parisYear(iso) === 2026;
const endOf = (m: (typeof MEETINGS)[number]) => new Date(m.start).getTime() + m.hours * 3600_000;
const held = (m: (typeof MEETINGS)[number]) => endOf(m) <= NOW.getTime();
const year = MEETINGS.filter((m) => (m.status ?? "scheduled") === "scheduled" && in2026(m.start));

let db: PrismaClient;
let animator: Figures;
let caf: Figures;

beforeAll(async () => {
  const store = await openStore(await freshStoreUrl());
  db = store.prisma;
  await seedYear(db);
  animator = await computeFigures(db, { year: 2026, timeZone: TZ, now: NOW, viewerRole: "ANIMATEUR" });
  caf = await computeFigures(db, { year: 2026, timeZone: TZ, now: NOW, viewerRole: "REFERENT_CAF" });
  return () => store.close();
});

describe("the year's figures", () => {
  it("counts each target's meetings as held or planned, within the Paris year, without cancelled ones", () => {
    for (const t of animator.targets) {
      const ofType = year.filter((m) => m.type === t.type);
      expect([t.type, t.done, t.planned]).toEqual([t.type, ofType.filter(held).length, ofType.filter((m) => !held(m)).length]);
    }
    expect(Object.fromEntries(animator.targets.map((t) => [t.type, t.state]))).toEqual({
      departementale: "prévu", // one held, one in December: 2 by the end of the year
      formation: "fait",
      analyse_pratique: "manquant", // the second session lasted 2 h, not 3
      accueil_nouveaux: "fait",
      copil: "manquant", // the only one was cancelled
    });
    const practice = animator.targets.find((t) => t.type === "analyse_pratique")!;
    expect(practice.hoursDone).toBe(year.filter((m) => m.type === "analyse_pratique" && held(m)).reduce((s, m) => s + m.hours, 0));
    expect(animator.targets.find((t) => t.type === "formation")!.fromNeeds).toEqual({ surveyed: true, matchedTheme: SURVEY.themes[0]!.label });
  });

  it("counts the Promeneurs only (not the animator nor the Caf referent) by type and status, newcomers and how far their welcome went", () => {
    const promeneurs = MEMBERS.filter((m) => m.role === "PROMENEUR");
    expect(promeneurs.length).toBeLessThan(MEMBERS.length);
    expect(animator.members.total).toBe(promeneurs.length);
    expect(animator.members.byKind).toEqual({
      jeunesse: promeneurs.filter((m) => m.kind === "JEUNESSE").length,
      parentalite: promeneurs.filter((m) => m.kind === "PARENTALITE").length,
      nonRenseigne: promeneurs.filter((m) => m.kind === null).length,
    });
    for (const s of ["ACTIVE", "ONBOARDING", "INACTIVE"] as const) expect(animator.members.byStatus[s]).toBe(promeneurs.filter((m) => m.status === s).length);
    expect(animator.newcomers.joined).toBe(promeneurs.filter((m) => in2026(m.joined)).length);
    const journeys = JOURNEYS.filter((j) => in2026(j.started));
    expect(animator.newcomers.journeys).toEqual({
      started: journeys.length,
      completed: journeys.filter((j) => j.state === "completed").length,
      active: journeys.filter((j) => j.state === "active").length,
      stopped: journeys.filter((j) => j.state === "stopped").length,
    });
    const order = ["accueil", "charte", "profil", "liste", "presentation", "rencontre"];
    const reached = journeys.map((j) => (j.state === "completed" ? 6 : order.filter((k) => j.steps.some((s) => s.split(".")[0] === k)).length));
    expect(animator.newcomers.reachedStep).toEqual(order.map((_, i) => reached.filter((r) => r > i).length));
  });

  it("gives the attendance rate per meeting type from the recorded attendance of held meetings", () => {
    const expected = ["departementale", "formation", "analyse_pratique", "accueil_nouveaux"].map((type) => {
      const all = year.filter((m) => m.type === type && held(m)).flatMap((m) => Object.values(m.attendance ?? {}));
      const present = all.filter((s) => s === "present").length;
      return { type, present, recorded: all.length, rate: present / all.length };
    });
    expect(animator.attendanceByType.map(({ type, present, recorded, rate }) => ({ type, present, recorded, rate }))).toEqual(expected);
  });

  it("names, for the animator only, the Promeneurs who missed their last three coordination times", () => {
    expect(animator.lowParticipation!.map((p) => p.name)).toEqual(["Farid Nour"]);
    expect(caf.lowParticipation).toBeNull();
  });

  it("sums questions, watch items and monthly activity of the year", () => {
    const qs = QUESTIONS.filter((q) => in2026(q.asked));
    const times = qs.flatMap((q) => (q.answeredAfterHours === null ? [] : [q.answeredAfterHours])).sort((a, b) => a - b);
    // Open means unanswered: the open question already answered is not counted.
    expect(animator.questions).toMatchObject({ count: qs.length, open: qs.filter((q) => q.state === "open" && q.answeredAfterHours === null).length, answered: times.length, medianResponseHours: times[1] });
    expect(animator.questions.open).toBe(1);
    expect(animator.questions.byCategory).toEqual({ reglementation: 1, outils: 2, orientation: 1 });
    const shared = WATCH.filter((w) => in2026(w.collected) && w.sharedBy !== null);
    expect(animator.watch).toEqual({ shared: shared.length, sharers: new Set(shared.map((w) => w.sharedBy)).size, collected: WATCH.filter((w) => in2026(w.collected)).length });
    const reports = REPORTS.filter((r) => r.month.startsWith("2026-"));
    expect(animator.activity).toMatchObject({
      reports: reports.length,
      reporters: new Set(reports.map((r) => r.memberId)).size,
      hours: reports.reduce((s, r) => s + r.minutes, 0) / 60,
      youthContacts: reports.reduce((s, r) => s + r.youth, 0),
      parentContacts: reports.reduce((s, r) => s + r.parents, 0),
    });
    expect(animator.activity.topThemes.map((t) => [t.theme, t.count])).toEqual([["harcelement", 3], ["ecrans", 2], ["parentalite", 1], ["sante", 1]]);
    expect(animator.activity.months[0]).toEqual({ month: "2026-01", reports: 2, hours: (600 + 450) / 60, contacts: 20 + 2 + 15 });
    expect(animator.training).toMatchObject({ surveys: 1, respondents: new Set([...SURVEY.ticks, ...SURVEY.needs].map((t) => t.memberId)).size });
  });
});

describe("the dashboard message and chart", () => {
  it("shows the figures as text and attaches a PNG chart of sensible size", async () => {
    const reply = await dashboardReply(db, { year: 2026, timeZone: TZ, now: NOW, viewerRole: "REFERENT_CAF" });
    const text = reply.fields!.map((f) => `${f.name}\n${f.value}`).join("\n");
    expect(text).toContain("**Rencontres départementales** (objectif 2 à 3) : 🗓️ prévu — 1 tenue, 1 prévue");
    expect(text).toContain("choisie d'après les besoins recensés (Cyberharcèlement et cyberviolences)");
    expect(text).toContain("4 posées, 1 sans réponse ; délai médian de première réponse : 10 h");
    expect(text).toContain("Promeneurs du Net (sans l'animateur, le référent Caf ni les administrateurs)\n6 : ");
    expect(text).toContain("5 bilans de 4 Promeneurs : 33 h de présence en ligne, 57 jeunes et 15 parents en contact");
    expect(text).toContain("Analyse de pratique : 67 % (4/6, 2 rencontres)");
    // The participation list is the animator's: not in the Caf referent's dashboard.
    expect(text).not.toContain("Farid");
    const png = reply.files![0]!;
    expect(png.name).toBe("activite-2026.png");
    expect(pngSize(png.data)).toEqual({ width: 960, height: 480 });
    expect(png.data.length).toBeGreaterThan(10_000);
  });

  it("draws a different image for different figures", async () => {
    const a = await renderActivityChart(animator);
    const b = await renderActivityChart({ ...animator, activity: { ...animator.activity, months: animator.activity.months.map((m) => ({ ...m, hours: 0, reports: 0 })) } });
    expect(a.equals(b)).toBe(false);
  });
});

describe("the yearly evaluation workbook", () => {
  it("has one sheet per part and every cell as the fixtures say; no question text, no e-mail", async () => {
    const { xlsx, markdown } = await buildEvaluation(db, { year: 2026, timeZone: TZ, now: NOW, viewerRole: "REFERENT_CAF" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...SHEETS]);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow({ includeEmpty: true }, (row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const pad = (r: unknown[], n: number) => [...r, ...Array(Math.max(0, n - r.length)).fill(undefined)];
    const norm = (table: unknown[][], n: number) => table.map((r) => pad(r, n).map((v) => (v === null ? undefined : v)));

    expect(norm(rows("Synthèse"), 4)).toEqual(norm([
      ["Indicateur", "Valeur", "Objectif", "État"],
      ["Rencontres départementales", 1, "2 à 3", "prévu"],
      ["Formations", 1, "au moins 1", "fait"],
      ["Analyse de pratique", 2, "2 séances de 3 h", "manquant"],
      ["Accueil des nouveaux", 1, "1", "fait"],
      ["Comité de pilotage", 0, "1", "manquant"],
      ["Rencontres prévues d'ici la fin de l'année", 1, "", ""],
      ["Promeneurs du Net (sans l'animateur, le référent Caf ni les administrateurs)", 6, "", ""],
      ["Promeneurs actifs", 4, "", ""],
      ["Nouveaux Promeneurs", 3, "", ""],
      ["Questions posées", 4, "", ""],
      ["Délai médian de première réponse (h)", 10, "", ""],
      ["Articles de veille partagés", 3, "", ""],
      ["Bilans mensuels remplis", 5, "", ""],
      ["Heures de présence éducative en ligne", 33, "", ""],
      ["Jeunes en contact (cumul mensuel)", 57, "", ""],
      ["Parents en contact (cumul mensuel)", 15, "", ""],
    ], 4));

    const meetingRows = year.map((m) => {
      const att = Object.values(m.attendance ?? {});
      const count = (s: string) => att.filter((a) => a === s).length;
      const label = { departementale: "Rencontre départementale", formation: "Formation", analyse_pratique: "Analyse de pratique", accueil_nouveaux: "Accueil des nouveaux" }[m.type];
      return [excelDate(m.start.slice(0, 10)), label, m.title, m.hours, held(m) ? "tenue" : "prévue", count("present"), count("absent"), count("excused"), att.length ? Math.round((1000 * count("present")) / att.length) / 10 : undefined];
    }).sort((a, b) => (a[0] as Date).getTime() - (b[0] as Date).getTime());
    expect(norm(rows("Rencontres et présences").slice(1), 9)).toEqual(norm(meetingRows, 9));

    expect(norm(rows("Formations et besoins").slice(1), 3)).toEqual(norm([
      ["Formation", "Formation Cyberharcèlement et cyberviolences", "tenue"],
      ["Choisie d'après les besoins recensés", "Cyberharcèlement et cyberviolences", "oui"],
      ["Enquêtes sur les besoins", "", 1],
      ["Répondants", "", 4],
      ["Besoin recensé", "Cyberharcèlement et cyberviolences", 2],
      ["Besoin recensé", "Intelligence artificielle et jeunes", 1],
    ], 3));
    expect(norm(rows("Analyse de pratique").slice(1), 5)).toEqual([
      [excelDate("2026-04-02"), "Analyse de pratique n° 1", 3, "tenue", 2],
      [excelDate("2026-10-08"), "Analyse de pratique n° 2", 2, "tenue", 2],
    ]);
    expect(norm(rows("Accueil des nouveaux").slice(1), 2)).toEqual([
      ["Nouveaux arrivés dans l'année", 3], ["Parcours commencés", 3], ["Parcours terminés", 1], ["Parcours en cours", 1], ["Parcours arrêtés", 1],
      ["Étape 1 atteinte (accueil)", 3], ["Étape 2 atteinte (charte)", 2], ["Étape 3 atteinte (profil)", 2], ["Étape 4 atteinte (liste)", 1],
      ["Étape 5 atteinte (presentation)", 1], ["Étape 6 atteinte (rencontre)", 1], ["Rencontre d'accueil du 15/10/2026", 2],
    ]);
    expect(rows("Veille").slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      [excelDate("2026-03-01"), "Nouvelle recommandation CNIL", "Alice Martin"],
      [excelDate("2026-07-01"), "Guide des réseaux sociaux", "Bruno Petit"],
      [excelDate("2026-08-01"), "Autre partage", "Alice Martin"],
    ]);
    expect(norm(rows("Questions").slice(1).map((r) => r.slice(1)), 4)).toEqual(norm([
      [excelDate("2026-02-10"), "Réglementation", "close", 2],
      [excelDate("2026-06-10"), "Outils", "répondue", 10],
      [excelDate("2026-09-10"), "Orientation d'un jeune ou d'un parent", "close", 27],
      [excelDate("2026-11-20"), "Outils", "sans réponse", undefined],
    ], 4));
    const activity = rows("Activité mensuelle");
    expect(activity.slice(1, 4)).toEqual([["janvier 2026", 2, 17.5, 37], ["février 2026", 1, 9, 19], ["mars 2026", 1, 5, 12]]);
    expect(activity[10]).toEqual(["octobre 2026", 1, 1.5, 4]);
    expect(activity.slice(14)).toEqual([["Thème", "Bilans qui le citent"], ["Cyberharcèlement, violences en ligne", 3], ["Usage des écrans", 2], ["Soutien à la parentalité", 1], ["Santé, mal-être", 1]]);
    // Only those who consented, in French order: « Élodie » among the E's, not after « Farid ».
    const directory = rows("Annuaire");
    expect(directory.slice(1).map((r) => r[0])).toEqual(["Alice Martin", "Chloé Durand", "Élodie Leroy", "Farid Nour"]);
    expect(directory.find((r) => r[0] === "Farid Nour")).toEqual(["Farid Nour", "MJC", "Jeunesse", "Épinal", "", "actif", "Promeneur du Net", excelDate("2026-01-01")]);
    // Dates are real, formatted Excel dates (the local day), not text.
    const joinedCell = wb.getWorksheet("Annuaire")!.getCell("H2");
    expect(joinedCell.value).toBeInstanceOf(Date);
    expect(joinedCell.numFmt).toBe("dd/mm/yyyy");

    const everything = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
    expect(everything).not.toContain("confidentiel");
    expect(everything).not.toContain("@exemple.fr");
    expect(markdown).toContain("# Évaluation 2026 — Promeneurs du Net des Vosges");
    expect(markdown).toContain("- Comité de pilotage (objectif 1) : manquant — 0 tenue, 0 prévue");
  });
});
