// Questions from the Promeneurs to the network's animator (« répondre aux questions des
// Promeneurs », cahier des charges). A question is seen by its asker, the animator and admins
// only: anyone else gets « introuvable », exactly as for an id that does not exist, so ids leak
// nothing. The response time (asked → first answer) is kept for the dashboard.
import { z } from "zod";

import type { PrismaClient, Member, Role } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import { choicesText, matchChoice } from "../choices.js";
import { UserError, type FieldProblem } from "../errors.js";
import { FormError } from "../form-error.js";
import { issueText } from "../zod-french.js";

export const QUESTION_CATEGORIES = {
  pratique: "Pratique en ligne",
  reglementation: "Réglementation",
  outils: "Outils",
  orientation: "Orientation d'un jeune ou d'un parent",
  autre: "Autre",
} as const;
export type QuestionCategory = keyof typeof QUESTION_CATEGORIES;

export { PRIVACY_REMINDER } from "../privacy/reminder.js";

/** Who answers and sees every question: the animator; admins see everything. */
export const QUESTION_STAFF: readonly Role[] = ["ANIMATEUR", "ADMIN"];
const isQuestionStaff = (m: Pick<Member, "role">) => QUESTION_STAFF.includes(m.role);

export interface QuestionView {
  id: number;
  askerId: number;
  subject: string;
  body: string;
  category: QuestionCategory;
  state: "open" | "closed";
  askedAt: Date;
  firstAnsweredAt: Date | null;
  closedAt: Date | null;
  /** The animator's answers and the asker's follow-ups (`fromAsker`), oldest first. */
  answers: { authorId: number; body: string; answeredAt: Date; fromAsker: boolean }[];
}

/** The key or the label, read like the /question poser option reads it (core/choices.ts). */
const categoryOf = (raw: string): QuestionCategory | undefined => matchChoice(raw, QUESTION_CATEGORIES);

const subjectSchema = z.string().trim().min(3, "au moins 3 caractères").max(120, "120 caractères au plus");
const bodySchema = z.string().trim().min(10, "au moins 10 caractères").max(3000, "3 000 caractères au plus");
const answerSchema = z.string().trim().min(1, "la réponse est vide").max(3000, "3 000 caractères au plus");
const followUpSchema = z.string().trim().min(3, "au moins 3 caractères").max(3000, "3 000 caractères au plus");

interface QuestionInput {
  subject: string;
  body: string;
  category: string;
}

function validateQuestion(input: QuestionInput): { subject: string; body: string; category: QuestionCategory } {
  const problems: FieldProblem[] = [];
  const subject = subjectSchema.safeParse(input.subject ?? "");
  if (!subject.success) problems.push({ field: "Sujet", input: "sujet", message: issueText(subject.error) });
  const body = bodySchema.safeParse(input.body ?? "");
  if (!body.success) problems.push({ field: "Question", input: "question", message: issueText(body.error) });
  const category = categoryOf(input.category ?? "");
  if (!category) problems.push({ field: "Catégorie", input: "categorie", message: `« ${(input.category ?? "").trim()} » n'est pas une catégorie`, expected: `l'une des catégories ${choicesText(QUESTION_CATEGORIES)}` });
  if (problems.length) throw new FormError(problems);
  return { subject: subject.data!, body: body.data!, category: category! };
}

type Row = Awaited<ReturnType<PrismaClient["question"]["findFirstOrThrow"]>> & {
  answers: { authorId: number; body: string; answeredAt: Date }[];
};

function view(row: Row): QuestionView {
  return {
    id: row.id,
    askerId: row.askerId,
    subject: row.subject,
    body: row.body,
    category: row.category as QuestionCategory,
    state: row.state as "open" | "closed",
    askedAt: row.askedAt,
    firstAnsweredAt: row.firstAnsweredAt,
    closedAt: row.closedAt,
    answers: [...row.answers]
      .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime())
      .map((a) => ({ authorId: a.authorId, body: a.body, answeredAt: a.answeredAt, fromAsker: a.authorId === row.askerId })),
  };
}

const NOT_FOUND = (id: number) => new UserError(`Question n° ${id} introuvable.`);

export class QuestionService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  async ask(asker: Pick<Member, "id">, input: QuestionInput): Promise<QuestionView> {
    const data = validateQuestion(input);
    const row = await this.db.question.create({
      data: { askerId: asker.id, ...data, askedAt: this.clock.now() },
      include: { answers: true },
    });
    return view(row);
  }

  /** The question if `viewer` may see it; « introuvable » otherwise, like a missing id. */
  async get(viewer: Pick<Member, "id" | "role">, id: number): Promise<QuestionView> {
    const row = await this.db.question.findUnique({ where: { id }, include: { answers: { orderBy: { answeredAt: "asc" } } } });
    if (!row || (row.askerId !== viewer.id && !isQuestionStaff(viewer))) throw NOT_FOUND(id);
    return view(row);
  }

  async answer(author: Pick<Member, "id" | "role">, id: number, text: string): Promise<QuestionView> {
    if (!isQuestionStaff(author)) throw NOT_FOUND(id);
    const parsed = answerSchema.safeParse(text ?? "");
    if (!parsed.success) throw new FormError([{ field: "Réponse", message: issueText(parsed.error) }]);
    const now = this.clock.now();
    await this.get(author, id);
    await this.db.$transaction([
      this.db.questionAnswer.create({ data: { questionId: id, authorId: author.id, body: parsed.data, answeredAt: now } }),
      // Only the first answer sets the response time, even when two animators answer at once.
      this.db.question.updateMany({ where: { id, firstAnsweredAt: null }, data: { firstAnsweredAt: now } }),
    ]);
    return this.get(author, id);
  }

  async close(actor: Pick<Member, "id" | "role">, id: number): Promise<{ question: QuestionView; changed: boolean }> {
    if (!isQuestionStaff(actor)) throw NOT_FOUND(id);
    await this.get(actor, id);
    const { count } = await this.db.question.updateMany({ where: { id, state: "open" }, data: { state: "closed", closedAt: this.clock.now(), closedById: actor.id } });
    return { question: await this.get(actor, id), changed: count > 0 };
  }

  /**
   * The asker adds to their question (a detail, « toujours d'actualité ? »). Stored with the answers so
   * the thread reads in order; a closed question opens again. Only the asker may: anyone else gets
   * « introuvable », the animator a sentence saying why.
   */
  async followUp(asker: Pick<Member, "id" | "role">, id: number, text: string): Promise<QuestionView> {
    const question = await this.get(asker, id);
    if (question.askerId !== asker.id) throw new UserError(`Seule la personne qui a posé la question n° ${id} peut la relancer. Pour lui répondre : /question repondre id:${id}`);
    const parsed = followUpSchema.safeParse(text ?? "");
    if (!parsed.success) throw new FormError([{ field: "Relance", message: issueText(parsed.error) }]);
    await this.db.$transaction([
      this.db.questionAnswer.create({ data: { questionId: id, authorId: asker.id, body: parsed.data, answeredAt: this.clock.now() } }),
      this.db.question.update({ where: { id }, data: { state: "open", closedAt: null, closedById: null } }),
    ]);
    return this.get(asker, id);
  }

  async mine(asker: Pick<Member, "id">): Promise<QuestionView[]> {
    const rows = await this.db.question.findMany({ where: { askerId: asker.id }, include: { answers: true }, orderBy: { askedAt: "desc" } });
    return rows.map(view);
  }

  /** Every question, open ones first, the oldest first among them (the ones waiting longest). */
  async list(viewer: Pick<Member, "id" | "role">, limit = 25): Promise<QuestionView[]> {
    if (!isQuestionStaff(viewer)) throw new UserError("Seul l'animateur du réseau voit toutes les questions.");
    const open = await this.db.question.findMany({ where: { state: "open" }, include: { answers: true }, orderBy: { askedAt: "asc" }, take: limit });
    const closed = open.length < limit
      ? await this.db.question.findMany({ where: { state: "closed" }, include: { answers: true }, orderBy: { askedAt: "desc" }, take: limit - open.length })
      : [];
    return [...open, ...closed].map(view);
  }
}

export function statusLabel(q: Pick<QuestionView, "state" | "firstAnsweredAt" | "answers">): string {
  if (q.state === "closed") return "close";
  if (q.firstAnsweredAt && q.answers.at(-1)?.fromAsker) return "relancée, en attente de réponse";
  return q.firstAnsweredAt ? "répondue" : "en attente de réponse";
}
