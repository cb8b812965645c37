import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ComponentHandler } from "../src/bot/command.js";
import { formatDate, formatDateTime } from "../src/core/dates.js";
import { numberArg, privateReply } from "../src/core/reply.js";
import { STAFF } from "../src/core/roles.js";
import { parseCron } from "../src/scheduler/index.js";
import { categoryLabel, WATCH_CATEGORIES } from "../src/core/watch/categories.js";
import { cronInput, digestReply, displayCron, sourcesReply, weekReply } from "../src/core/watch/render.js";
import { ACTIONS, type Action } from "../src/core/watch/routes.js";
import { isHttpUrl } from "../src/core/watch/url.js";
import { practiceOption } from "../src/core/privacy/reminder.js";
import { plural } from "../src/shared/plural.js";

/** The watch of the running bot, built once with it. */
const watchOf = (ctx: BaseContext) => ctx.features.watch;

const url = (description: string) =>
  opt.text(
    description,
    z.string().trim().max(2000, { message: "adresse trop longue (2 000 caractères au plus)" }).refine(isHttpUrl, { message: "ce n'est pas une adresse web (http:// ou https://)" }),
    "une adresse complète commençant par https:// (ou http://)",
  );
const category = (description: string) => opt.choice(description, WATCH_CATEGORIES);
const cron = z
  .string()
  .transform(cronInput)
  .superRefine((value, ctx) => {
    try {
      // The zone does not change whether an expression is valid; the service checks the rest in BOT_TIMEZONE.
      parseCron(value, "UTC");
    } catch (error) {
      // Without croner's example (the expected form gives one) nor its full stop (the router adds one).
      const message = (error instanceof Error ? error.message : String(error)).replace(/\s*;[^;]*$/, "").replace(/\.$/, "");
      ctx.addIssue({ code: "custom", message: displayCron(message) });
    }
  });

async function week(ctx: BaseContext, page: number) {
  const watch = watchOf(ctx);
  const { entries, digest, pendingCount } = await watch.digests.weekEntries();
  return weekReply(entries, { timeZone: ctx.timeZone, digest, pendingCount, nextDigestAt: await watch.schedule.nextDigestAt(), page });
}

export default defineCommand({
  name: "veille",
  description: "Veille réglementaire et réseaux sociaux : le récapitulatif de la semaine",
  subcommands: [
    sub({
      name: "ajouter",
      description: "Signaler un article pour le récapitulatif de la semaine",
      options: {
        url: url("Le lien de l'article"),
        titre: opt.text("Son titre (sinon, celui de la page)", z.string().trim().min(1).max(200, { message: "200 caractères au plus" }), "un titre de 200 caractères au plus").optional(),
        commentaire: opt.text(practiceOption("Pourquoi il intéresse le réseau"), z.string().trim().min(1).max(500, { message: "500 caractères au plus" }), "une phrase de 500 caractères au plus").optional(),
        categorie: category("Sa catégorie (« autre » par défaut)").optional(),
      },
      async run(ctx) {
        const { options, member } = ctx;
        const watch = watchOf(ctx);
        const { title, category: chosen } = await watch.shares.share({ url: options.url, title: options.titre, comment: options.commentaire, category: options.categorie }, member.id);
        return privateReply(
          `Merci ! « ${title} » est ajouté à la veille (${categoryLabel(chosen)}), à votre nom. ` +
            `Il paraîtra dans le récapitulatif du ${formatDateTime(await watch.schedule.nextDigestAt(), ctx.timeZone)}.`,
          { tone: "success" },
        );
      },
    }),
    sub({
      name: "semaine",
      description: "Les articles de la semaine : le dernier récapitulatif en entier, et ce qui est arrivé depuis",
      options: {},
      run: (ctx) => week(ctx, 1),
    }),
    sub({
      name: "apercu",
      description: "Voir maintenant le prochain récapitulatif, sans le publier",
      roles: STAFF,
      options: {},
      async run(ctx) {
        const watch = watchOf(ctx);
        const next = await watch.schedule.nextDigestAt();
        const entries = await watch.digests.pendingEntries();
        const channel = (await watch.hasWatchChannel()) ? "" : "\n⚠️ Aucun salon « veille » n'est configuré : rien ne sera publié (`/config canal usage:veille canal:#…`).";
        if (entries.length === 0) {
          return privateReply(`Rien de nouveau depuis le dernier récapitulatif : celui du ${formatDateTime(next, ctx.timeZone)} ne sera pas publié s'il reste vide.${channel}`);
        }
        return digestReply(entries, {
          title: `Aperçu — Veille de la semaine — ${formatDate(next, ctx.timeZone)}`,
          lead: `Aperçu non publié : voici ce que contiendrait le récapitulatif du ${formatDateTime(next, ctx.timeZone)}.${channel}`,
          timeZone: ctx.timeZone,
          private: true,
        });
      },
    }),
    sub({
      name: "source-ajouter",
      description: "Suivre un flux RSS ou Atom (lu une fois tout de suite pour le vérifier)",
      roles: STAFF,
      options: {
        url: url("L'adresse du flux RSS ou Atom"),
        nom: opt.text("Le nom affiché dans le récapitulatif", z.string().trim().min(2, { message: "2 caractères au moins" }).max(80, { message: "80 caractères au plus" }), "un nom de 2 à 80 caractères, par exemple « CNIL »"),
        categorie: category("La catégorie de ses articles"),
      },
      async run(ctx) {
        const { options, member } = ctx;
        const { source, report, revived } = await watchOf(ctx).sources.add({ url: options.url, name: options.nom, category: options.categorie }, member.id);
        const older = report.old;
        const counts =
          `${plural(report.entries, "article", "articles")} dans le flux : ${report.collected} de moins de 7 jours ` +
          `${report.collected > 1 ? "iront" : "ira"} dans le prochain récapitulatif` +
          (report.duplicates ? `, ${report.duplicates} déjà dans la veille` : "") +
          (older > 0 ? `, ${plural(older, "plus ancien ignoré", "plus anciens ignorés")}` : "") +
          ".";
        const head = revived ? "Source de nouveau suivie" : "Source ajoutée";
        return privateReply(`${head} : « ${source.name} » (#${source.id}, ${categoryLabel(source.category)}), lue chaque heure.\n${counts}`, { tone: "success" });
      },
    }),
    sub({
      name: "source-liste",
      description: "Les sources suivies et leur état",
      roles: STAFF,
      options: {},
      async run(ctx) {
        const watch = watchOf(ctx);
        return sourcesReply(await watch.sources.list(), { timeZone: ctx.timeZone, collecting: await watch.hasWatchChannel(), nextDigestAt: await watch.schedule.nextDigestAt() });
      },
    }),
    sub({
      name: "source-retirer",
      description: "Ne plus suivre une source (ses articles déjà collectés restent)",
      roles: STAFF,
      options: {
        source: opt.text("La source : son numéro (#3) ou son nom", z.string().trim().min(1).max(100, { message: "100 caractères au plus" }), "un numéro (#3) ou un nom de source"),
      },
      async run(ctx) {
        const removed = await watchOf(ctx).sources.remove(ctx.options.source, ctx.member.id);
        return privateReply(`La source « ${removed.name} » (#${removed.id}) n'est plus suivie. Ses articles déjà collectés restent dans la veille.`, { tone: "success" });
      },
    }),
    sub({
      name: "horaire",
      description: "Voir ou changer quand paraît le récapitulatif (expression cron)",
      roles: STAFF,
      options: {
        cron: opt.text("Minute heure jour mois jour-de-semaine, ex. « 0 9 * * 1 »", cron, displayCron("5 champs entre guillemets, par exemple « 0 9 * * 1 » pour chaque lundi à 9 h")).optional(),
      },
      async run(ctx) {
        const watch = watchOf(ctx);
        if (!ctx.options.cron) {
          return privateReply(
            `Le récapitulatif paraît selon « ${displayCron(await watch.schedule.digestCron())} » (fuseau ${ctx.timeZone}) ; le prochain : ${formatDateTime(await watch.schedule.nextDigestAt(), ctx.timeZone)}.\n` +
              displayCron('Pour changer : `/veille horaire cron:"0 9 * * 1"` (minute heure jour-du-mois mois jour-de-la-semaine).'),
          );
        }
        const { next, applied } = await watch.schedule.setDigestCron(ctx.options.cron, ctx.member.id);
        const later = applied ? "" : " (pris en compte au prochain démarrage du bot)";
        return privateReply(`C'est noté : le récapitulatif paraîtra selon « ${displayCron(ctx.options.cron)} » (fuseau ${ctx.timeZone}) ; le prochain : ${formatDateTime(next, ctx.timeZone)}${later}.`, { tone: "success" });
      },
    }),
  ],
  components: {
    [ACTIONS.weekPage]: {
      async run(ctx) {
        return { ...(await week(ctx, numberArg(ctx.args[0]) ?? 1)), update: true };
      },
    },
  } satisfies Record<Action, ComponentHandler>,
});
