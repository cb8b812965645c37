import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext } from "../src/bot/command.js";
import { numberArgs } from "../src/core/reply.js";
import { requireChannel } from "../src/core/publication.js";
import { SURVEY_CHANNEL, parseSurveyDraft } from "../src/core/polls/training.js";
import { DEFAULT_THEMES } from "../src/core/polls/training-themes.js";
import { STAFF } from "../src/core/roles.js";

const training = (ctx: BaseContext) => ctx.features.polls.training;

export default defineCommand({
  name: "formation",
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
        return training(ctx).open(draft, member.id);
      },
    }),
    sub({
      name: "resultats",
      description: "Classement des thèmes demandés, par année (pour l'évaluation)",
      roles: [...STAFF, "REFERENT_CAF"],
      options: { annee: opt.year("Année (celle de la dernière enquête par défaut)").optional() },
      run(ctx) {
        return training(ctx).results(ctx.options.annee);
      },
    }),
    sub({
      name: "cloturer",
      description: "Clore l'enquête en cours (ses résultats restent consultables)",
      options: {},
      run(ctx) {
        return training(ctx).close(ctx.member.id);
      },
    }),
  ],
  // Answering is open to every member, whatever the command's own roles.
  components: {
    coche: {
      roles: [],
      run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        const [chunk] = numberArgs(ctx.args.slice(1), 1, 0);
        return training(ctx).tick(id!, ctx.member, chunk!, ctx.values);
      },
    },
    libre: {
      roles: [],
      run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return training(ctx).needFormFor(id!, ctx.member);
      },
    },
    mes: {
      roles: [],
      run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return training(ctx).mine(id!, ctx.member);
      },
    },
  },
  modals: {
    besoin: {
      roles: [],
      run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return training(ctx).saveNeed(id!, ctx.member, ctx.fields.besoin ?? "");
      },
    },
  },
});
