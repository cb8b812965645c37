/**
 * The training-needs survey: members tick themes (select menus of at most 25 options, as
 * Discord allows) and may describe a need of their own in a form. Results rank the themes and
 * are kept per year for the Caf's annual evaluation. Results show counts and the free-text needs
 * without names: the evaluation is about the network's needs, not about who has them.
 */
import type { PollDeps } from "./common.js";
import type { Member, Prisma } from "../../store/index.js";
import { audit } from "../audit.js";
import { publishRecord } from "../publication.js";
import { UserError } from "../errors.js";
import { LIMITS, componentId, type ComponentRow, type Reply, type ReplyField } from "../reply.js";
import { platformsLabel, postingReport } from "../publication.js";
import { cut, sameText, splitList } from "../text-lists.js";
import { InputRefused, type Problem } from "./common.js";
import { plural } from "../../shared/plural.js";
import { bar, percent } from "./tally.js";
import { DEFAULT_THEMES, type Theme } from "./training-themes.js";
import { formatWhen } from "../dates.js";
import { parseClosing } from "./when.js";
import { practiceField } from "../privacy/reminder.js";

const TRAINING_LIMITS = { themes: 40, themeLength: 90, needLength: 1000 } as const;
export const SURVEY_CHANNEL = "annonces" as const;
export const SURVEY_JOBS = { close: "survey.close" } as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [SURVEY_JOBS.close]: { surveyId: number };
  }
}
const surveyJobKey = (id: number) => `survey:${id}:close`;

type Survey = Prisma.TrainingSurveyGetPayload<object>;

interface SurveyDraft {
  themes: Theme[];
  closesAt?: Date;
  closingReading?: string;
}

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

  private themes(survey: Survey): Theme[] {
    return JSON.parse(survey.themes) as Theme[];
  }

  async open(draft: SurveyDraft, actorId: number): Promise<Reply> {
    const { db, clock, services, timeZone } = this.deps;
    const already = await db.trainingSurvey.findFirst({ where: { state: "open" } });
    if (already) throw new UserError(`L'enquête n°${already.id} sur les besoins de formation est encore ouverte : clôturez-la d'abord avec \`/formation cloturer\`. Rien n'a été enregistré.`);
    const now = clock.now();
    const { record: survey, refs, failures } = await publishRecord(this.deps, {
      subject: "survey",
      channel: SURVEY_CHANNEL,
      auditTarget: "survey",
      create: async (tx) => {
        const created = await tx.trainingSurvey.create({ data: { year: yearIn(now, timeZone), themes: JSON.stringify(draft.themes), closesAt: draft.closesAt ?? null, createdById: actorId, createdAt: now } });
        if (draft.closesAt) await services.jobs.schedule({ kind: SURVEY_JOBS.close, dueAt: draft.closesAt, payload: { surveyId: created.id }, dedupeKey: surveyJobKey(created.id) }, tx);
        await audit(tx, { actorId, action: "survey.open", targetType: "survey", targetId: created.id, details: { annee: created.year, themes: draft.themes.map((t) => t.label) } }, now);
        return created;
      },
      render: (created) => this.message(created, 0),
      jobKeys: (created) => [surveyJobKey(created.id)],
      discard: (tx, created) => tx.trainingSurvey.delete({ where: { id: created.id } }),
    });
    return {
      text: `Enquête n°${survey.id} sur les besoins de formation ${survey.year} publiée (${platformsLabel(refs)}) : ${draft.themes.length} thèmes${draft.closingReading ? `, clôture ${draft.closingReading}` : ", sans date de clôture (/formation cloturer)"}.${postingReport(failures)}`,
      private: true,
      tone: failures.length ? "warning" : "success",
    };
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

  /** Theme select menus of at most 25 options each (Discord's limit), then the buttons. */
  message(survey: Survey, respondents: number): Reply {
    const themes = this.themes(survey);
    const open = survey.state === "open";
    const components: ComponentRow[] = [];
    if (open) {
      const chunks = Math.ceil(themes.length / LIMITS.selectOptions);
      for (let c = 0; c < chunks; c++) {
        const part = themes.slice(c * LIMITS.selectOptions, (c + 1) * LIMITS.selectOptions);
        components.push({
          select: {
            kind: "select",
            id: componentId("formation", "coche", survey.id, c),
            placeholder: chunks > 1 ? `Thèmes ${c * LIMITS.selectOptions + 1} à ${c * LIMITS.selectOptions + part.length} : cochez ceux qui vous intéressent` : "Cochez les thèmes qui vous intéressent",
            options: part.map((t) => ({ label: cut(t.label, 75), value: t.key })),
            minValues: 0,
            maxValues: part.length,
          },
        });
      }
      components.push({
        buttons: [
          { kind: "button", id: componentId("formation", "libre", survey.id), label: "Un autre besoin…", style: "primary" },
          { kind: "button", id: componentId("formation", "mes", survey.id), label: "Mes réponses", style: "secondary" },
        ],
      });
    }
    const list = themes.map((t, i) => `${i + 1}. ${t.label}`).join("\n");
    return {
      title: `🎓 Besoins de formation ${survey.year}${open ? "" : " — enquête close"}`,
      text:
        (open
          ? `Les formations du réseau sont construites à partir de vos besoins. Cochez les thèmes qui vous seraient utiles (un nouveau choix remplace le précédent), et décrivez un besoin qui n'y est pas avec « Un autre besoin… ».${survey.closesAt ? ` Réponses jusqu'au ${formatWhen(survey.closesAt, this.deps.timeZone)}.` : ""}`
          : "L'enquête est close : merci pour vos réponses.") + `\n${list}\n**${plural(respondents, "réponse", "réponses")}**`,
      components,
      tone: open ? "info" : "success",
    };
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
  async tick(surveyId: number, member: Member, chunk: number, values: string[]): Promise<Reply> {
    const survey = await this.get(surveyId);
    this.openSurvey(survey);
    const themes = this.themes(survey);
    const part = themes.slice(chunk * LIMITS.selectOptions, (chunk + 1) * LIMITS.selectOptions);
    const keys = new Set(part.map((t) => t.key));
    const chosen = [...new Set(values)].filter((v) => keys.has(v));
    await this.db.$transaction([
      this.db.trainingTick.deleteMany({ where: { surveyId, memberId: member.id, theme: { in: [...keys] } } }),
      this.db.trainingTick.createMany({ data: chosen.map((theme) => ({ surveyId, memberId: member.id, theme })) }),
    ]);
    this.deps.live.request(`survey:${survey.id}`);
    return this.mine(surveyId, member, "C'est noté.");
  }

  needForm(surveyId: number, current?: string): Reply {
    return {
      modal: {
        id: componentId("formation", "besoin", surveyId),
        title: "Un besoin de formation",
        fields: [practiceField({ id: "besoin", label: "Votre besoin, en quelques mots", style: "paragraph", required: false, value: current, maxLength: TRAINING_LIMITS.needLength })],
      },
    };
  }

  async needFormFor(surveyId: number, member: Member): Promise<Reply> {
    const survey = await this.get(surveyId);
    this.openSurvey(survey);
    const need = await this.db.trainingNeed.findUnique({ where: { surveyId_memberId: { surveyId, memberId: member.id } } });
    return this.needForm(surveyId, need?.text);
  }

  /** One free-text need per member and survey; an empty form removes it. */
  async saveNeed(surveyId: number, member: Member, text: string): Promise<Reply> {
    const survey = await this.get(surveyId);
    this.openSurvey(survey);
    const need = text.trim();
    if (need.length > TRAINING_LIMITS.needLength) throw new InputRefused([{ field: "besoin", message: `${TRAINING_LIMITS.needLength} caractères au plus (${need.length} donnés)` }]);
    if (need.length > 0 && need.length < 3) throw new InputRefused([{ field: "besoin", message: "3 caractères au moins" }]);
    const key = { surveyId_memberId: { surveyId, memberId: member.id } };
    if (need) await this.db.trainingNeed.upsert({ where: key, create: { surveyId, memberId: member.id, text: need, updatedAt: this.deps.clock.now() }, update: { text: need, updatedAt: this.deps.clock.now() } });
    else await this.db.trainingNeed.deleteMany({ where: { surveyId, memberId: member.id } });
    this.deps.live.request(`survey:${survey.id}`);
    return this.mine(surveyId, member, need ? "Votre besoin est enregistré." : "Votre besoin est retiré.");
  }

  async mine(surveyId: number, member: Member, head = ""): Promise<Reply> {
    const survey = await this.get(surveyId);
    const themes = this.themes(survey);
    const ticks = new Set((await this.db.trainingTick.findMany({ where: { surveyId, memberId: member.id } })).map((t) => t.theme));
    const need = await this.db.trainingNeed.findUnique({ where: { surveyId_memberId: { surveyId, memberId: member.id } } });
    const chosen = themes.filter((t) => ticks.has(t.key)).map((t) => `- ${t.label}`);
    return {
      text: `${head ? `${head} ` : ""}Vos thèmes : ${chosen.length ? `\n${chosen.join("\n")}` : "aucun."}${need ? `\nVotre besoin : « ${need.text} »` : ""}`,
      private: true,
      tone: head ? "success" : undefined,
    };
  }

  async render(surveyId: number): Promise<void> {
    const survey = await this.db.trainingSurvey.findUnique({ where: { id: surveyId } });
    if (!survey) return;
    await this.deps.services.notifications.edit(await this.deps.posted.refs("survey", survey.id, "channel"), this.message(survey, await this.respondents(survey.id)));
  }

  async close(actorId: number | null, surveyId?: number): Promise<Reply> {
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
    return { text: `Enquête n°${survey.id} close. Ses résultats restent consultables : \`/formation resultats annee:${survey.year}\`.`, private: true, tone: "success" };
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
  async results(year: number | undefined): Promise<Reply> {
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
      const themes = this.themes(s);
      for (const t of themes) if (!byLabel.has(sameText(t.label))) byLabel.set(sameText(t.label), { label: t.label, order: order++, voters: new Set() });
      const labelOf = new Map(themes.map((t) => [t.key, sameText(t.label)]));
      for (const tick of ticks.filter((x) => x.surveyId === s.id)) {
        const label = labelOf.get(tick.theme);
        if (label) byLabel.get(label)!.voters.add(`${s.id}:${tick.memberId}`);
      }
    }
    const ranked = [...byLabel.values()].sort((a, b) => b.voters.size - a.voters.size || a.order - b.order);
    const lines = ranked.map((t, i) => `${i + 1}. ${t.label} — \`${bar(respondents ? t.voters.size / respondents : 0)}\` ${t.voters.size} (${percent(t.voters.size, respondents)} %)`);
    const fields: ReplyField[] = [];
    const needLines = needs.map((n) => `- ${n.text.replace(/\s+/g, " ")}`);
    // Free-text needs in fields of at most 1024 characters (Discord's limit), as many as fit.
    let chunk: string[] = [];
    const flush = () => {
      if (chunk.length) fields.push({ name: fields.length ? "Besoins exprimés (suite)" : `Besoins exprimés librement (${needs.length})`, value: chunk.join("\n") });
      chunk = [];
    };
    for (const line of needLines) {
      const item = cut(line, 1000);
      if ([...chunk, item].join("\n").length > LIMITS.fieldValue) flush();
      chunk.push(item);
    }
    flush();
    const open = surveys.filter((s) => s.state === "open").length;
    return {
      title: `🎓 Besoins de formation ${wanted} — classement des thèmes`,
      text: `${plural(respondents, "réponse", "réponses")} (${surveys.length > 1 ? `${surveys.length} enquêtes` : `enquête n°${surveys[0]!.id}`}${open ? ", encore ouverte" : ", close"}).\n${lines.join("\n")}`,
      fields: fields.slice(0, LIMITS.fields),
      private: true,
    };
  }
}
