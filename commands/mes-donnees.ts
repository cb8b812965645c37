import { defineCommand, sub, type BaseContext } from "../src/bot/command.js";
import { exportFiles, summaryReply } from "../src/core/privacy/index.js";
import type { Reply } from "../src/core/reply.js";

const privacy = (ctx: BaseContext) => ctx.features.privacy;

/** What erasure does, said before the person confirms (shared with /membre effacer). */
export const ERASURE_EXPLAINED =
  "Seront effacés : nom, prénom, structure, commune, e-mail, contact, réseaux, photo, comptes Discord et Slack liés, " +
  "et les textes écrits (questions, actions des bilans, besoins de formation, commentaires de veille). " +
  "Vos votes, réponses et présences restent comptés, sans votre nom ; le journal garde les actions avec « effacé » à la place des valeurs. " +
  "**C'est définitif.**";

export default defineCommand({
  name: "mes-donnees",
  description: "Voir, exporter ou effacer vos données personnelles (RGPD)",
  // Data rights outlive membership: a member who left may still see, take or erase their data.
  formerMembers: "served",
  subcommands: [
    sub({
      name: "voir",
      description: "Ce que le bot garde à votre sujet, par catégorie, et combien de temps",
      options: {},
      async run(ctx) {
        const [data, retention] = await Promise.all([privacy(ctx).collect(ctx.member.id), privacy(ctx).retention()]);
        return summaryReply(data, retention, ctx.timeZone);
      },
    }),
    sub({
      name: "exporter",
      description: "Recevoir en privé toutes vos données (fichiers JSON et Markdown)",
      options: {},
      async run(ctx) {
        const [data, retention] = await Promise.all([privacy(ctx).collect(ctx.member.id), privacy(ctx).retention()]);
        return {
          text: "Voici toutes vos données, en deux fichiers : l'un pour un logiciel (JSON), l'autre à lire (Markdown).",
          files: exportFiles(data, retention, ctx.timeZone),
          private: true,
          tone: "success",
        };
      },
    }),
    sub({
      name: "effacer",
      description: "Effacer vos données personnelles (un bouton demande confirmation)",
      options: {},
      run(): Reply {
        return {
          title: "Effacer vos données ?",
          text: `${ERASURE_EXPLAINED}\nVous pourrez revenir dans le réseau plus tard, avec une nouvelle fiche.`,
          components: [
            {
              buttons: [
                { kind: "button", id: "mes-donnees:confirmer", label: "Oui, effacer mes données", style: "danger" },
                { kind: "button", id: "mes-donnees:annuler", label: "Annuler", style: "secondary" },
              ],
            },
          ],
          private: true,
          tone: "warning",
        };
      },
    }),
  ],
  components: {
    confirmer: {
      async run(ctx) {
        await privacy(ctx).erase(ctx.member.id, { id: ctx.member.id, as: "membre" });
        return { text: "Vos données sont effacées. Merci pour votre engagement dans le réseau.", private: true, update: true, tone: "success" };
      },
    },
    annuler: {
      run() {
        return { text: "Rien n'a été effacé.", private: true, update: true };
      },
    },
  },
});
