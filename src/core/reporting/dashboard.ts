// The dashboard as a chat message (/tableau): every figure comes from computeFigures, the chart
// from renderActivityChart; the text carries everything, so the console (no image) loses nothing.
import type { Role } from "../../store/index.js";
import type { PrismaClient } from "../../store/index.js";
import { QUESTION_CATEGORIES, type QuestionCategory } from "../questions/service.js";
import type { Reply, ReplyField } from "../reply.js";
import { KIND_LABELS, STATUS_LABELS } from "../roles.js";
import { FieldsRefused } from "../errors.js";
import { plural } from "../../shared/plural.js";
import { renderActivityChart } from "./chart.js";
import { ONBOARDING_STEPS, type Figures } from "./figure-model.js";
import { computeFigures } from "./figures.js";

/** Who may see the dashboard and the evaluation: the animator and the Caf referent (admins always). */
export const REPORTING_ROLES: readonly Role[] = ["ANIMATEUR", "REFERENT_CAF"];

export const fr = (n: number, digits = 1) => n.toLocaleString("fr-FR", { maximumFractionDigits: digits });
export const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)} %`);
const STATE_ICON = { fait: "✅ fait", prévu: "🗓️ prévu", manquant: "❌ manquant" } as const;

/** « 1 tenue, 2 prévues ». */
export function heldAndPlanned(done: number, planned: number): string {
  return `${plural(done, "tenue", "tenues")}, ${plural(planned, "prévue", "prévues")}`;
}

/** « 7,5 h tenues », « aucune heure tenue »: never « 0 h ». */
export function hoursText(hours: number, singular: string, pluralForm: string): string {
  return hours === 0 ? `aucune heure ${singular}` : `${fr(hours)} h ${hours >= 2 ? pluralForm : singular}`;
}

/** The first year with figures (the option accepts the same: src/bot/command.ts FIRST_YEAR). */
const FIRST_REPORTED_YEAR = 2020;

export function checkYear(year: number, now: Date): void {
  if (!Number.isInteger(year) || year < FIRST_REPORTED_YEAR || year > now.getUTCFullYear() + 1) {
    throw new FieldsRefused([{ field: "annee", message: `une année entre ${FIRST_REPORTED_YEAR} et ${now.getUTCFullYear() + 1}` }], "Rien n'a été modifié.");
  }
}

function dashboardFields(f: Figures): ReplyField[] {
  const targets = f.targets
    .map((t) => {
      let extra = "";
      if (t.hoursDone !== undefined) extra = ` — ${hoursText(t.hoursDone, "tenue", "tenues")}`;
      if (t.fromNeeds) extra = t.fromNeeds.matchedTheme ? ` — choisie d'après les besoins recensés (${t.fromNeeds.matchedTheme})` : t.fromNeeds.surveyed ? " — aucune ne reprend un besoin recensé" : " — besoins non recensés cette année";
      return `- **${t.label}** (objectif ${t.target}) : ${STATE_ICON[t.state]} — ${heldAndPlanned(t.done, t.planned)}${extra}`;
    })
    .join("\n");
  const m = f.members;
  const statuses = Object.entries(m.byStatus).filter(([, n]) => n > 0).map(([s, n]) => `${STATUS_LABELS[s as keyof typeof STATUS_LABELS]} ${n}`).join(", ");
  const j = f.newcomers.journeys;
  const steps = f.newcomers.reachedStep.map((n, i) => `${i + 1}. ${ONBOARDING_STEPS[i]} ${n}`).join(" · ");
  const attendance = f.attendanceByType.map((a) => `- ${a.label} : ${percent(a.rate)} (${a.present}/${a.recorded}, ${plural(a.meetings, "rencontre", "rencontres")})`).join("\n") || "Aucune présence saisie.";
  const q = f.questions;
  const a = f.activity;
  const fields: ReplyField[] = [
    { name: "Objectifs de l'année", value: targets },
    { name: "Promeneurs du Net (sans l'animateur, le référent Caf ni les administrateurs)", value: `${m.total} : ${KIND_LABELS.JEUNESSE} ${m.byKind.jeunesse}, ${KIND_LABELS.PARENTALITE} ${m.byKind.parentalite}, type non renseigné ${m.byKind.nonRenseigne}\n${statuses}` },
    { name: "Nouveaux Promeneurs", value: `${plural(f.newcomers.joined, "arrivé", "arrivés")} ; parcours d'accueil : ${plural(j.started, "commencé", "commencés")}, ${plural(j.completed, "terminé", "terminés")}, ${j.active} en cours, ${plural(j.stopped, "arrêté", "arrêtés")}\nÉtapes atteintes : ${steps}` },
    { name: "Taux de présence", value: attendance },
    {
      name: "Questions à l'animateur",
      value: `${plural(q.count, "posée", "posées")}, ${q.open} sans réponse ; délai médian de première réponse : ${q.medianResponseHours === null ? "—" : `${fr(q.medianResponseHours)} h`}` +
        (q.count ? `\n${Object.entries(q.byCategory).map(([c, n]) => `${QUESTION_CATEGORIES[c as QuestionCategory] ?? c} ${n}`).join(", ")}` : ""),
    },
    { name: "Veille", value: `${plural(f.watch.shared, "article partagé", "articles partagés")} par ${plural(f.watch.sharers, "membre", "membres")} ; ${plural(f.watch.collected, "article", "articles")} au total` },
    {
      name: "Activité mensuelle",
      value: `${plural(a.reports, "bilan", "bilans")} de ${plural(a.reporters, "Promeneur", "Promeneurs")} : ${hoursText(a.hours, "de présence en ligne", "de présence en ligne")}, ${plural(a.youthContacts, "jeune", "jeunes")} et ${plural(a.parentContacts, "parent", "parents")} en contact` +
        (a.topThemes.length ? `\nThèmes les plus abordés : ${a.topThemes.map((t) => `${t.label} (${t.count})`).join(", ")}` : "") +
        `\nPar mois (heures / bilans) : ${a.months.filter((x) => x.reports > 0).map((x) => `${x.month.slice(5)} : ${fr(x.hours)} / ${x.reports}`).join(" · ") || "—"}`,
    },
  ];
  if (f.lowParticipation) {
    const list = f.lowParticipation.map((p) => `- ${p.name}`).join("\n");
    fields.push({ name: "Engagement de participation (charte)", value: list ? `Absents à leurs trois derniers temps de coordination :\n${list}` : "Personne n'a manqué ses trois derniers temps de coordination." });
  }
  return fields.map((field) => ({ ...field, value: field.value.length > 1024 ? `${field.value.slice(0, 1020)}…` : field.value }));
}

export async function dashboardReply(db: PrismaClient, options: { year: number; timeZone: string; now: Date; viewerRole: Role }): Promise<Reply> {
  checkYear(options.year, options.now);
  const figures = await computeFigures(db, options);
  const png = await renderActivityChart(figures);
  return {
    title: `Tableau de bord ${options.year} — Promeneurs du Net des Vosges`,
    text: `Bilan de l'année à ce jour, au regard des objectifs du cahier des charges.`,
    fields: dashboardFields(figures),
    files: [{ name: `activite-${options.year}.png`, data: png, contentType: "image/png", description: "Activité mensuelle : heures et bilans" }],
    private: true,
  };
}
