import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ComponentHandler } from "../src/bot/command.js";
import { numberArg, numberArgs } from "../src/core/reply.js";
import { AUDIENCE_CHOICES } from "../src/core/audiences.js";
import { requireChannel } from "../src/core/publication.js";
import { POLL_LIMITS, parsePollDraft } from "../src/core/polls/draft.js";
import { POLL_CHANNEL } from "../src/core/polls/service.js";
import { POLL_ACTIONS, POLL_COMMAND, chooseReply, closedEarlyReply, createdReply, myVoteReply, resultsReply, voteReply, type PollAction } from "../src/core/polls/views.js";
import { STAFF } from "../src/core/roles.js";

const polls = (ctx: BaseContext) => ctx.features.polls.polls;
const pollId = (description: string) => opt.integer(description, z.number().int().min(1, { message: "un numéro de sondage (1 ou plus)" }), "le numéro du sondage, par exemple 3");

export default defineCommand({
  name: POLL_COMMAND,
  description: "Sondages du réseau, un seul décompte sur toutes les plateformes",
  subcommands: [
    sub({
      name: "creer",
      description: "Publier un sondage avec des boutons de vote sur chaque plateforme",
      roles: STAFF,
      options: {
        question: opt.text("La question posée", z.string().trim().min(3, { message: "3 caractères au moins" }).max(POLL_LIMITS.questionLength, { message: `${POLL_LIMITS.questionLength} caractères au plus` }), "une question de 3 à 200 caractères"),
        options: opt.text(`De ${POLL_LIMITS.options.min} à ${POLL_LIMITS.options.max} réponses possibles, séparées par « ; »`, z.string().trim().min(1), "« Mardi matin ; Jeudi après-midi ; Vendredi soir »"),
        cloture: opt.text("Date de clôture, par exemple « vendredi 18h » ou « 12/03/2026 14h30 »", z.string().trim().min(1), "« vendredi 18h » ou « 12/03/2026 14h30 »"),
        choix: opt.choice("Un seul choix ou plusieurs (un seul par défaut)", { unique: "Un seul choix", multiple: "Plusieurs choix" }).optional(),
        anonyme: opt.boolean("Vote anonyme (non par défaut) : personne ne peut voir qui a voté quoi").optional(),
        public: opt.choice("Qui est invité à voter (tous par défaut)", AUDIENCE_CHOICES).optional(),
        noms: opt.choice("Qui voit qui a voté quoi avant la clôture (l'équipe par défaut)", { equipe: "L'équipe, puis tous à la clôture", visibles: "Tous les membres, dès le vote" }).optional(),
      },
      async run(ctx) {
        const { options, clock, timeZone, member } = ctx;
        const draft = parsePollDraft(
          { question: options.question, options: options.options, multiple: options.choix === "multiple", anonymous: options.anonyme ?? false, namesVisible: options.noms === "visibles", audience: options.public ?? "tous", closing: options.cloture },
          clock.now(),
          timeZone,
        );
        await requireChannel(ctx.services, POLL_CHANNEL);
        return createdReply(await polls(ctx).create(draft, member.id), draft);
      },
    }),
    sub({
      name: "resultats",
      description: "Voir les résultats d'un sondage (le dernier par défaut)",
      options: { id: pollId("Numéro du sondage (le dernier par défaut)").optional() },
      async run(ctx) {
        const { poll, tally, withNames } = await polls(ctx).results(ctx.options.id, ctx.member);
        return resultsReply(poll, tally, withNames, ctx.timeZone);
      },
    }),
    sub({
      name: "cloturer",
      description: "Clore un sondage avant sa date et publier le résultat",
      roles: STAFF,
      options: { id: pollId("Numéro du sondage") },
      async run(ctx) {
        const { poll, posted } = await polls(ctx).closeEarly(ctx.options.id, ctx.member.id);
        return closedEarlyReply(poll.id, posted);
      },
    }),
  ],
  components: {
    [POLL_ACTIONS.vote]: {
      async run(ctx) {
        const [id, position] = numberArgs(ctx.args, 2);
        return voteReply(await polls(ctx).vote(id!, ctx.member, position!), ctx.timeZone);
      },
    },
    [POLL_ACTIONS.choose]: {
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        // Answer ids come from the platform's poll as sent by the bot; anything else names no option.
        const positions = ctx.values.map((v) => numberArg(v) ?? 0);
        const { poll, mine } = await polls(ctx).choose(id!, ctx.member, positions);
        return chooseReply(poll, mine, ctx.timeZone);
      },
    },
    [POLL_ACTIONS.myVote]: {
      async run(ctx) {
        const [id] = numberArgs(ctx.args, 1);
        const { poll, mine } = await polls(ctx).myVote(id!, ctx.member);
        return myVoteReply(poll, mine);
      },
    },
  } satisfies Record<PollAction, ComponentHandler>,
});
