// The yearly evaluation as an XLSX workbook (ExcelJS: pure JavaScript, reads and writes) and a
// short Markdown summary, both from computeFigures. Privacy holds here too: questions appear
// without subject, text or asker (the Caf referent may not read them); no vote of any poll is
// exported (anonymous ones stay anonymous); the directory sheet has no e-mail nor contact, and lists only members who agreed to be listed.
import { DateTime } from "luxon";

import type { PrismaClient, Role } from "../../store/index.js";
import { KIND_LABELS, ROLE_LABELS, STATUS_LABELS } from "../roles.js";
import { MEETING_TYPES, type MeetingType } from "../meetings/model.js";
import { QUESTION_CATEGORIES, type QuestionCategory } from "../questions/service.js";
import { monthLabel } from "../activity/service.js";
import { ONBOARDING_STEPS, yearBounds, type Figures } from "./figure-model.js";
import { computeFigures } from "./figures.js";
import { checkYear, fr, heldAndPlanned, hoursText, percent } from "./dashboard.js";
import { writeWorkbook, type Cell, type SheetSpec } from "./workbook-file.js";
import { plural } from "../../shared/plural.js";

export const SHEETS = [
  "Synthèse",
  "Rencontres et présences",
  "Formations et besoins",
  "Analyse de pratique",
  "Accueil des nouveaux",
  "Veille",
  "Questions",
  "Activité mensuelle",
  "Annuaire",
] as const;

export interface Evaluation {
  figures: Figures;
  xlsx: Buffer;
  markdown: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const FRENCH = new Intl.Collator("fr");

/**
 * A real Excel date for the local calendar day of `d`: Excel dates have no time zone, and ExcelJS
 * writes a Date by its UTC fields, so the day is rebuilt at UTC midnight.
 */
function excelDay(d: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(d, { zone: timeZone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day));
}

export async function buildEvaluation(db: PrismaClient, options: { year: number; timeZone: string; now: Date; viewerRole: Role }): Promise<Evaluation> {
  checkYear(options.year, options.now);
  const figures = await computeFigures(db, options);
  const sheets = evaluationSheets(figures, await evaluationRows(db, options), options.timeZone);
  const xlsx = Buffer.from(await writeWorkbook({ created: options.now, sheets }));
  return { figures, xlsx, markdown: evaluationMarkdown(figures) };
}

/** The rows the sheets list beyond the figures: the year's questions and shared articles, the members. */
async function evaluationRows(db: PrismaClient, options: { year: number; timeZone: string }) {
  const { from, to } = yearBounds(options.year, options.timeZone);
  const [questions, shared, members] = await Promise.all([
    db.question.findMany({ where: { askedAt: { gte: from, lt: to } }, orderBy: { askedAt: "asc" }, select: { id: true, category: true, state: true, askedAt: true, firstAnsweredAt: true } }),
    db.watchItem.findMany({ where: { collectedAt: { gte: from, lt: to }, sharedById: { not: null } }, orderBy: { collectedAt: "asc" }, select: { title: true, link: true, category: true, collectedAt: true, sharedById: true } }),
    db.member.findMany({ select: { id: true, displayName: true, structure: true, kind: true, commune: true, networks: true, status: true, role: true, joinedAt: true, directoryConsent: true } }),
  ]);
  return { questions, shared, members };
}

/** The workbook as plain data, one entry per sheet of SHEETS. */
function evaluationSheets(f: Figures, { questions, shared, members }: Awaited<ReturnType<typeof evaluationRows>>, timeZone: string): SheetSpec[] {
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  const day = (d: Date) => excelDay(d, timeZone);
  // The directory sheet goes to the Caf: only those who agreed to be listed, in French order (« Élodie » with the E's).
  const directory = members.filter((m) => m.directoryConsent).sort((a, b) => FRENCH.compare(a.displayName, b.displayName));
  const sheets: SheetSpec[] = [];
  const sheet = (name: (typeof SHEETS)[number], header: string[], rows: Cell[][], after?: SheetSpec["after"]) => sheets.push({ name, header, rows, after });
  sheet("Synthèse", ["Indicateur", "Valeur", "Objectif", "État"], [
    ...f.targets.map((t) => [t.label, t.done, t.target, t.state] as (string | number)[]),
    ["Rencontres prévues d'ici la fin de l'année", f.targets.reduce((s, t) => s + t.planned, 0), "", ""],
    ["Promeneurs du Net (sans l'animateur, le référent Caf ni les administrateurs)", f.members.total, "", ""],
    ["Promeneurs actifs", f.members.byStatus.ACTIVE ?? 0, "", ""],
    ["Nouveaux Promeneurs", f.newcomers.joined, "", ""],
    ["Questions posées", f.questions.count, "", ""],
    ["Délai médian de première réponse (h)", f.questions.medianResponseHours === null ? "" : round1(f.questions.medianResponseHours), "", ""],
    ["Articles de veille partagés", f.watch.shared, "", ""],
    ["Bilans mensuels remplis", f.activity.reports, "", ""],
    ["Heures de présence éducative en ligne", round1(f.activity.hours), "", ""],
    ["Jeunes en contact (cumul mensuel)", f.activity.youthContacts, "", ""],
    ["Parents en contact (cumul mensuel)", f.activity.parentContacts, "", ""],
  ]);
  sheet("Rencontres et présences", ["Date", "Type", "Titre", "Durée (h)", "État", "Présents", "Absents", "Excusés", "Taux de présence"],
    f.meetings.map((m) => {
      const recorded = m.present + m.absent + m.excused;
      return [day(m.startsAt), MEETING_TYPES[m.type as MeetingType] ?? m.type, m.title, round1(m.hours), m.done ? "tenue" : "prévue", m.present, m.absent, m.excused, recorded ? round1((100 * m.present) / recorded) : null];
    }));
  const training = f.targets.find((t) => t.type === "formation")!;
  sheet("Formations et besoins", ["Rubrique", "Libellé", "Valeur"], [
    ...f.meetings.filter((m) => m.type === "formation").map((m) => ["Formation", m.title, m.done ? "tenue" : "prévue"] as (string | number)[]),
    ["Choisie d'après les besoins recensés", training.fromNeeds?.matchedTheme ?? "", training.fromNeeds?.matchedTheme ? "oui" : "non"],
    ["Enquêtes sur les besoins", "", f.training.surveys],
    ["Répondants", "", f.training.respondents],
    ...f.training.topNeeds.map((n) => ["Besoin recensé", n.label, n.count] as (string | number)[]),
  ]);
  sheet("Analyse de pratique", ["Date", "Titre", "Durée (h)", "État", "Présents"],
    f.meetings.filter((m) => m.type === "analyse_pratique").map((m) => [day(m.startsAt), m.title, round1(m.hours), m.done ? "tenue" : "prévue", m.present]));
  const j = f.newcomers.journeys;
  sheet("Accueil des nouveaux", ["Indicateur", "Valeur"], [
    ["Nouveaux arrivés dans l'année", f.newcomers.joined],
    ["Parcours commencés", j.started],
    ["Parcours terminés", j.completed],
    ["Parcours en cours", j.active],
    ["Parcours arrêtés", j.stopped],
    ...f.newcomers.reachedStep.map((n, i) => [`Étape ${i + 1} atteinte (${ONBOARDING_STEPS[i]})`, n] as (string | number)[]),
    ...f.meetings.filter((m) => m.type === "accueil_nouveaux").map((m) => [`Rencontre d'accueil du ${DateTime.fromJSDate(m.startsAt, { zone: timeZone }).toFormat("dd/MM/yyyy")}`, m.present] as (string | number)[]),
  ]);
  sheet("Veille", ["Date", "Titre", "Lien", "Catégorie", "Partagé par"],
    shared.map((w) => [day(w.collectedAt), w.title, w.link, w.category, names.get(w.sharedById!) ?? "ancien membre"]));
  sheet("Questions", ["N°", "Posée le", "Catégorie", "État", "Délai de première réponse (h)"],
    questions.map((q) => [q.id, day(q.askedAt), QUESTION_CATEGORIES[q.category as QuestionCategory] ?? q.category, q.state !== "open" ? "close" : q.firstAnsweredAt ? "répondue" : "sans réponse", q.firstAnsweredAt ? round1((q.firstAnsweredAt.getTime() - q.askedAt.getTime()) / 3600_000) : null]));
  sheet("Activité mensuelle", ["Mois", "Bilans remplis", "Heures", "Contacts (jeunes et parents)"],
    f.activity.months.map((m) => [monthLabel(m.month), m.reports, round1(m.hours), m.contacts]),
    { header: ["Thème", "Bilans qui le citent"], rows: f.activity.topThemes.map((t) => [t.label, t.count]) });
  sheet("Annuaire", ["Nom", "Structure", "Type", "Commune", "Réseaux", "Statut", "Rôle", "Arrivée"],
    directory.map((m) => [m.displayName, m.structure ?? "", m.kind ? KIND_LABELS[m.kind] : "", m.commune ?? "", m.networks, STATUS_LABELS[m.status], ROLE_LABELS[m.role], day(m.joinedAt)]));

  return sheets;
}

function evaluationMarkdown(f: Figures): string {
  const lines = [
    `# Évaluation ${f.year} — Promeneurs du Net des Vosges`,
    "",
    "## Objectifs du cahier des charges",
    ...f.targets.map((t) => `- ${t.label} (objectif ${t.target}) : ${t.state} — ${heldAndPlanned(t.done, t.planned)}`),
    "",
    "## Le réseau",
    `- ${plural(f.members.total, "Promeneur du Net", "Promeneurs du Net")} (sans l'animateur ni le référent Caf), dont ${plural(f.members.byStatus.ACTIVE ?? 0, "actif", "actifs")} ; ${plural(f.newcomers.joined, "nouveau", "nouveaux")}, ${plural(f.newcomers.journeys.completed, "parcours d'accueil terminé", "parcours d'accueil terminés")}`,
    ...f.attendanceByType.map((a) => `- Présence aux rencontres « ${a.label} » : ${percent(a.rate)}`),
    `- ${plural(f.questions.count, "question", "questions")} à l'animateur, délai médian de première réponse : ${f.questions.medianResponseHours === null ? "—" : `${fr(f.questions.medianResponseHours)} h`}`,
    `- ${plural(f.watch.shared, "article de veille partagé", "articles de veille partagés")} par les membres`,
    "",
    "## Présence éducative en ligne",
    `- ${plural(f.activity.reports, "bilan mensuel", "bilans mensuels")} : ${hoursText(f.activity.hours, "de présence en ligne", "de présence en ligne")}, ${plural(f.activity.youthContacts, "jeune", "jeunes")} et ${plural(f.activity.parentContacts, "parent", "parents")} en contact`,
    ...(f.activity.topThemes.length ? [`- Thèmes les plus abordés : ${f.activity.topThemes.map((t) => t.label).join(", ")}`] : []),
    "",
  ];
  return lines.join("\n");
}
