import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ModalHandler } from "../src/bot/command.js";
import {
  ANNOUNCEMENT_ACTIONS,
  ANNOUNCEMENT_COMMAND,
  ANNOUNCEMENT_LIMITS,
  ANNOUNCEMENT_ROUTES,
  announcementForm,
  listReply,
  modifiedReply,
  publishedReply,
  removedReply,
  type AnnouncementAction,
} from "../src/core/announcements/index.js";
import { AUDIENCE_CHOICES, isAudience } from "../src/core/audiences.js";
import { UserError } from "../src/core/errors.js";
import { numberArg } from "../src/core/reply.js";
import { STAFF } from "../src/core/roles.js";

const announcements = (ctx: BaseContext) => ctx.features.announcements;
const id = (description: string) => opt.integer(description, z.number().int().min(1, { message: "un numéro d'annonce (1 ou plus)" }), "le numéro de l'annonce (voir /annonce liste)");
const textOption = (description: string) =>
  opt.text(description, z.string().trim().min(1).max(ANNOUNCEMENT_LIMITS.text, { message: `${ANNOUNCEMENT_LIMITS.text} caractères au plus` }), `un texte de 1 à ${ANNOUNCEMENT_LIMITS.text} caractères`).optional();
const titleOption = () => opt.text("Titre (facultatif)", z.string().trim().min(1).max(ANNOUNCEMENT_LIMITS.title, { message: `${ANNOUNCEMENT_LIMITS.title} caractères au plus` })).optional();

export default defineCommand({
  name: ANNOUNCEMENT_COMMAND,
  description: "Annonces du réseau (animateur)",
  roles: STAFF,
  subcommands: [
    sub({
      name: "publier",
      description: "Publier une annonce dans le salon « annonces » de chaque plateforme (sans texte : un formulaire)",
      options: {
        texte: textOption("Le texte (sans cette option : un formulaire s'ouvre)"),
        titre: titleOption(),
        public: opt.choice("Pour qui (tous par défaut)", AUDIENCE_CHOICES).optional(),
        copie: opt.boolean("Envoyer aussi une copie par message privé aux membres concernés").optional(),
        epingler: opt.boolean("Épingler l'annonce dans le salon").optional(),
      },
      async run(ctx) {
        const { options, member } = ctx;
        const audience = options.public ?? "tous";
        if (!options.texte) return announcementForm(ANNOUNCEMENT_ROUTES.publish(audience, options.copie, options.epingler), "Nouvelle annonce", { title: options.titre });
        return publishedReply(await announcements(ctx).publish({ title: options.titre, text: options.texte, audience, dmCopy: options.copie ?? false, pin: options.epingler ?? false }, member.id));
      },
    }),
    sub({
      name: "modifier",
      description: "Corriger une annonce partout où elle a été publiée (sans texte : un formulaire s'ouvre)",
      options: { id: id("Numéro de l'annonce"), texte: textOption("Le nouveau texte (sans cette option : un formulaire s'ouvre)"), titre: titleOption() },
      async run(ctx) {
        const { options, member } = ctx;
        const current = await announcements(ctx).editable(options.id);
        if (!options.texte) return announcementForm(ANNOUNCEMENT_ROUTES.modify(current.id), `Annonce n°${current.id}`, { title: options.titre ?? current.title, text: current.text });
        const { messages } = await announcements(ctx).modify(current.id, { title: options.titre, text: options.texte }, member.id);
        return modifiedReply(current.id, messages);
      },
    }),
    sub({
      name: "supprimer",
      description: "Retirer une annonce : chacun de ses messages indique qu'elle est retirée",
      options: { id: id("Numéro de l'annonce") },
      async run(ctx) {
        const { messages } = await announcements(ctx).remove(ctx.options.id, ctx.member.id);
        return removedReply(ctx.options.id, messages);
      },
    }),
    sub({
      name: "liste",
      description: "Les dix dernières annonces et leurs numéros",
      options: {},
      async run(ctx) {
        return listReply(await announcements(ctx).recent(), ctx.timeZone);
      },
    }),
  ],
  modals: {
    [ANNOUNCEMENT_ACTIONS.publish]: {
      async run(ctx) {
        const [audience, copie, epingler] = ctx.args;
        if (!audience || !isAudience(audience)) throw new UserError("Ce formulaire n'est plus valable : relancez /annonce publier.");
        const draft = { title: ctx.fields.titre, text: ctx.fields.texte ?? "", audience, dmCopy: copie === "1", pin: epingler === "1" };
        return publishedReply(await announcements(ctx).publish(draft, ctx.member.id));
      },
    },
    [ANNOUNCEMENT_ACTIONS.modify]: {
      async run(ctx) {
        const n = numberArg(ctx.args[0]);
        if (n === undefined) throw new UserError("Ce formulaire n'est plus valable : relancez /annonce modifier.");
        const { messages } = await announcements(ctx).modify(n, { title: ctx.fields.titre, text: ctx.fields.texte ?? "" }, ctx.member.id);
        return modifiedReply(n, messages);
      },
    },
  } satisfies Record<AnnouncementAction, ModalHandler>,
});
