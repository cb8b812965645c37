// Every table of the store, and what it holds about a member: the one list that /mes-donnees
// (export, erasure) and the retention jobs read. Its type names every Prisma model, so a new table
// does not compile until it is listed here; test/core/privacy/tables.test.ts also reads
// prisma/schema.prisma and fails when a column holding a member id is not declared.
//
// Erasure keeps the member's row, emptied (« Membre effacé n° 12 »): rows that point to it by id
// (attendances, answers, reports…) then point to nobody identifiable, so every count and every
// past figure stays the same while the person is gone.
import type { Prisma, PrismaClient } from "../../store/index.js";

export type Tx = Prisma.TransactionClient;
type ModelName = Prisma.ModelName;

/** The categories /mes-donnees shows, in this order. */
export const CATEGORIES = {
  profil: "Votre fiche de membre",
  comptes: "Vos comptes Discord et Slack liés",
  rencontres: "Vos réponses aux rencontres et vos présences",
  sondages: "Vos votes nominatifs et vos disponibilités",
  formation: "Vos besoins de formation",
  questions: "Vos questions à l'animateur et les réponses",
  activite: "Vos bilans d'activité mensuels",
  accueil: "Votre parcours d'accueil",
  veille: "Les articles que vous avez partagés",
  messages: "Vos messages en attente (boîte de réception)",
  journal: "Le journal des actions vous concernant",
} as const;
export type Category = keyof typeof CATEGORIES;

/** The word that replaces an erased value wherever a row has to stay. */
const ERASED = "effacé";

export interface ErasureContext {
  tx: Tx;
  memberId: number;
  now: Date;
  /** Values removed so far: the trace tables (audit, jobs) are scrubbed of them at the end. */
  removed: Set<string>;
}

export interface TablePolicy {
  /**
   * Columns holding a Member id. « owner »: the row is the member's own data (exported, erased or
   * anonymised); « pseudonymous »: a mere reference (who created a poll…), which points to the
   * emptied member row once erased.
   */
  memberColumns: Record<string, "owner" | "pseudonymous">;
  category?: Category;
  /** Why a table without owner columns holds nothing to export. */
  why?: string;
  /** Rows to export, as plain objects with French-free keys (the Markdown renders them). */
  export?(db: PrismaClient, memberId: number): Promise<Record<string, unknown>[]>;
  erase?(ctx: ErasureContext): Promise<void>;
  /** Trace tables run after every other erasure, with the removed values collected. */
  trace?: boolean;
}

const keep = (values: (string | null | undefined)[], into: Set<string>) => {
  for (const v of values) if (v && v.trim().length >= 3) into.add(v.trim());
};

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
};

/** Replaces every removed value inside `text` (raw and JSON-escaped forms). */
function scrub(text: string, removed: ReadonlySet<string>): string {
  let out = text;
  for (const value of [...removed].sort((a, b) => b.length - a.length)) {
    out = out.split(value).join(ERASED);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) out = out.split(escaped).join(ERASED);
  }
  return out;
}

/** Every string of a JSON value replaced by « effacé » (keys kept, so the action stays readable). */
function eraseValues(value: unknown): unknown {
  if (typeof value === "string") return ERASED;
  if (Array.isArray(value)) return value.map(eraseValues);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, eraseValues(v)]));
  return value;
}

async function scrubColumn<R extends { id: number }>(
  rows: R[],
  column: keyof R & string,
  removed: ReadonlySet<string>,
  write: (id: number, value: string) => Promise<unknown>,
): Promise<void> {
  for (const row of rows) {
    const before = row[column] as unknown as string | null;
    if (!before) continue;
    const after = scrub(before, removed);
    if (after !== before) await write(row.id, after);
  }
}

const auditAbout = (memberId: number) => ({ OR: [{ targetType: "member", targetId: String(memberId) }, { actorId: memberId }] });

export const TABLES: { [M in ModelName]: TablePolicy } = {
  Member: {
    memberColumns: {},
    category: "profil",
    async export(db, memberId) {
      const m = await db.member.findUnique({ where: { id: memberId } });
      if (!m) return [];
      const { id, firstName, lastName, displayName, structure, kind, commune, email, contact, networks, photoUrl, directoryConsent, status, role, joinedAt, leftAt } = m;
      return [{ id, firstName, lastName, displayName, structure, kind, commune, email, contact, networks, photoUrl, directoryConsent, status, role, joinedAt, leftAt }];
    },
    // Done by the service itself (it has to run last, after the values were collected).
  },
  PlatformAccount: {
    memberColumns: { memberId: "owner" },
    category: "comptes",
    async export(db, memberId) {
      const rows = await db.platformAccount.findMany({ where: { memberId } });
      return rows.map(({ platform, externalId, workspaceId, displayName, linkedAt }) => ({ platform, externalId, workspaceId, displayName, linkedAt }));
    },
    async erase({ tx, memberId, removed }) {
      const rows = await tx.platformAccount.findMany({ where: { memberId } });
      for (const r of rows) keep([r.externalId, r.displayName], removed);
      await tx.platformAccount.deleteMany({ where: { memberId } });
    },
  },
  InboxMessage: {
    memberColumns: { memberId: "owner" },
    category: "messages",
    async export(db, memberId) {
      const rows = await db.inboxMessage.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } });
      return rows.map(({ title, text, createdAt, readAt }) => ({ title, text, createdAt, readAt }));
    },
    // Messages to the person: nobody else needs them once the person is gone. Their texts are not
    // scrubbed elsewhere: many are the same reminder sent to everyone.
    async erase({ tx, memberId }) {
      await tx.inboxMessage.deleteMany({ where: { memberId } });
    },
  },
  Setting: { memberColumns: { updatedBy: "pseudonymous" }, why: "réglages du bot (salons, durées) : rien sur les personnes" },
  AuditLog: {
    memberColumns: { actorId: "owner" },
    category: "journal",
    trace: true,
    async export(db, memberId) {
      const rows = await db.auditLog.findMany({ where: auditAbout(memberId), orderBy: { at: "asc" } });
      return rows.map(({ at, action, targetType, targetId, actorId, details }) => ({ at, action, targetType, targetId, byYou: actorId === memberId, details: parse(details) }));
    },
    async erase({ tx, memberId, removed }) {
      const about = await tx.auditLog.findMany({ where: { targetType: "member", targetId: String(memberId) } });
      for (const row of about) await tx.auditLog.update({ where: { id: row.id }, data: { details: JSON.stringify(eraseValues(parse(row.details))) } });
      const others = await tx.auditLog.findMany({ where: { NOT: { targetType: "member", targetId: String(memberId) } }, select: { id: true, details: true } });
      await scrubColumn(others, "details", removed, (id, details) => tx.auditLog.update({ where: { id }, data: { details } }));
    },
  },
  Job: {
    memberColumns: {},
    trace: true,
    why: "tâches planifiées : des numéros seulement, sauf les textes déjà effacés ailleurs, retirés ici",
    async erase({ tx, removed }) {
      if (removed.size === 0) return;
      const rows = await tx.job.findMany({ select: { id: true, payload: true, lastError: true } });
      await scrubColumn(rows, "payload", removed, (id, payload) => tx.job.update({ where: { id }, data: { payload } }));
      await scrubColumn(rows, "lastError", removed, (id, lastError) => tx.job.update({ where: { id }, data: { lastError } }));
    },
  },
  Delivery: {
    memberColumns: {},
    trace: true,
    why: "envois d'une tâche : « member:12 » désigne la fiche vidée",
    async erase({ tx, removed }) {
      if (removed.size === 0) return;
      const rows = await tx.delivery.findMany({ where: { error: { not: null } }, select: { id: true, error: true } });
      await scrubColumn(rows, "error", removed, (id, error) => tx.delivery.update({ where: { id }, data: { error } }));
    },
  },
  WatchSource: { memberColumns: { addedById: "pseudonymous" }, why: "flux publics suivis par le réseau" },
  WatchSeen: { memberColumns: {}, why: "empreintes d'articles déjà lus" },
  WatchItem: {
    memberColumns: { sharedById: "owner" },
    category: "veille",
    async export(db, memberId) {
      const rows = await db.watchItem.findMany({ where: { sharedById: memberId } });
      return rows.map(({ title, link, category, comment, collectedAt }) => ({ title, link, category, comment, collectedAt }));
    },
    async erase({ tx, memberId, removed }) {
      const rows = await tx.watchItem.findMany({ where: { sharedById: memberId, comment: { not: null } } });
      keep(rows.map((r) => r.comment), removed);
      await tx.watchItem.updateMany({ where: { sharedById: memberId }, data: { comment: null } });
    },
  },
  WatchDigest: { memberColumns: {}, why: "sommaires hebdomadaires de la veille" },
  PostedMessage: { memberColumns: {}, why: "messages publiés par le bot" },
  Announcement: { memberColumns: { authorId: "pseudonymous" }, why: "communications du réseau, gardées ; leur auteur devient la fiche vidée" },
  Poll: { memberColumns: { createdById: "pseudonymous" }, why: "sondages du réseau" },
  PollOption: { memberColumns: {}, why: "choix d'un sondage" },
  Vote: {
    memberColumns: { memberId: "owner" },
    category: "sondages",
    async export(db, memberId) {
      const rows = await db.vote.findMany({ where: { memberId }, include: { poll: { select: { question: true } }, option: { select: { label: true } } } });
      return rows.map((v) => ({ poll: v.poll.question, choice: v.option.label }));
    },
    async erase({ tx, memberId }) {
      // The vote stays (counts unchanged); only the name goes.
      await tx.vote.updateMany({ where: { memberId }, data: { memberId: null } });
    },
  },
  AvailabilityPoll: { memberColumns: { createdById: "pseudonymous" }, why: "sondages de dates du réseau" },
  AvailabilitySlot: { memberColumns: {}, why: "créneaux proposés" },
  AvailabilityAnswer: {
    memberColumns: { memberId: "owner" },
    category: "sondages",
    async export(db, memberId) {
      const rows = await db.availabilityAnswer.findMany({ where: { memberId }, include: { slot: { include: { poll: { select: { title: true } } } } } });
      return rows.map((a) => ({ poll: a.slot.poll.title, slotStartsAt: a.slot.startsAt, answer: a.answer, answeredAt: a.answeredAt }));
    },
    // Kept for the counts: the answer points to the emptied member row.
    async erase() {},
  },
  TrainingSurvey: { memberColumns: { createdById: "pseudonymous" }, why: "enquêtes annuelles du réseau" },
  TrainingTick: {
    memberColumns: { memberId: "owner" },
    category: "formation",
    async export(db, memberId) {
      const rows = await db.trainingTick.findMany({ where: { memberId }, include: { survey: { select: { year: true } } } });
      return rows.map((t) => ({ year: t.survey.year, theme: t.theme }));
    },
    async erase() {},
  },
  TrainingNeed: {
    memberColumns: { memberId: "owner" },
    category: "formation",
    async export(db, memberId) {
      const rows = await db.trainingNeed.findMany({ where: { memberId }, include: { survey: { select: { year: true } } } });
      return rows.map((n) => ({ year: n.survey.year, text: n.text, updatedAt: n.updatedAt }));
    },
    async erase({ tx, memberId, removed }) {
      keep((await tx.trainingNeed.findMany({ where: { memberId } })).map((n) => n.text), removed);
      await tx.trainingNeed.updateMany({ where: { memberId }, data: { text: ERASED } });
    },
  },
  Meeting: { memberColumns: { createdById: "pseudonymous" }, why: "rencontres du réseau" },
  Rsvp: {
    memberColumns: { memberId: "owner" },
    category: "rencontres",
    async export(db, memberId) {
      const rows = await db.rsvp.findMany({ where: { memberId }, include: { meeting: { select: { title: true, startsAt: true } } } });
      return rows.map((r) => ({ meeting: r.meeting.title, startsAt: r.meeting.startsAt, answer: r.answer, answeredAt: r.answeredAt }));
    },
    async erase() {},
  },
  Attendance: {
    memberColumns: { memberId: "owner", recordedById: "pseudonymous" },
    category: "rencontres",
    async export(db, memberId) {
      const rows = await db.attendance.findMany({ where: { memberId }, include: { meeting: { select: { title: true, startsAt: true } } } });
      return rows.map((a) => ({ meeting: a.meeting.title, startsAt: a.meeting.startsAt, attendance: a.status }));
    },
    // Kept for the attendance rates of the evaluation.
    async erase() {},
  },
  MeetingPost: { memberColumns: {}, why: "où une rencontre est affichée" },
  OnboardingJourney: {
    memberColumns: { memberId: "owner", startedById: "pseudonymous", completedById: "pseudonymous" },
    category: "accueil",
    async export(db, memberId) {
      const j = await db.onboardingJourney.findUnique({ where: { memberId }, include: { steps: { orderBy: { doneAt: "asc" } } } });
      if (!j) return [];
      return [{ state: j.state, startedAt: j.startedAt, completedAt: j.completedAt, stoppedAt: j.stoppedAt, stopReason: j.stopReason, steps: j.steps.map((s) => ({ key: s.key, doneAt: s.doneAt })) }];
    },
    async erase({ tx, memberId, removed, now }) {
      const j = await tx.onboardingJourney.findUnique({ where: { memberId } });
      if (!j) return;
      keep([j.overrideReason, j.stopReason], removed);
      await tx.onboardingJourney.update({ where: { id: j.id }, data: { overrideReason: null, stopReason: null, sequence: { increment: 1 }, updatedAt: now } });
      await tx.onboardingStep.updateMany({ where: { journeyId: j.id }, data: { details: "{}" } });
      // Its messages (one carries the presentation text) are no longer the member's to receive.
      const jobs = await tx.job.findMany({ where: { kind: { startsWith: "onboarding." } }, select: { id: true, payload: true, state: true } });
      for (const job of jobs) {
        const payload = parse(job.payload) as { journeyId?: number; text?: string };
        if (payload?.journeyId !== j.id) continue;
        keep([payload.text], removed);
        const cancel = job.state === "pending" ? { state: "cancelled", finishedAt: now } : {};
        await tx.job.update({ where: { id: job.id }, data: { payload: JSON.stringify({ ...payload, text: payload.text ? ERASED : undefined }), updatedAt: now, ...cancel } });
      }
    },
  },
  OnboardingStep: { memberColumns: {}, why: "étapes d'un parcours (exportées et effacées avec lui)" },
  Question: {
    memberColumns: { askerId: "owner", closedById: "pseudonymous" },
    category: "questions",
    async export(db, memberId) {
      const rows = await db.question.findMany({ where: { askerId: memberId }, include: { answers: { orderBy: { answeredAt: "asc" } } } });
      return rows.map((q) => ({ id: q.id, subject: q.subject, body: q.body, category: q.category, state: q.state, askedAt: q.askedAt, answers: q.answers.map((a) => ({ body: a.body, answeredAt: a.answeredAt })) }));
    },
    async erase({ tx, memberId, removed }) {
      const rows = await tx.question.findMany({ where: { askerId: memberId }, include: { answers: true } });
      for (const q of rows) keep([q.subject, q.body, ...q.answers.map((a) => a.body)], removed);
      const ids = rows.map((q) => q.id);
      // Category and dates stay: the evaluation counts questions and their response time.
      await tx.question.updateMany({ where: { id: { in: ids } }, data: { subject: ERASED, body: ERASED } });
      await tx.questionAnswer.updateMany({ where: { questionId: { in: ids } }, data: { body: ERASED } });
    },
  },
  QuestionAnswer: {
    memberColumns: { authorId: "owner" },
    category: "questions",
    async export(db, memberId) {
      const rows = await db.questionAnswer.findMany({ where: { authorId: memberId } });
      return rows.map((a) => ({ questionId: a.questionId, answerYouWrote: a.body, answeredAt: a.answeredAt }));
    },
    async erase({ tx, memberId, removed }) {
      keep((await tx.questionAnswer.findMany({ where: { authorId: memberId } })).map((a) => a.body), removed);
      await tx.questionAnswer.updateMany({ where: { authorId: memberId }, data: { body: ERASED } });
    },
  },
  ActivityReport: {
    memberColumns: { memberId: "owner" },
    category: "activite",
    async export(db, memberId) {
      const rows = await db.activityReport.findMany({ where: { memberId }, orderBy: { month: "asc" } });
      return rows.map(({ month, minutes, platforms, youthContacts, parentContacts, themes, otherThemes, actions }) => ({ month, hours: minutes / 60, platforms, youthContacts, parentContacts, themes, otherThemes, actions }));
    },
    async erase({ tx, memberId, removed }) {
      const rows = await tx.activityReport.findMany({ where: { memberId } });
      keep(rows.flatMap((r) => [r.actions, r.otherThemes]), removed);
      // The figures (hours, contacts, themes) stay for the evaluation; the free texts go.
      await tx.activityReport.updateMany({ where: { memberId }, data: { actions: null, otherThemes: null } });
    },
  },
};

/** The tables in erasure order: the member's own rows first, then the trace tables. */
export function erasureOrder(): [string, TablePolicy][] {
  const entries = Object.entries(TABLES) as [string, TablePolicy][];
  return [...entries.filter(([, p]) => !p.trace), ...entries.filter(([, p]) => p.trace)];
}
