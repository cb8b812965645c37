import { defineCommand, opt, sub, type BaseContext } from "../src/bot/command.js";
import { ago, formatDateTime } from "../src/core/dates.js";
import {
  PRIVACY_REMINDER,
  QUESTION_CATEGORIES,
  QUESTION_STAFF,
  statusLabel,
  type QuestionCategory,
  type QuestionView,
} from "../src/core/questions/service.js";
import { numberArg, componentId, type Reply } from "../src/core/reply.js";
import { practiceField } from "../src/core/privacy/reminder.js";

const service = (ctx: BaseContext) => ctx.features.questions;

function summaryLine(q: QuestionView, now: Date): string {
  return `- **n° ${q.id}** ${q.subject} — ${QUESTION_CATEGORIES[q.category]} — ${statusLabel(q)} (posée ${ago(q.askedAt, now)})`;
}

/** The card in the animation channel, for a new question or the asker's follow-up. */
function animatorCard(q: QuestionView, askerName: string, timeZone: string, followUp?: string): Reply {
  return {
    title: `${followUp === undefined ? "Question" : "Relance de la question"} n° ${q.id} — ${q.subject}`,
    text: followUp ?? q.body,
    fields: [
      { name: "De", value: askerName, inline: true },
      { name: "Catégorie", value: QUESTION_CATEGORIES[q.category], inline: true },
      { name: "Posée le", value: formatDateTime(q.askedAt, timeZone), inline: true },
    ],
    components: [
      {
        buttons: [
          { kind: "button", id: componentId("question", "repondre", q.id), label: "Répondre", style: "primary" },
          { kind: "button", id: componentId("question", "clore", q.id), label: "Clore", style: "secondary" },
        ],
      },
    ],
  };
}

/** 0 names no question: the service answers « no such question » (see numberArg). */
function parseId(raw: string | undefined): number {
  return numberArg(raw) ?? 0;
}

function askForm(category?: QuestionCategory): Reply {
  return {
    modal: {
      id: "question:poser",
      title: "Une question à l'animateur",
      fields: [
        { id: "sujet", label: "Sujet", style: "short", required: true, maxLength: 120 },
        practiceField({ id: "question", label: "Votre question (sans donnée personnelle)", style: "paragraph", required: true, maxLength: 3000 }),
        {
          id: "categorie",
          label: "Catégorie",
          style: "short",
          required: true,
          value: category,
          // The choices themselves (their labels, accepted as typed), within Discord's 100 characters.
          placeholder: Object.values(QUESTION_CATEGORIES).join(" · "),
          maxLength: 40,
        },
      ],
    },
  };
}

function answerForm(q: QuestionView): Reply {
  return {
    modal: {
      id: componentId("question", "repondre", q.id),
      title: `Réponse à la question n° ${q.id}`.slice(0, 45),
      fields: [{ id: "reponse", label: "Votre réponse (envoyée en privé)", style: "paragraph", required: true, maxLength: 3000 }],
    },
  };
}

function followUpForm(q: QuestionView): Reply {
  return {
    modal: {
      id: componentId("question", "relancer", q.id),
      title: `Relance de la question n° ${q.id}`.slice(0, 45),
      fields: [
        {
          id: "relance",
          label: "Votre précision ou relance",
          style: "paragraph",
          required: true,
          maxLength: 3000,
          placeholder: "Jamais le nom, l'âge ou l'adresse d'un jeune ou d'un parent : décrivez la situation.",
        },
      ],
    },
  };
}

async function closeQuestion(ctx: BaseContext, id: number): Promise<Reply> {
  const { question, changed } = await service(ctx).close(ctx.member, id);
  return { text: changed ? `Question n° ${question.id} close.` : `La question n° ${question.id} était déjà close.`, private: true, tone: "success" };
}

async function followUpQuestion(ctx: BaseContext, id: number, text: string): Promise<Reply> {
  const q = await service(ctx).followUp(ctx.member, id, text);
  const posted = await ctx.services.notifications.toChannel("animation", animatorCard(q, ctx.member.displayName, ctx.timeZone, q.answers.at(-1)!.body));
  if (posted.refs.length === 0) ctx.log.warn({ question: q.id, failures: posted.failures }, "question : salon « animation » injoignable");
  return {
    text: `Votre relance de la question n° ${q.id} est transmise à l'animateur du réseau ; la réponse vous arrivera en message privé.\n*${PRIVACY_REMINDER}*`,
    private: true,
    tone: "success",
  };
}

async function answerQuestion(ctx: BaseContext, id: number, text: string): Promise<Reply> {
  const q = await service(ctx).answer(ctx.member, id, text);
  const asker = await ctx.services.members.get(q.askerId);
  let delivery: "private" | "inbox" | "none" = "none";
  if (asker) {
    const result = await ctx.services.notifications.toMember(
      asker,
      {
        title: `Réponse à votre question n° ${q.id} — ${q.subject}`,
        text: `${q.answers.at(-1)!.body}\n\n*Pour compléter ou relancer : /question relancer id:${q.id}*`,
        fields: [{ name: "Répondu par", value: ctx.member.displayName, inline: true }],
        tone: "info",
      },
      { sensitivity: "private", inboxKey: `question:${q.id}:reponse:${q.answers.length}` },
    );
    delivery = result.inbox ? "inbox" : result.refs.length > 0 ? "private" : "none";
  }
  const words = {
    private: `Réponse envoyée en privé pour la question n° ${q.id}.`,
    inbox: `Réponse enregistrée pour la question n° ${q.id} : les messages privés de la personne sont fermés, la réponse l'attend dans ses \`/messages\` (elle en est avertie dans le salon « rappels » si il est configuré).`,
    none: `Réponse enregistrée pour la question n° ${q.id}, mais le message privé n'a pas pu partir : la personne la verra avec /question mes-questions.`,
  }[delivery];
  return { text: words, private: true, tone: delivery === "private" ? "success" : "warning" };
}

export default defineCommand({
  name: "question",
  description: "Poser une question à l'animateur du réseau",
  subcommands: [
    sub({
      name: "poser",
      description: "Poser une question à l'animateur (un formulaire s'ouvre)",
      options: { categorie: opt.choice("Le domaine de la question", QUESTION_CATEGORIES).optional() },
      run({ options }) {
        return askForm(options.categorie);
      },
    }),
    sub({
      name: "mes-questions",
      description: "Vos questions et leur état, avec les réponses",
      options: {},
      async run(ctx) {
        const mine = await service(ctx).mine(ctx.member);
        if (mine.length === 0) return { text: "Vous n'avez posé aucune question. `/question poser` pour en poser une.", private: true };
        const now = ctx.clock.now();
        const blocks = mine.slice(0, 10).map((q) => {
          const answers = q.answers.map((a) => `> ${a.fromAsker ? "Vous : " : ""}${a.body.replace(/\n/g, "\n> ")}`).join("\n");
          return `${summaryLine(q, now)}${answers ? `\n${answers}` : ""}`;
        });
        return { title: "Vos questions", text: blocks.join("\n"), private: true };
      },
    }),
    sub({
      name: "voir",
      description: "Une question et ses réponses",
      options: { id: opt.integer("Le numéro de la question") },
      async run(ctx) {
        const q = await service(ctx).get(ctx.member, ctx.options.id);
        const answers = q.answers.map((a) => `- ${formatDateTime(a.answeredAt, ctx.timeZone)}${a.fromAsker ? " (relance)" : ""} : ${a.body}`).join("\n");
        return {
          title: `Question n° ${q.id} — ${q.subject}`,
          text: `${q.body}${answers ? `\n\n**Réponses et relances**\n${answers}` : ""}`,
          fields: [
            { name: "Catégorie", value: QUESTION_CATEGORIES[q.category], inline: true },
            { name: "État", value: statusLabel(q), inline: true },
          ],
          private: true,
        };
      },
    }),
    sub({
      name: "liste",
      description: "Toutes les questions, les ouvertes d'abord (les plus anciennes en tête)",
      options: {},
      roles: QUESTION_STAFF,
      async run(ctx) {
        const list = await service(ctx).list(ctx.member);
        if (list.length === 0) return { text: "Aucune question pour l'instant.", private: true };
        const now = ctx.clock.now();
        return { title: "Questions des Promeneurs", text: list.map((q) => summaryLine(q, now)).join("\n"), private: true };
      },
    }),
    sub({
      name: "repondre",
      description: "Répondre à une question (sans texte : un formulaire s'ouvre)",
      options: {
        id: opt.integer("Le numéro de la question"),
        texte: opt.text("La réponse, envoyée en privé à la personne").optional(),
      },
      roles: QUESTION_STAFF,
      async run(ctx) {
        const { id, texte } = ctx.options;
        if (texte !== undefined) return answerQuestion(ctx, id, texte);
        return answerForm(await service(ctx).get(ctx.member, id));
      },
    }),
    sub({
      name: "clore",
      description: "Clore une question",
      options: { id: opt.integer("Le numéro de la question") },
      roles: QUESTION_STAFF,
      run(ctx) {
        return closeQuestion(ctx, ctx.options.id);
      },
    }),
    sub({
      name: "relancer",
      description: "Compléter ou relancer une de vos questions (sans texte : un formulaire s'ouvre)",
      options: {
        id: opt.integer("Le numéro de votre question"),
        texte: opt.text("Votre précision ou relance").optional(),
      },
      async run(ctx) {
        const { id, texte } = ctx.options;
        if (texte !== undefined) return followUpQuestion(ctx, id, texte);
        const q = await service(ctx).get(ctx.member, id);
        if (q.askerId !== ctx.member.id) return followUpQuestion(ctx, id, ""); // says who may
        return followUpForm(q);
      },
    }),
  ],
  components: {
    repondre: {
      roles: QUESTION_STAFF,
      async run(ctx) {
        return answerForm(await service(ctx).get(ctx.member, parseId(ctx.args[0])));
      },
    },
    clore: {
      roles: QUESTION_STAFF,
      run(ctx) {
        return closeQuestion(ctx, parseId(ctx.args[0]));
      },
    },
  },
  modals: {
    poser: {
      async run(ctx) {
        const q = await service(ctx).ask(ctx.member, {
          subject: ctx.fields.sujet ?? "",
          body: ctx.fields.question ?? "",
          category: ctx.fields.categorie ?? "",
        });
        const posted = await ctx.services.notifications.toChannel("animation", animatorCard(q, ctx.member.displayName, ctx.timeZone));
        if (posted.refs.length === 0) ctx.log.warn({ question: q.id, failures: posted.failures }, "question : salon « animation » injoignable");
        return {
          text: `Votre question n° ${q.id} est transmise à l'animateur du réseau ; la réponse vous arrivera en message privé (et dans /question mes-questions).\n*${PRIVACY_REMINDER}*`,
          private: true,
          tone: "success",
        };
      },
    },
    repondre: {
      roles: QUESTION_STAFF,
      async run(ctx) {
        return answerQuestion(ctx, parseId(ctx.args[0]), ctx.fields.reponse ?? "");
      },
    },
    relancer: {
      async run(ctx) {
        return followUpQuestion(ctx, parseId(ctx.args[0]), ctx.fields.relance ?? "");
      },
    },
  },
});
