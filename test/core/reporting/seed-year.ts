/**
 * A seeded year 2026, declared as plain data: the seeder writes it through Prisma, and the specs
 * compute the expected figures from the same arrays with their own simple code.
 */
import type { PrismaClient } from "../../../src/store/index.js";

/** Thursday 26 November 2026, 11:00 in Paris. */
export const NOW = new Date("2026-11-26T10:00:00Z");

type Kind = "JEUNESSE" | "PARENTALITE" | null;
type Status = "ACTIVE" | "ONBOARDING" | "INACTIVE";
type Role = "PROMENEUR" | "ANIMATEUR" | "REFERENT_CAF";

/** consent: listed in the directory (only they appear in the evaluation's directory sheet). */
export const MEMBERS: { id: number; name: string; kind: Kind; status: Status; role: Role; joined: string; consent?: boolean }[] = [
  { id: 1, name: "Sophie Animatrice", kind: null, status: "ACTIVE", role: "ANIMATEUR", joined: "2024-01-10T09:00:00Z" },
  { id: 2, name: "Claire Caf", kind: null, status: "ACTIVE", role: "REFERENT_CAF", joined: "2024-01-10T09:00:00Z" },
  { id: 3, name: "Alice Martin", kind: "JEUNESSE", status: "ACTIVE", role: "PROMENEUR", joined: "2025-03-01T09:00:00Z", consent: true },
  { id: 4, name: "Bruno Petit", kind: "JEUNESSE", status: "ACTIVE", role: "PROMENEUR", joined: "2025-06-01T09:00:00Z" },
  { id: 5, name: "Chloé Durand", kind: "PARENTALITE", status: "ACTIVE", role: "PROMENEUR", joined: "2026-02-01T09:00:00Z", consent: true },
  { id: 6, name: "David Roy", kind: "PARENTALITE", status: "ONBOARDING", role: "PROMENEUR", joined: "2026-09-15T09:00:00Z" },
  { id: 7, name: "Élodie Leroy", kind: null, status: "INACTIVE", role: "PROMENEUR", joined: "2025-09-01T09:00:00Z", consent: true },
  // 31 December 2025 at 23:30 UTC is already 2026 in Paris.
  { id: 8, name: "Farid Nour", kind: "JEUNESSE", status: "ACTIVE", role: "PROMENEUR", joined: "2025-12-31T23:30:00Z", consent: true },
];

type Att = Record<number, "present" | "absent" | "excused">;
export const MEETINGS: { type: string; title: string; start: string; hours: number; status?: string; attendance?: Att }[] = [
  { type: "departementale", title: "Rencontre de printemps", start: "2026-03-12T13:00:00Z", hours: 3, attendance: { 3: "present", 4: "present", 5: "absent", 8: "absent" } },
  { type: "departementale", title: "Rencontre de fin d'année", start: "2026-12-10T13:00:00Z", hours: 3 },
  { type: "formation", title: "Formation Cyberharcèlement et cyberviolences", start: "2026-05-20T07:00:00Z", hours: 6, attendance: { 3: "present", 4: "excused", 5: "present", 8: "absent" } },
  { type: "analyse_pratique", title: "Analyse de pratique n° 1", start: "2026-04-02T12:00:00Z", hours: 3, attendance: { 3: "present", 4: "present", 8: "excused" } },
  { type: "analyse_pratique", title: "Analyse de pratique n° 2", start: "2026-10-08T12:00:00Z", hours: 2, attendance: { 3: "present", 4: "absent", 5: "present" } },
  { type: "accueil_nouveaux", title: "Accueil des nouveaux", start: "2026-10-15T08:00:00Z", hours: 2, attendance: { 6: "present", 5: "present" } },
  { type: "copil", title: "Comité de pilotage annulé", start: "2026-06-15T08:00:00Z", hours: 2, status: "cancelled" },
  { type: "departementale", title: "Rencontre 2025", start: "2025-11-12T13:00:00Z", hours: 3, attendance: { 3: "absent" } },
];

export const SURVEY = {
  themes: [
    { key: "cyberharcelement", label: "Cyberharcèlement et cyberviolences" },
    { key: "ia", label: "Intelligence artificielle et jeunes" },
  ],
  ticks: [
    { memberId: 3, theme: "cyberharcelement" },
    { memberId: 4, theme: "cyberharcelement" },
    { memberId: 5, theme: "ia" },
  ],
  needs: [{ memberId: 8, text: "Parler de santé mentale en ligne" }],
};

export const QUESTIONS: { asker: number; category: string; asked: string; answeredAfterHours: number | null; state: string }[] = [
  { asker: 3, category: "reglementation", asked: "2026-02-10T09:00:00Z", answeredAfterHours: 2, state: "closed" },
  { asker: 4, category: "outils", asked: "2026-06-10T09:00:00Z", answeredAfterHours: 10, state: "open" },
  { asker: 5, category: "orientation", asked: "2026-09-10T09:00:00Z", answeredAfterHours: 27, state: "closed" },
  { asker: 3, category: "outils", asked: "2026-11-20T09:00:00Z", answeredAfterHours: null, state: "open" },
  { asker: 4, category: "autre", asked: "2025-12-10T09:00:00Z", answeredAfterHours: 1, state: "closed" },
];

export const REPORTS: { memberId: number; month: string; minutes: number; youth: number; parents: number; themes: string[] }[] = [
  { memberId: 3, month: "2026-01", minutes: 600, youth: 20, parents: 2, themes: ["ecrans", "harcelement"] },
  { memberId: 4, month: "2026-01", minutes: 450, youth: 15, parents: 0, themes: ["harcelement"] },
  { memberId: 3, month: "2026-02", minutes: 540, youth: 18, parents: 1, themes: ["harcelement", "sante"] },
  { memberId: 5, month: "2026-03", minutes: 300, youth: 0, parents: 12, themes: ["parentalite", "ecrans"] },
  { memberId: 8, month: "2026-10", minutes: 90, youth: 4, parents: 0, themes: [] },
  { memberId: 3, month: "2025-12", minutes: 999, youth: 99, parents: 9, themes: ["loisirs"] },
];

export const WATCH: { title: string; sharedBy: number | null; collected: string }[] = [
  { title: "Nouvelle recommandation CNIL", sharedBy: 3, collected: "2026-03-01T10:00:00Z" },
  { title: "Guide des réseaux sociaux", sharedBy: 4, collected: "2026-07-01T10:00:00Z" },
  { title: "Article d'un flux", sharedBy: null, collected: "2026-07-02T10:00:00Z" },
  { title: "Autre partage", sharedBy: 3, collected: "2026-08-01T10:00:00Z" },
  { title: "Partage de 2025", sharedBy: 3, collected: "2025-08-01T10:00:00Z" },
];

export const JOURNEYS: { memberId: number; started: string; state: string; steps: string[] }[] = [
  { memberId: 5, started: "2026-02-01T09:00:00Z", state: "completed", steps: ["accueil", "charte", "profil.formulaire", "liste.a", "presentation", "rencontre"] },
  { memberId: 6, started: "2026-09-15T09:00:00Z", state: "active", steps: ["accueil", "charte", "profil.formulaire", "profil.type"] },
  { memberId: 8, started: "2025-12-31T23:30:00Z", state: "stopped", steps: ["accueil"] },
];

export async function seedYear(db: PrismaClient): Promise<void> {
  for (const m of MEMBERS) {
    const [firstName, lastName] = m.name.split(" ");
    await db.member.create({ data: { id: m.id, firstName: firstName!, lastName, displayName: m.name, kind: m.kind, status: m.status, role: m.role, joinedAt: new Date(m.joined), directoryConsent: m.consent ?? false, structure: "MJC", commune: "Épinal", email: `${m.id}@exemple.fr` } });
  }
  // Explicit ids do not move a PostgreSQL sequence (SQLite takes MAX(id) + 1): move it, as
  // db:copier does, so members created afterwards get new ids.
  if (process.env["PROMENEURS_TEST_STORE"] === "postgresql") {
    await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"Member"', 'id'), MAX("id")) FROM "Member"`);
  }
  for (const m of MEETINGS) {
    const startsAt = new Date(m.start);
    const meeting = await db.meeting.create({
      data: { type: m.type, title: m.title, startsAt, endsAt: new Date(startsAt.getTime() + m.hours * 3600_000), audience: "tous", reminders: "", status: m.status ?? "scheduled", createdAt: NOW, updatedAt: NOW },
    });
    for (const [memberId, status] of Object.entries(m.attendance ?? {})) {
      await db.attendance.create({ data: { meetingId: meeting.id, memberId: Number(memberId), status, recordedAt: NOW } });
    }
  }
  const survey = await db.trainingSurvey.create({ data: { year: 2026, themes: JSON.stringify(SURVEY.themes), state: "closed", createdAt: new Date("2026-01-15T09:00:00Z") } });
  for (const t of SURVEY.ticks) await db.trainingTick.create({ data: { surveyId: survey.id, ...t } });
  for (const n of SURVEY.needs) await db.trainingNeed.create({ data: { surveyId: survey.id, ...n, updatedAt: NOW } });
  for (const q of QUESTIONS) {
    const askedAt = new Date(q.asked);
    await db.question.create({
      data: {
        askerId: q.asker,
        subject: "Sujet confidentiel",
        body: "Texte confidentiel de la question",
        category: q.category,
        state: q.state,
        askedAt,
        firstAnsweredAt: q.answeredAfterHours === null ? null : new Date(askedAt.getTime() + q.answeredAfterHours * 3600_000),
      },
    });
  }
  for (const r of REPORTS) {
    await db.activityReport.create({ data: { memberId: r.memberId, month: r.month, minutes: r.minutes, youthContacts: r.youth, parentContacts: r.parents, themes: r.themes.join(","), createdAt: NOW, updatedAt: NOW } });
  }
  for (const [i, w] of WATCH.entries()) {
    const at = new Date(w.collected);
    await db.watchItem.create({ data: { sharedById: w.sharedBy, title: w.title, link: `https://exemple.fr/${i}`, linkKey: `k${i}`, category: "autre", publishedAt: at, collectedAt: at } });
  }
  for (const j of JOURNEYS) {
    const at = new Date(j.started);
    await db.onboardingJourney.create({
      data: { memberId: j.memberId, state: j.state, startedAt: at, origin: "animateur", lastProgressAt: at, createdAt: at, updatedAt: at, steps: { create: j.steps.map((key) => ({ key, doneAt: at })) } },
    });
  }
}
