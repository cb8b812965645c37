import { defineCommand, opt, sub } from "../src/bot/command.js";
import { ACTIVITY_THEMES, fileable, monthLabel, openMonth, requireMonth, type ActivityReportView } from "../src/core/activity/service.js";
import type { Reply } from "../src/core/reply.js";
import { PRIVACY_REMINDER, practiceOption } from "../src/core/privacy/reminder.js";
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

/** « No report »: the way to file it when the month is still open, otherwise the month that is. */
function noReport(month: string, now: Date, timeZone: string): string {
  if (fileable(month, now, timeZone)) return `Aucun bilan pour ${monthLabel(month)}. \`/activite declarer mois:${month} heures:…\` pour le remplir.`;
  const open = openMonth(now, timeZone);
  const why = month > open ? "qui n'a pas encore commencé" : "qui n'est plus modifiable (jusqu'au 10 du mois suivant)";
  return `Aucun bilan pour ${monthLabel(month)}, ${why}. Le mois ouvert : \`/activite declarer mois:${open} heures:…\`.`;
}

// Option values are checked field by field in the core (ActivityService), so that the same
// French refusals hold for every entry point; here they only have to be text or whole numbers.
const anyInt = z.number().int();
// An explicit empty text (`actions:""`) clears the stored value; a text left out keeps it.
const clearableText = z.string().trim();

export default defineCommand({
  name: "activite",
  description: "Votre bilan d'activité mensuel de Promeneur du Net",
  subcommands: [
    sub({
      name: "declarer",
      description: "Déclarer ou corriger le bilan d'un mois (par défaut le plus ancien encore ouvert)",
      options: {
        heures: opt.text("Heures de présence éducative en ligne dans le mois (ex. 12 ou 7,5)"),
        mois: opt.text("Le mois (ex. 2026-10 ou « octobre 2026 ») ; par défaut le plus ancien encore ouvert").optional(),
        plateformes: opt.text("Plateformes utilisées, séparées par des virgules", clearableText).optional(),
        jeunes: opt.integer("Nombre approximatif de jeunes en contact", anyInt).optional(),
        parents: opt.integer("Nombre approximatif de parents en contact", anyInt).optional(),
        themes: opt.text(`Thèmes abordés, séparés par des virgules : ${Object.keys(ACTIVITY_THEMES).join(", ")}`.slice(0, 100), clearableText).optional(),
        "autres-themes": opt.text(practiceOption("Autres thèmes abordés (texte libre)"), clearableText).optional(),
        actions: opt.text(practiceOption("Actions notables du mois (texte libre)"), clearableText).optional(),
      },
      async run({ member, features, options }) {
        const { report, replaced } = await features.activity.file(member, {
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
          text: `${replaced ? "Votre bilan est corrigé." : "Votre bilan est enregistré, merci."}${options.actions || options["autres-themes"] ? `\n*${PRIVACY_REMINDER}*` : ""}`,
          fields: fields(report),
          private: true,
          tone: "success",
        };
      },
    }),
    sub({
      name: "voir",
      description: "Votre bilan d'un mois (par défaut le plus ancien encore ouvert)",
      options: { mois: opt.text("Le mois (ex. 2026-10)").optional() },
      async run({ member, features, clock, timeZone, options }) {
        const month = requireMonth(options.mois, clock.now(), timeZone);
        const report = await features.activity.get(member, member.id, month);
        if (!report) return { text: noReport(month, clock.now(), timeZone), private: true };
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
