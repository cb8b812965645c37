/**
 * The training-needs survey: members tick themes (select menus of at most 25 options, as
 * Discord allows) and may describe a need of their own in a form. Results rank the themes and
 * are kept per year for the Caf's annual evaluation. Results show counts and the free-text needs
 * without names: the evaluation is about the network's needs, not about who has them.
 *
 * The rules live here and return domain results (./training-model.ts); the replies are built in
 * ./training-views.ts.
 */
import type { PollDeps } from "./common.js";
import type { Member } from "../../store/index.js";
import { audit } from "../audit.js";
import { publishRecord, type Published } from "../publication.js";
import { UserError } from "../errors.js";
import { LIMITS } from "../reply.js";
import { cut, sameText, splitList } from "../text-lists.js";
import { InputRefused, type Problem } from "./common.js";
import { DEFAULT_THEMES, type Theme } from "./training-themes.js";
import { parseClosing } from "./when.js";
import { TRAINING_LIMITS, surveyThemes, type MyAnswers, type Survey, type SurveyDraft, type ThemeRanking } from "./training-model.js";
import { surveyMessage } from "./training-views.js";

export const SURVEY_CHANNEL = "annonces" as const;
export const SURVEY_JOBS = { close: "survey.close" } as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [SURVEY_JOBS.close]: { surveyId: number };
  }
}
const surveyJobKey = (id: number) => `survey:${id}:close`;

/** The survey needs what a poll needs. */
type TrainingDeps = PollDeps;

function yearIn(date: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(date));
}

/** The default list, less what `remove` names (numbers or labels), plus what `add` lists. */
export function parseSurveyDraft(input: { add?: string; remove?: string; closing?: string }, now: Date, timeZone: string): SurveyDraft {
  const problems: Problem[] = [];
  let themes: Theme[] = [...DEFAULT_THEMES];
  for (const item of splitList(input.remove ?? "")) {
    if (!item) continue;
    const n = /^\d{1,2}$/.test(item) ? Number(item) : NaN;
    const hit = Number.isInteger(n) ? DEFAULT_THEMES[n - 1] : DEFAULT_THEMES.find((t) => sameText(t.label) === sameText(item) || t.key === item.toLowerCase());
    if (!hit) problems.push({ field: "retirer", message: `« ${item} » n'est pas un thème de la liste (donnez son numéro, de 1 à ${DEFAULT_THEMES.length}, ou son intitulé exact)` });
    else themes = themes.filter((t) => t.key !== hit.key);
  }
  let custom = 0;
  splitList(input.add ?? "").forEach((label, i) => {
    if (!label) return void problems.push({ field: "ajouter", message: `le thème ${i + 1} est vide (deux « ; » à la suite ?)` });
    if (label.length > TRAINING_LIMITS.themeLength) return void problems.push({ field: "ajouter", message: `« ${cut(label, 30)} » dépasse ${TRAINING_LIMITS.themeLength} caractères` });
    if (themes.some((t) => sameText(t.label) === sameText(label))) return void problems.push({ field: "ajouter", message: `« ${label} » est déjà dans la liste` });
    themes.push({ key: `c${++custom}`, label });
  });
  if (themes.length === 0) problems.push({ field: "retirer", message: "il doit rester au moins un thème" });
  if (themes.length > TRAINING_LIMITS.themes) problems.push({ field: "ajouter", message: `${TRAINING_LIMITS.themes} thèmes au plus (${themes.length} avec vos ajouts)` });
  let closesAt: Date | undefined;
  let closingReading: string | undefined;
  if (input.closing?.trim()) {
    const closing = parseClosing(input.closing, now, timeZone);
    if (closing.ok) ({ at: closesAt, reading: closingReading } = closing.value);
    else problems.push({ field: "cloture", message: closing.error, expected: "une date à venir, par exemple « 30/06/2026 18h »" });
  }
  if (problems.length) throw new InputRefused(problems);
  return { themes, closesAt, closingReading };
}

export class TrainingSurveyService {
  constructor(private readonly deps: TrainingDeps) {}

  private get db() {
    return this.deps.db;
  }

  async open(draft: SurveyDraft, actorId: number): Promise<Published<Survey>> {
    const { db, clock, services, timeZone } = this.deps;
    const already = await db.trainingSurvey.findFirst({ where: { state: "open" } });
    if (already) throw new UserError(`L'enquête n°${already.id} sur les besoins de formation est encore ouverte : clôturez-la d'abord avec \`/formation cloturer\`. Rien n'a été enregistré.`);
    const now = clock.now();
    return publishRecord(this.deps, {
      subject: "survey",
      channel: SURVEY_CHANNEL,
      auditTarget: "survey",
      create: async (tx) => {
        const created = await tx.trainingSurvey.create({ data: { year: yearIn(now, timeZone), themes: JSON.stringify(draft.themes), closesAt: draft.closesAt ?? null, createdById: actorId, createdAt: now } });
        if (draft.closesAt) await services.jobs.schedule({ kind: SURVEY_JOBS.close, dueAt: draft.closesAt, payload: { surveyId: created.id }, dedupeKey: surveyJobKey(created.id) }, tx);
        await audit(tx, { actorId, action: "survey.open", targetType: "survey", targetId: created.id, details: { annee: created.year, themes: draft.themes.map((t) => t.label) } }, now);
        return created;
      },
      render: (created) => surveyMessage(created, 0, timeZone),
      jobKeys: (created) => [surveyJobKey(created.id)],
      discard: (tx, created) => tx.trainingSurvey.delete({ where: { id: created.id } }),
    });
  }

  async get(id: number): Promise<Survey> {
    const survey = await this.db.trainingSurvey.findUnique({ where: { id } });
    if (!survey) throw new UserError(`L'enquête n°${id} n'existe pas.`);
    return survey;
  }

  private async current(): Promise<Survey> {
    const survey = await this.db.trainingSurvey.findFirst({ where: { state: "open" }, orderBy: { id: "desc" } });
    if (!survey) throw new UserError("Aucune enquête sur les besoins de formation n'est ouverte.");
    return survey;
  }

  private async respondents(surveyId: number): Promise<number> {
    const ticks = await this.db.trainingTick.findMany({ where: { surveyId }, select: { memberId: true }, distinct: ["memberId"] });
    const needs = await this.db.trainingNeed.findMany({ where: { surveyId }, select: { memberId: true } });
    return new Set([...ticks, ...needs].map((r) => r.memberId)).size;
  }

  private openSurvey(survey: Survey): void {
    if (survey.state !== "open" || (survey.closesAt && survey.closesAt.getTime() <= this.deps.clock.now().getTime())) {
      throw new UserError(`L'enquête n°${survey.id} est close : votre réponse n'a pas été enregistrée.`);
    }
  }

  /** A select's values replace the member's ticks among that select's themes. */
  async tick(surveyId: number, member: Member, chunk: number, values: string[]): Promise<MyAnswers> {
    const survey = await this.get(surveyId);
    this.openSurvey(survey);
    const themes = surveyThemes(survey);
    const part = themes.slice(chunk * LIMITS.selectOptions, (chunk + 1) * LIMITS.selectOptions);
    const keys = new Set(part.map((t) => t.key));
    const chosen = [...new Set(values)].filter((v) => keys.has(v));
    await this.db.$transaction([
      this.db.trainingTick.deleteMany({ where: { surveyId, memberId: member.id, theme: { in: [...keys] } } }),
      this.db.trainingTick.createMany({ data: chosen.map((theme) => ({ surveyId, memberId: member.id, theme })) }),
    ]);
    this.deps.live.request(`survey:${survey.id}`);
    return this.mine(surveyId, member);
  }

  /** The member's need as they wrote it, to edit in the form (open surveys only). */
  async currentNeed(surveyId: number, member: Member): Promise<string | undefined> {
    const survey = await this.get(surveyId);
    this.openSurvey(survey);
    const need = await this.db.trainingNeed.findUnique({ where: { surveyId_memberId: { surveyId, memberId: member.id } } });
    return need?.text;
  }

  /** One free-text need per member and survey; an empty form removes it. */
  async saveNeed(surveyId: number, member: Member, text: string): Promise<MyAnswers> {
    const survey = await this.get(surveyId);
    this.openSurvey(survey);
    const need = text.trim();
    if (need.length > TRAINING_LIMITS.needLength) throw new InputRefused([{ field: "besoin", message: `${TRAINING_LIMITS.needLength} caractères au plus (${need.length} donnés)` }]);
    if (need.length > 0 && need.length < 3) throw new InputRefused([{ field: "besoin", message: "3 caractères au moins" }]);
    const key = { surveyId_memberId: { surveyId, memberId: member.id } };
    if (need) await this.db.trainingNeed.upsert({ where: key, create: { surveyId, memberId: member.id, text: need, updatedAt: this.deps.clock.now() }, update: { text: need, updatedAt: this.deps.clock.now() } });
    else await this.db.trainingNeed.deleteMany({ where: { surveyId, memberId: member.id } });
    this.deps.live.request(`survey:${survey.id}`);
    return this.mine(surveyId, member);
  }

  async mine(surveyId: number, member: Member): Promise<MyAnswers> {
    const survey = await this.get(surveyId);
    const themes = surveyThemes(survey);
    const ticks = new Set((await this.db.trainingTick.findMany({ where: { surveyId, memberId: member.id } })).map((t) => t.theme));
    const need = await this.db.trainingNeed.findUnique({ where: { surveyId_memberId: { surveyId, memberId: member.id } } });
    return { ticked: themes.filter((t) => ticks.has(t.key)), need: need?.text ?? null };
  }

  async render(surveyId: number): Promise<void> {
    const survey = await this.db.trainingSurvey.findUnique({ where: { id: surveyId } });
    if (!survey) return;
    await this.deps.services.notifications.edit(await this.deps.posted.refs("survey", survey.id, "channel"), surveyMessage(survey, await this.respondents(survey.id), this.deps.timeZone));
  }

  async close(actorId: number | null, surveyId?: number): Promise<Survey> {
    const survey = surveyId === undefined ? await this.current() : await this.get(surveyId);
    const now = this.deps.clock.now();
    const done = await this.db.$transaction(async (tx) => {
      const { count } = await tx.trainingSurvey.updateMany({ where: { id: survey.id, state: "open" }, data: { state: "closed", closedAt: now } });
      if (count === 0) return false;
      await this.deps.services.jobs.cancel(surveyJobKey(survey.id), tx);
      if (actorId !== null) await audit(tx, { actorId, action: "survey.close", targetType: "survey", targetId: survey.id }, now);
      return true;
    });
    if (!done) throw new UserError(`L'enquête n°${survey.id} est déjà close.`);
    await this.render(survey.id);
    return survey;
  }

  async closeDue(surveyId: number): Promise<void> {
    await this.close(null, surveyId).catch((err: unknown) => {
      if (!(err instanceof UserError)) throw err;
    });
  }

  /**
   * Ranks the themes of a year (every survey of that year counted together: a theme is matched by
   * its label), with the free-text needs, without names.
   */
  async results(year: number | undefined): Promise<ThemeRanking> {
    const wanted = year ?? (await this.db.trainingSurvey.findFirst({ orderBy: { id: "desc" } }))?.year;
    const surveys = wanted === undefined ? [] : await this.db.trainingSurvey.findMany({ where: { year: wanted }, orderBy: { id: "asc" } });
    if (surveys.length === 0) {
      const years = (await this.db.trainingSurvey.findMany({ select: { year: true }, distinct: ["year"], orderBy: { year: "asc" } })).map((s) => s.year);
      throw new UserError(year ? `Aucune enquête sur les besoins de formation en ${year}.${years.length ? ` Années disponibles : ${years.join(", ")}.` : ""}` : "Aucune enquête sur les besoins de formation n'a encore été ouverte (/formation besoins).");
    }
    const ids = surveys.map((s) => s.id);
    const ticks = await this.db.trainingTick.findMany({ where: { surveyId: { in: ids } } });
    const needs = await this.db.trainingNeed.findMany({ where: { surveyId: { in: ids } }, orderBy: { id: "asc" } });
    const respondents = new Set([...ticks, ...needs].map((r) => `${r.surveyId}:${r.memberId}`)).size;
    const byLabel = new Map<string, { label: string; order: number; voters: Set<string> }>();
    let order = 0;
    for (const s of surveys) {
      const themes = surveyThemes(s);
      for (const t of themes) if (!byLabel.has(sameText(t.label))) byLabel.set(sameText(t.label), { label: t.label, order: order++, voters: new Set() });
      const labelOf = new Map(themes.map((t) => [t.key, sameText(t.label)]));
      for (const tick of ticks.filter((x) => x.surveyId === s.id)) {
        const label = labelOf.get(tick.theme);
        if (label) byLabel.get(label)!.voters.add(`${s.id}:${tick.memberId}`);
      }
    }
    const ranked = [...byLabel.values()].sort((a, b) => b.voters.size - a.voters.size || a.order - b.order).map((t) => ({ label: t.label, votes: t.voters.size }));
    return { year: wanted!, surveys, respondents, ranked, needs: needs.map((n) => n.text) };
  }
}
