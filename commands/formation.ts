import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ComponentHandler, type ModalHandler } from "../src/bot/command.js";
import { numberArgs } from "../src/core/reply.js";
import { requireChannel } from "../src/core/publication.js";
import { SURVEY_CHANNEL, parseSurveyDraft } from "../src/core/polls/training.js";
import { DEFAULT_THEMES } from "../src/core/polls/training-themes.js";
import { TRAINING_ACTIONS, TRAINING_COMMAND, TRAINING_FORMS, myAnswersReply, needForm, rankingReply, surveyClosedReply, surveyOpenedReply, type TrainingAction, type TrainingForm } from "../src/core/polls/training-views.js";
import { STAFF } from "../src/core/roles.js";

const training = (ctx: BaseContext) => ctx.features.polls.training;

export default defineCommand({
  name: TRAINING_COMMAND,
  description: "Recenser les besoins de formation des Promeneurs du Net",
  roles: STAFF,
  subcommands: [
    sub({
      name: "besoins",
      description: `Ouvrir l'enquête sur les besoins de formation (${DEFAULT_THEMES.length} thèmes proposés, modifiables)`,
      options: {
        ajouter: opt.text("Thèmes à ajouter, séparés par « ; »", z.string().trim().min(1), "« Intelligence artificielle ; Podcasts »").optional(),
        retirer: opt.text("Thèmes à retirer : numéros ou intitulés séparés par « ; »", z.string().trim().min(1), "« 8 ; 12 »").optional(),
        cloture: opt.text("Date de clôture (facultative), par exemple « 30/06/2026 18h »", z.string().trim().min(1), "« 30/06/2026 18h »").optional(),
      },
      async run(ctx) {
        const { options, clock, timeZone, member } = ctx;
        const draft = parseSurveyDraft({ add: options.ajouter, remove: options.retirer, closing: options.cloture }, clock.now(), timeZone);
        await requireChannel(ctx.services, SURVEY_CHANNEL);
        return surveyOpenedReply(await training(ctx).open(draft, member.id), draft);
      },
    }),
    sub({
      name: "resultats",
      description: "Classement des thèmes demandés, par année (pour l'évaluation)",
      roles: [...STAFF, "REFERENT_CAF"],
      options: { annee: opt.year("Année (celle de la dernière enquête par défaut)").optional() },
      async run(ctx) {
        return rankingReply(await training(ctx).results(ctx.options.annee));
      },
    }),
    sub({
      name: "cloturer",
      description: "Clore l'enquête en cours (ses résultats restent consultables)",
      options: {},
      async run(ctx) {
        return surveyClosedReply(await training(ctx).close(ctx.member.id));
      },
    }),
  ],
  // Answering is open to every member, whatever the command's own roles.
  components: {
    [TRAINING_ACTIONS.tick]: {
      roles: [],
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        const [chunk] = numberArgs(ctx.args.slice(1), 1, 0);
        return myAnswersReply(await training(ctx).tick(id!, ctx.member, chunk!, ctx.values), "ticks");
      },
    },
    [TRAINING_ACTIONS.needForm]: {
      roles: [],
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return needForm(id!, await training(ctx).currentNeed(id!, ctx.member));
      },
    },
    [TRAINING_ACTIONS.mine]: {
      roles: [],
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return myAnswersReply(await training(ctx).mine(id!, ctx.member));
      },
    },
  } satisfies Record<TrainingAction, ComponentHandler>,
  modals: {
    [TRAINING_FORMS.need]: {
      roles: [],
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return myAnswersReply(await training(ctx).saveNeed(id!, ctx.member, ctx.fields.besoin ?? ""), "need");
      },
    },
  } satisfies Record<TrainingForm, ModalHandler>,
});
