// How long the bot keeps what, as durations an administrator can change (/confidentialite duree),
// and the daily job that applies them. Defaults follow the CNIL's usual durations for a
// professional network: a year after leaving, two years for closed questions, five for the audit
// log and the evaluation's raw reports.
import type { PrismaClient } from "../../store/index.js";
import type { RecurringPayload } from "../../scheduler/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../../shared/clock.js";
import { UserError } from "../errors.js";
import { checkpoint, PrivacyService } from "./service.js";

export const RETENTION = {
  retires: { label: "Membres partis (retirés, inactifs ou exclus) : données effacées après", defaultMonths: 12 },
  questions: { label: "Questions closes : anonymisées (plus rattachées à personne) après", defaultMonths: 24 },
  journal: { label: "Journal des actions : entrées supprimées après", defaultMonths: 60 },
  veille: { label: "Articles de veille : supprimés après", defaultMonths: 12 },
  bilans: { label: "Bilans d'activité mensuels : gardés seulement comme chiffres anonymes après", defaultMonths: 60 },
} as const;
export type RetentionKey = keyof typeof RETENTION;
export type Retention = Record<RetentionKey, number>;

export const RETENTION_KIND = "privacy.retention";

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [RETENTION_KIND]: RecurringPayload;
  }
}
export const RETENTION_CRON = "30 3 * * *";
export const DPO_SETTING = "privacy.dpo";
const settingKey = (key: RetentionKey) => `privacy.retention.${key}`;

/** « 12 mois », « 5 ans ». */
export function duration(months: number): string {
  return months >= 24 && months % 12 === 0 ? `${months / 12} ans` : `${months} mois`;
}

export async function readRetention(db: PrismaClient): Promise<Retention> {
  const rows = await db.setting.findMany({ where: { key: { startsWith: "privacy.retention." } } });
  const out = Object.fromEntries(Object.entries(RETENTION).map(([k, v]) => [k, v.defaultMonths])) as Retention;
  for (const row of rows) {
    const key = row.key.slice("privacy.retention.".length) as RetentionKey;
    const months = Number(row.value);
    if (key in RETENTION && Number.isInteger(months) && months > 0) out[key] = months;
  }
  return out;
}

export async function setRetention(db: PrismaClient, clock: Clock, key: RetentionKey, months: number, actorId: number): Promise<number> {
  if (!Number.isInteger(months) || months < 1 || months > 240) throw new UserError("Cette valeur ne convient pas : **mois** : un nombre entier de mois entre 1 et 240.");
  const now = clock.now();
  const before = (await readRetention(db))[key];
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({ where: { key: settingKey(key) }, create: { key: settingKey(key), value: String(months), updatedBy: actorId, updatedAt: now }, update: { value: String(months), updatedBy: actorId, updatedAt: now } });
    await audit(tx, { actorId, action: "privacy.retention", targetType: "setting", targetId: settingKey(key), details: { avant: before, après: months } }, now);
  });
  return before;
}

export async function setDpoContact(db: PrismaClient, clock: Clock, contact: string, actorId: number): Promise<void> {
  const value = contact.trim();
  if (value.length < 3 || value.length > 200) throw new UserError("Cette valeur ne convient pas : **contact** : une adresse ou un nom, de 3 à 200 caractères.");
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const before = await tx.setting.findUnique({ where: { key: DPO_SETTING } });
    await tx.setting.upsert({ where: { key: DPO_SETTING }, create: { key: DPO_SETTING, value, updatedBy: actorId, updatedAt: now }, update: { value, updatedBy: actorId, updatedAt: now } });
    await audit(tx, { actorId, action: "privacy.dpo", targetType: "setting", targetId: DPO_SETTING, details: { avant: before?.value ?? null, après: value } }, now);
  });
}

const monthsBefore = (now: Date, months: number) => {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

export interface RetentionOutcome {
  erased: number;
  questions: number;
  journal: number;
  veille: number;
  bilans: number;
  /** Members the rule could not erase (the last administrator), with the reason. */
  skipped: { memberId: number; reason: string }[];
}

/** Applies every duration once; safe to run again (each rule only touches what is still due). */
export async function applyRetention(db: PrismaClient, clock: Clock): Promise<RetentionOutcome> {
  const now = clock.now();
  const months = await readRetention(db);
  const outcome: RetentionOutcome = { erased: 0, questions: 0, journal: 0, veille: 0, bilans: 0, skipped: [] };
  const gone = await db.member.findMany({ where: { erasedAt: null, status: { in: ["INACTIVE", "EXCLUDED"] }, leftAt: { lt: monthsBefore(now, months.retires) } }, select: { id: true } });
  const privacy = new PrivacyService(db, clock);
  for (const { id } of gone) {
    try {
      await privacy.erase(id, { id: null, as: "conservation" }, { purge: false });
      outcome.erased++;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      outcome.skipped.push({ memberId: id, reason: error.message });
    }
  }
  outcome.questions = await anonymiseQuestions(db, monthsBefore(now, months.questions));
  outcome.journal = (await db.auditLog.deleteMany({ where: { at: { lt: monthsBefore(now, months.journal) } } })).count;
  outcome.veille = (await db.watchItem.deleteMany({ where: { collectedAt: { lt: monthsBefore(now, months.veille) } } })).count;
  outcome.bilans = await anonymiseReports(db, monthsBefore(now, months.bilans));
  await checkpoint(db);
  return outcome;
}

/** A closed question stays in the counts and as a worked example, tied to nobody (member 0). */
async function anonymiseQuestions(db: PrismaClient, before: Date): Promise<number> {
  const due = await db.question.findMany({ where: { state: "closed", closedAt: { lt: before }, askerId: { not: 0 } }, select: { id: true } });
  const ids = due.map((q) => q.id);
  await db.$transaction([
    db.question.updateMany({ where: { id: { in: ids } }, data: { askerId: 0, closedById: null } }),
    db.questionAnswer.updateMany({ where: { questionId: { in: ids } }, data: { authorId: 0 } }),
  ]);
  return ids.length;
}

/**
 * Reports of whole calendar years older than the duration lose their author: each member of that
 * year gets a new negative number, so the year's figures (reports, distinct reporters, hours)
 * stay the same while no report can be tied to a member any more.
 */
async function anonymiseReports(db: PrismaClient, before: Date): Promise<number> {
  const lastYear = before.getUTCFullYear() - 1;
  const due = await db.activityReport.findMany({ where: { memberId: { gt: 0 }, month: { lte: `${lastYear}-12` } }, select: { id: true, memberId: true, month: true } });
  if (due.length === 0) return 0;
  const lowest = await db.activityReport.aggregate({ _min: { memberId: true } });
  let next = Math.min(0, lowest._min.memberId ?? 0) - 1;
  const pseudonyms = new Map<string, number>();
  await db.$transaction(async (tx) => {
    for (const r of due) {
      const key = `${r.month.slice(0, 4)}:${r.memberId}`;
      if (!pseudonyms.has(key)) pseudonyms.set(key, next--);
      await tx.activityReport.update({ where: { id: r.id }, data: { memberId: pseudonyms.get(key)!, actions: null, otherThemes: null } });
    }
  });
  return due.length;
}
