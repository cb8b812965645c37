import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ComponentHandler } from "../src/bot/command.js";
import { numberArgs } from "../src/core/reply.js";
import { AVAILABILITY_CHANNEL } from "../src/core/polls/availability.js";
import { AVAILABILITY_LIMITS, parseAvailabilityDraft } from "../src/core/polls/availability-draft.js";
import { AVAILABILITY_ACTIONS, AVAILABILITY_COMMAND, answerSheetReply, availabilityCreatedReply, choiceReply, detailsReply, type AvailabilityAction } from "../src/core/polls/availability-views.js";
import { CAPACITY_RULE, PLACE_RULE, VISIO_RULE } from "../src/core/meetings/place.js";
import { requireChannel } from "../src/core/publication.js";
import { STAFF } from "../src/core/roles.js";

const availability = (ctx: BaseContext) => ctx.features.polls.availability;
const number = (description: string, what: string) => opt.integer(description, z.number().int().min(1, { message: `${what} (1 ou plus)` }), `${what}, par exemple 2`);

export default defineCommand({
  name: AVAILABILITY_COMMAND,
  description: "Planifier les séances d'analyse de la pratique",
  roles: STAFF,
  subcommands: [
    sub({
      name: "planifier",
      description: `Proposer ${AVAILABILITY_LIMITS.slots.min} à ${AVAILABILITY_LIMITS.slots.max} créneaux ; chacun répond Disponible, Si besoin ou Indisponible`,
      options: {
        creneaux: opt.text("Créneaux séparés par « ; », ex. « mardi 10 mars 9h ; jeudi 12 mars 14h-17h »", z.string().trim().min(1), "« mardi 10 mars 9h ; jeudi 12 mars de 14h à 17h »"),
        cloture: opt.text("Fin des réponses, par exemple « vendredi 18h »", z.string().trim().min(1), "« vendredi 18h » ou « 12/03/2026 14h30 »"),
        titre: opt.text("Titre (« Analyse de pratique » par défaut)", z.string().trim().min(1).max(AVAILABILITY_LIMITS.titleLength, { message: `${AVAILABILITY_LIMITS.titleLength} caractères au plus` })).optional(),
        duree: opt.text("Durée d'un créneau sans heure de fin (3h par défaut)", z.string().trim().min(1), "« 3h » ou « 2h30 »").optional(),
        lieu: opt.text("Lieu de la rencontre (adresse ou salle)", PLACE_RULE.schema(), PLACE_RULE.expected).optional(),
        visio: opt.text("Lien de visio de la rencontre (https://…)", VISIO_RULE.schema(), VISIO_RULE.expected).optional(),
        places: opt.integer("Nombre de places (sans limite si absent)", CAPACITY_RULE.schema(), CAPACITY_RULE.expected).optional(),
      },
      async run(ctx) {
        const { options, clock, timeZone, member } = ctx;
        const draft = parseAvailabilityDraft(
          { title: options.titre, slots: options.creneaux, closing: options.cloture, duration: options.duree, place: options.lieu, visio: options.visio, capacity: options.places },
          clock.now(),
          timeZone,
        );
        await requireChannel(ctx.services, AVAILABILITY_CHANNEL);
        return availabilityCreatedReply(await availability(ctx).create(draft, member.id), draft);
      },
    }),
    sub({
      name: "choisir",
      description: "Retenir un créneau, avant ou après la clôture (la rencontre suit)",
      options: { creneau: number("Numéro du créneau", "un numéro de créneau"), id: number("Numéro de la proposition (la dernière par défaut)", "un numéro de proposition").optional() },
      async run(ctx) {
        const id = ctx.options.id ?? (await availability(ctx).latest()).id;
        return choiceReply(await availability(ctx).choose(id, ctx.options.creneau, ctx.member.id), ctx.timeZone);
      },
    }),
    sub({
      name: "reponses",
      description: "Qui est disponible sur quel créneau",
      options: { id: number("Numéro de la proposition (la dernière par défaut)", "un numéro de proposition").optional() },
      async run(ctx) {
        return detailsReply(await availability(ctx).details(ctx.options.id), ctx.timeZone);
      },
    }),
  ],
  components: {
    // Answering is open to every member, whatever the command's own roles.
    [AVAILABILITY_ACTIONS.answer]: {
      roles: [],
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        return answerSheetReply(await availability(ctx).sheet(id!, ctx.member), 1, ctx.timeZone);
      },
    },
    [AVAILABILITY_ACTIONS.page]: {
      roles: [],
      async run(ctx) {
        const [id, page] = numberArgs(ctx.args, 2);
        return { ...answerSheetReply(await availability(ctx).sheet(id!, ctx.member), page!, ctx.timeZone), update: true };
      },
    },
    [AVAILABILITY_ACTIONS.slot]: {
      roles: [],
      async run(ctx) {
        const [id, position, page] = numberArgs(ctx.args, 3);
        const sheet = await availability(ctx).answer(id!, ctx.member, position!, ctx.values[0] ?? "");
        return { ...answerSheetReply(sheet, page!, ctx.timeZone), update: true };
      },
    },
  } satisfies Record<AvailabilityAction, ComponentHandler>,
});
