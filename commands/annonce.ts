import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext } from "../src/bot/command.js";
import { ANNOUNCEMENT_LIMITS } from "../src/core/announcements/announcements.js";
import { UserError } from "../src/core/errors.js";
import { AUDIENCE_CHOICES, isAudience, type Audience } from "../src/core/polls/common.js";
import { collective } from "../src/core/polls/index.js";
import { numberArg, componentId, type Reply } from "../src/core/reply.js";
import { STAFF } from "../src/core/roles.js";

const announcements = (ctx: BaseContext) => collective(ctx.services, ctx).announcements;
const id = (description: string) => opt.integer(description, z.number().int().min(1, { message: "un numéro d'annonce (1 ou plus)" }), "le numéro de l'annonce (voir /annonce liste)");
const textOption = (description: string) =>
  opt.text(description, z.string().trim().min(1).max(ANNOUNCEMENT_LIMITS.text, { message: `${ANNOUNCEMENT_LIMITS.text} caractères au plus` }), `un texte de 1 à ${ANNOUNCEMENT_LIMITS.text} caractères`).optional();
const titleOption = () => opt.text("Titre (facultatif)", z.string().trim().min(1).max(ANNOUNCEMENT_LIMITS.title, { message: `${ANNOUNCEMENT_LIMITS.title} caractères au plus` })).optional();

/**
 * The text of an announcement is typed in a form where the platform has one (several lines,
 * no quoting). The publishing choices already made travel in the form's id.
 */
function form(route: string, title: string, current?: { title?: string | null; text?: string }): Reply {
  return {
    modal: {
      id: route,
      title,
      fields: [
        { id: "titre", label: "Titre (facultatif)", style: "short", required: false, value: current?.title ?? undefined, maxLength: ANNOUNCEMENT_LIMITS.title },
        { id: "texte", label: "Texte de l'annonce", style: "paragraph", required: true, value: current?.text, maxLength: ANNOUNCEMENT_LIMITS.text },
      ],
    },
  };
}

const flag = (b: boolean | undefined) => (b ? "1" : "0");

export default defineCommand({
  name: "annonce",
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
      run(ctx) {
        const { options, member } = ctx;
        const audience = options.public ?? "tous";
        if (!options.texte) return form(componentId("annonce", "publier", audience, flag(options.copie), flag(options.epingler)), "Nouvelle annonce", { title: options.titre });
        return announcements(ctx).publish({ title: options.titre, text: options.texte, audience, dmCopy: options.copie ?? false, pin: options.epingler ?? false }, member.id);
      },
    }),
    sub({
      name: "modifier",
      description: "Corriger une annonce partout où elle a été publiée (sans texte : un formulaire s'ouvre)",
      options: { id: id("Numéro de l'annonce"), texte: textOption("Le nouveau texte (sans cette option : un formulaire s'ouvre)"), titre: titleOption() },
      async run(ctx) {
        const { options, member } = ctx;
        const current = await announcements(ctx).editable(options.id);
        if (!options.texte) return form(componentId("annonce", "modifier", current.id), `Annonce n°${current.id}`, { title: options.titre ?? current.title, text: current.text });
        return announcements(ctx).modify(current.id, { title: options.titre, text: options.texte }, member.id);
      },
    }),
    sub({
      name: "supprimer",
      description: "Retirer une annonce : chacun de ses messages indique qu'elle est retirée",
      options: { id: id("Numéro de l'annonce") },
      run(ctx) {
        return announcements(ctx).remove(ctx.options.id, ctx.member.id);
      },
    }),
    sub({
      name: "liste",
      description: "Les dix dernières annonces et leurs numéros",
      options: {},
      run(ctx) {
        return announcements(ctx).list();
      },
    }),
  ],
  modals: {
    publier: {
      run(ctx) {
        const [audience, copie, epingler] = ctx.args;
        if (!audience || !isAudience(audience)) throw new UserError("Ce formulaire n'est plus valable : relancez /annonce publier.");
        return announcements(ctx).publish(
          { title: ctx.fields.titre, text: ctx.fields.texte ?? "", audience: audience as Audience, dmCopy: copie === "1", pin: epingler === "1" },
          ctx.member.id,
        );
      },
    },
    modifier: {
      run(ctx) {
        const n = numberArg(ctx.args[0]);
        if (n === undefined) throw new UserError("Ce formulaire n'est plus valable : relancez /annonce modifier.");
        return announcements(ctx).modify(n, { title: ctx.fields.titre, text: ctx.fields.texte ?? "" }, ctx.member.id);
      },
    },
  },
});
