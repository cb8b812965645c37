import { defineCommand, opt, sub } from "../src/bot/command.js";
import { DateTime } from "luxon";
import { REPORTING_ROLES } from "../src/core/reporting/dashboard.js";

export default defineCommand({
  name: "tableau",
  description: "Le tableau de bord d'activité du réseau",
  roles: REPORTING_ROLES,
  subcommands: [
    sub({
      name: "",
      description: "L'année en cours (ou une autre) au regard des objectifs, avec un graphique",
      options: { annee: opt.year("L'année (par défaut l'année en cours)").optional() },
      async run({ member, features, clock, timeZone, options }) {
        const now = clock.now();
        const year = options.annee ?? DateTime.fromJSDate(now, { zone: timeZone }).year;
        return features.reporting.dashboard(year, member.role);
      },
    }),
  ],
});
