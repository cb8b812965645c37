import { defineCommand, opt, sub } from "../src/bot/command.js";
import { REPORTING_ROLES } from "../src/core/reporting/dashboard.js";

export default defineCommand({
  name: "bilan",
  description: "L'évaluation annuelle du réseau (classeur Excel)",
  roles: REPORTING_ROLES,
  subcommands: [
    sub({
      name: "",
      description: "Le classeur de l'évaluation d'une année (une feuille par partie) et son résumé",
      options: { annee: opt.year("L'année évaluée (ex. 2026)") },
      async run({ member, features, options }) {
        const year = options.annee;
        const { xlsx, markdown } = await features.reporting.evaluation(year, member.role);
        return {
          title: `Évaluation ${year}`,
          text: markdown.split("\n").filter((l) => !l.startsWith("# ")).join("\n").replace(/^## (.*)$/gm, "**$1**").trim().slice(0, 3900),
          files: [
            { name: `bilan-${year}.xlsx`, data: xlsx, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description: `Évaluation ${year}` },
            { name: `bilan-${year}.md`, data: Buffer.from(markdown, "utf8"), contentType: "text/markdown" },
          ],
          private: true,
        };
      },
    }),
  ],
});
