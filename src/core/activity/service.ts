// Monthly activity reports of the Promeneurs: hours of online educational presence, platforms,
// young people and parents in contact, themes, notable actions. One report per member and month,
// editable until the 10th of the following month (then it belongs to the evaluation).
import { DateTime } from "luxon";
import { z } from "zod";

import type { Member, PrismaClient } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import { FormError } from "../form-error.js";
import { matchChoice } from "../choices.js";
import { UserError } from "../errors.js";
import { issueText } from "../zod-french.js";

export const ACTIVITY_THEMES = {
  harcelement: "Cyberharcèlement, violences en ligne",
  ecrans: "Usage des écrans",
  relations: "Relations affectives et sexualité",
  sante: "Santé, mal-être",
  scolarite: "Scolarité, orientation",
  emploi: "Emploi, insertion",
  parentalite: "Soutien à la parentalité",
  droits: "Droits, données personnelles",
  information: "Information, esprit critique",
  loisirs: "Loisirs, culture, projets",
} as const;
export type ActivityTheme = keyof typeof ACTIVITY_THEMES;

/** Reports for month M can be changed until the end of the 10th of M+1 (local time). */
export const EDIT_DAY_LIMIT = 10;

interface ActivityInput {
  /** "YYYY-MM", "MM/YYYY" or "octobre 2026"; default: the oldest month still open (openMonth). */
  month?: string;
  hours: string | number;
  /** Each field left out (undefined) keeps its stored value in a correction; "" or 0 clears it. */
  platforms?: string;
  youth?: number;
  parents?: number;
  /** Theme keys or labels, comma separated. */
  themes?: string;
  otherThemes?: string;
  actions?: string;
}

export interface ActivityReportView {
  memberId: number;
  month: string;
  hours: number;
  platforms: string[];
  youthContacts: number;
  parentContacts: number;
  themes: ActivityTheme[];
  otherThemes: string | null;
  actions: string | null;
  updatedAt: Date;
}

const MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const fold = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();

export function monthLabel(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return `${MONTHS_FR[m! - 1]} ${y}`;
}

/** The month before `now` in `timeZone`, as "YYYY-MM". */
export function lastMonth(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).minus({ months: 1 }).toFormat("yyyy-MM");
}

export function parseMonth(raw: string): string | undefined {
  const value = fold(raw);
  let m = /^(\d{4})-(\d{1,2})$/.exec(value);
  if (m) return valid(Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})[/.-](\d{4})$/.exec(value);
  if (m) return valid(Number(m[2]), Number(m[1]));
  m = /^([a-z]+)\s+(\d{4})$/.exec(value);
  if (m) {
    const index = MONTHS_FR.findIndex((name) => fold(name) === m![1]);
    if (index >= 0) return valid(Number(m[2]), index + 1);
  }
  return undefined;
}

function valid(year: number, month: number): string | undefined {
  if (month < 1 || month > 12 || year < 2000 || year > 2100) return undefined;
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** Key or label, read like every choice typed by hand (core/choices.ts). */
function themeOf(raw: string): ActivityTheme | undefined {
  return matchChoice(raw, ACTIVITY_THEMES);
}

const hoursSchema = z
  .union([z.number(), z.string().trim().transform((s) => (/^-?\d+([.,]\d+)?$/.test(s) ? Number(s.replace(",", ".")) : Number.NaN))])
  .pipe(
    z
      .number({ error: "un nombre d'heures (par exemple 12 ou 7,5)" })
      .refine((n) => !Number.isNaN(n), "un nombre d'heures (par exemple 12 ou 7,5)")
      .refine((n) => n >= 0, "le nombre d'heures ne peut pas être négatif")
      .refine((n) => n <= 400, "400 heures au plus dans un mois"),
  );
const countSchema = (what: string) =>
  z.number().int(`un nombre entier de ${what}`).min(0, `le nombre de ${what} ne peut pas être négatif`).max(100_000, "100 000 au plus");
const textSchema = (max: number) => z.string().trim().max(max, `${max} caractères au plus`);

/** Validates every field and refuses all the bad ones at once; nothing is written on refusal. */
function validateActivity(input: ActivityInput, now: Date, timeZone: string) {
  const problems: { field: string; message: string }[] = [];
  const check = <T>(field: string, result: z.ZodSafeParseResult<T>): T | undefined => {
    if (result.success) return result.data;
    problems.push({ field, message: issueText(result.error) });
    return undefined;
  };
  const current = DateTime.fromJSDate(now, { zone: timeZone }).toFormat("yyyy-MM");
  let month: string | undefined = input.month?.trim() ? parseMonth(input.month) : openMonth(now, timeZone);
  if (!month) problems.push({ field: "mois", message: "un mois comme 2026-10 ou « octobre 2026 »" });
  else if (month > current) {
    problems.push({ field: "mois", message: `${monthLabel(month)} n'a pas encore commencé : on ne déclare qu'un mois en cours ou passé` });
    month = undefined;
  } else if (!editable(month, now, timeZone)) {
    problems.push({ field: "mois", message: `le bilan de ${monthLabel(month)} n'est plus modifiable (jusqu'au ${EDIT_DAY_LIMIT} du mois suivant)` });
    month = undefined;
  }
  // A field left out (undefined) is not checked: it keeps its stored value (see ActivityService.file).
  const given = <T>(field: string, value: unknown, schema: z.ZodType<T>): T | undefined => (value === undefined ? undefined : check(field, schema.safeParse(value)));
  const hours = check("heures", hoursSchema.safeParse(input.hours));
  const youth = given("jeunes", input.youth, countSchema("jeunes"));
  const parents = given("parents", input.parents, countSchema("parents"));
  const platforms = given("plateformes", input.platforms, textSchema(200));
  const otherThemes = given("autres-themes", input.otherThemes, textSchema(300));
  const actions = given("actions", input.actions, textSchema(2000));
  const themes: ActivityTheme[] = [];
  for (const part of (input.themes ?? "").split(/[,;]/).map((s) => s.trim()).filter(Boolean)) {
    const theme = themeOf(part);
    if (!theme) {
      problems.push({ field: "themes", message: `« ${part} » n'est pas dans la liste : ${Object.keys(ACTIVITY_THEMES).join(", ")} (le reste va dans autres-themes)` });
      break;
    }
    if (!themes.includes(theme)) themes.push(theme);
  }
  if (problems.length) throw new FormError(problems);
  return {
    month: month!,
    minutes: Math.round(hours! * 60),
    platforms: platforms === undefined ? undefined : platforms.split(/[,;]/).map((s) => s.trim()).filter(Boolean).join(", "),
    youthContacts: youth,
    parentContacts: parents,
    themes: input.themes === undefined ? undefined : themes.join(","),
    otherThemes: otherThemes === undefined ? undefined : otherThemes || null,
    actions: actions === undefined ? undefined : actions || null,
  };
}

/** What a first filing stores for a field left out. */
const EMPTY_REPORT = { platforms: "", youthContacts: 0, parentContacts: 0, themes: "", otherThemes: null, actions: null };

/**
 * The month `/activite declarer` and `/activite voir` mean when none is given: the oldest month
 * still open, i.e. the previous one until the 10th, then the current one.
 */
export function openMonth(now: Date, timeZone: string): string {
  const previous = lastMonth(now, timeZone);
  return editable(previous, now, timeZone) ? previous : DateTime.fromJSDate(now, { zone: timeZone }).toFormat("yyyy-MM");
}

/** Whether \`/activite declarer mois:<month>\` is accepted at \`now\`: the month has begun and is not closed yet. */
export function fileable(month: string, now: Date, timeZone: string): boolean {
  return month <= DateTime.fromJSDate(now, { zone: timeZone }).toFormat("yyyy-MM") && editable(month, now, timeZone);
}

/** Whether month "YYYY-MM" can still be filed or changed at `now`. */
function editable(month: string, now: Date, timeZone: string): boolean {
  const [y, m] = month.split("-").map(Number);
  const deadline = DateTime.fromObject({ year: y!, month: m!, day: 1 }, { zone: timeZone }).plus({ months: 1, days: EDIT_DAY_LIMIT });
  return now.getTime() < deadline.toMillis();
}

type Row = Awaited<ReturnType<PrismaClient["activityReport"]["findFirstOrThrow"]>>;

function reportView(row: Row): ActivityReportView {
  return {
    memberId: row.memberId,
    month: row.month,
    hours: row.minutes / 60,
    platforms: row.platforms ? row.platforms.split(", ") : [],
    youthContacts: row.youthContacts,
    parentContacts: row.parentContacts,
    themes: row.themes ? (row.themes.split(",") as ActivityTheme[]) : [],
    otherThemes: row.otherThemes,
    actions: row.actions,
    updatedAt: row.updatedAt,
  };
}

const READERS = ["ANIMATEUR", "REFERENT_CAF", "ADMIN"];

export class ActivityService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /** Files or replaces the member's report for the month; returns it and whether it replaced one. */
  async file(member: Pick<Member, "id">, input: ActivityInput): Promise<{ report: ActivityReportView; replaced: boolean }> {
    const now = this.clock.now();
    const data = validateActivity(input, now, this.timeZone);
    const existing = await this.db.activityReport.findUnique({ where: { memberId_month: { memberId: member.id, month: data.month } } });
    // A correction changes what it names: fields left out keep their stored values.
    const named = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as Partial<typeof data> & Pick<typeof data, "month" | "minutes">;
    const row = await this.db.activityReport.upsert({
      where: { memberId_month: { memberId: member.id, month: data.month } },
      create: { memberId: member.id, ...EMPTY_REPORT, ...named, createdAt: now, updatedAt: now },
      update: { ...named, updatedAt: now },
    });
    return { report: reportView(row), replaced: existing !== null };
  }

  /**
   * A member's report. Only its author sees it, plus the animator, the Caf referent and admins
   * (the evaluation); anyone else is told there is none, as if it did not exist.
   */
  async get(viewer: Pick<Member, "id" | "role">, memberId: number, month: string): Promise<ActivityReportView | null> {
    if (viewer.id !== memberId && !READERS.includes(viewer.role)) return null;
    const row = await this.db.activityReport.findUnique({ where: { memberId_month: { memberId, month } } });
    return row ? reportView(row) : null;
  }

  async mine(member: Pick<Member, "id">, limit = 12): Promise<ActivityReportView[]> {
    const rows = await this.db.activityReport.findMany({ where: { memberId: member.id }, orderBy: { month: "desc" }, take: limit });
    return rows.map(reportView);
  }

  /** Active Promeneurs with no report for `month`: whom the monthly reminder is for. */
  async missing(month: string): Promise<number[]> {
    const [members, filed] = await Promise.all([
      this.db.member.findMany({ where: { status: "ACTIVE", role: "PROMENEUR" }, select: { id: true }, orderBy: { id: "asc" } }),
      this.db.activityReport.findMany({ where: { month }, select: { memberId: true } }),
    ]);
    const done = new Set(filed.map((r) => r.memberId));
    return members.map((m) => m.id).filter((id) => !done.has(id));
  }
}

export function requireMonth(raw: string | undefined, now: Date, timeZone: string): string {
  if (!raw?.trim()) return openMonth(now, timeZone);
  const month = parseMonth(raw);
  if (!month) throw new UserError("Cette valeur ne convient pas : **mois** : un mois comme 2026-10 ou « octobre 2026 ».");
  return month;
}
