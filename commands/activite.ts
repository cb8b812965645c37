import { defineCommand, opt, sub } from "../src/bot/command.js";
import { ACTIVITY_THEMES, ActivityService, monthLabel, requireMonth, type ActivityReportView } from "../src/core/activity/service.js";
import type { Reply } from "../src/core/reply.js";
import { z } from "zod";

function fields(r: ActivityReportView): NonNullable<Reply["fields"]> {
  const themes: string[] = r.themes.map((t) => ACTIVITY_THEMES[t]);
  if (r.otherThemes) themes.push(r.otherThemes);
  return [
    { name: "Heures de présence éducative en ligne", value: String(r.hours).replace(".", ","), inline: true },
    { name: "Jeunes en contact (environ)", value: String(r.youthContacts), inline: true },
    { name: "Parents en contact (environ)", value: String(r.parentContacts), inline: true },
    { name: "Plateformes", value: r.platforms.join(", ") || "—" },
    { name: "Thèmes abordés", value: themes.join(" · ") || "—" },
    { name: "Actions notables", value: r.actions?.slice(0, 1024) || "—" },
  ];
}

// Option values are checked field by field in the core (ActivityService), so that the same
// French refusals hold for every entry point; here they only have to be text or whole numbers.
const anyInt = z.number().int();

export default defineCommand({
  name: "activite",
  description: "Votre bilan d'activité mensuel de Promeneur du Net",
  subcommands: [
    sub({
      name: "declarer",
      description: "Déclarer ou corriger le bilan d'un mois (par défaut le dernier), jusqu'au 10 du mois suivant",
      options: {
        heures: opt.text("Heures de présence éducative en ligne dans le mois (ex. 12 ou 7,5)"),
        mois: opt.text("Le mois (ex. 2026-10 ou « octobre 2026 ») ; par défaut le mois dernier").optional(),
        plateformes: opt.text("Plateformes utilisées, séparées par des virgules").optional(),
        jeunes: opt.integer("Nombre approximatif de jeunes en contact", anyInt).optional(),
        parents: opt.integer("Nombre approximatif de parents en contact", anyInt).optional(),
        themes: opt.text(`Thèmes abordés, séparés par des virgules : ${Object.keys(ACTIVITY_THEMES).join(", ")}`.slice(0, 100)).optional(),
        "autres-themes": opt.text("Autres thèmes abordés (texte libre)").optional(),
        actions: opt.text("Actions notables du mois (texte libre)").optional(),
      },
      async run({ member, services, clock, timezone, options }) {
        const { report, replaced } = await new ActivityService(services.db, clock, timezone).file(member, {
          month: options.mois,
          hours: options.heures,
          platforms: options.plateformes,
          youth: options.jeunes,
          parents: options.parents,
          themes: options.themes,
          otherThemes: options["autres-themes"],
          actions: options.actions,
        });
        return {
          title: `Bilan d'activité — ${monthLabel(report.month)}`,
          text: replaced ? "Votre bilan est corrigé." : "Votre bilan est enregistré, merci.",
          fields: fields(report),
          private: true,
          tone: "success",
        };
      },
    }),
    sub({
      name: "voir",
      description: "Votre bilan d'un mois (par défaut le dernier)",
      options: { mois: opt.text("Le mois (ex. 2026-10)").optional() },
      async run({ member, services, clock, timezone, options }) {
        const month = requireMonth(options.mois, clock.now(), timezone);
        const report = await new ActivityService(services.db, clock, timezone).get(member, member.id, month);
        if (!report) return { text: `Aucun bilan pour ${monthLabel(month)}. \`/activite declarer mois:${month} heures:…\` pour le remplir.`, private: true };
        return { title: `Bilan d'activité — ${monthLabel(month)}`, fields: fields(report), private: true };
      },
    }),
    sub({
      name: "themes",
      description: "La liste des thèmes proposés",
      options: {},
      run() {
        return { text: Object.entries(ACTIVITY_THEMES).map(([k, v]) => `- \`${k}\` : ${v}`).join("\n"), private: true };
      },
    }),
  ],
});
