/**
 * How the training-needs survey looks: the live post (theme select menus of at most 25 options,
 * Discord's limit, then the buttons), the need form, a member's answers, the yearly ranking and
 * the answers to /formation. Neutral replies only; the rules are in ./training.ts.
 */
import { formatWhen } from "../dates.js";
import { practiceField } from "../privacy/reminder.js";
import { platformsLabel, postingReport, type Published } from "../publication.js";
import { LIMITS, componentId, type ComponentRow, type Reply, type ReplyField } from "../reply.js";
import { cut } from "../text-lists.js";
import { plural } from "../../shared/plural.js";
import { bar, percent } from "./tally.js";
import { TRAINING_LIMITS, surveyThemes, type MyAnswers, type Survey, type SurveyDraft, type ThemeRanking } from "./training-model.js";

/** The command every component of the survey goes back to (commands/formation.ts). */
export const TRAINING_COMMAND = "formation";
/** The component actions of that command; its handlers are keyed on these. */
export const TRAINING_ACTIONS = { tick: "coche", needForm: "libre", mine: "mes" } as const;
/** Its forms. */
export const TRAINING_FORMS = { need: "besoin" } as const;
export type TrainingAction = (typeof TRAINING_ACTIONS)[keyof typeof TRAINING_ACTIONS];
export type TrainingForm = (typeof TRAINING_FORMS)[keyof typeof TRAINING_FORMS];
export const TRAINING_ROUTES = {
  /** One theme select menu of the posted survey: `chunk` is which slice of 25 themes it offers. */
  tick: (surveyId: number, chunk: number) => componentId(TRAINING_COMMAND, TRAINING_ACTIONS.tick, surveyId, chunk),
  needForm: (surveyId: number) => componentId(TRAINING_COMMAND, TRAINING_ACTIONS.needForm, surveyId),
  mine: (surveyId: number) => componentId(TRAINING_COMMAND, TRAINING_ACTIONS.mine, surveyId),
  needModal: (surveyId: number) => componentId(TRAINING_COMMAND, TRAINING_FORMS.need, surveyId),
} as const;

/** The components of an open survey: the theme menus, then « Un autre besoin… » and « Mes réponses ». */
function surveyComponents(survey: Survey): ComponentRow[] {
  const themes = surveyThemes(survey);
  const components: ComponentRow[] = [];
  const chunks = Math.ceil(themes.length / LIMITS.selectOptions);
  for (let c = 0; c < chunks; c++) {
    const part = themes.slice(c * LIMITS.selectOptions, (c + 1) * LIMITS.selectOptions);
    components.push({
      select: {
        kind: "select",
        id: TRAINING_ROUTES.tick(survey.id, c),
        placeholder: chunks > 1 ? `Thèmes ${c * LIMITS.selectOptions + 1} à ${c * LIMITS.selectOptions + part.length} : cochez ceux qui vous intéressent` : "Cochez les thèmes qui vous intéressent",
        options: part.map((t) => ({ label: cut(t.label, 75), value: t.key })),
        minValues: 0,
        maxValues: part.length,
      },
    });
  }
  components.push({
    buttons: [
      { kind: "button", id: TRAINING_ROUTES.needForm(survey.id), label: "Un autre besoin…", style: "primary" },
      { kind: "button", id: TRAINING_ROUTES.mine(survey.id), label: "Mes réponses", style: "secondary" },
    ],
  });
  return components;
}

/** The survey as posted: the themes, how many answered, the components while open. */
export function surveyMessage(survey: Survey, respondents: number, timeZone: string): Reply {
  const open = survey.state === "open";
  const list = surveyThemes(survey).map((t, i) => `${i + 1}. ${t.label}`).join("\n");
  return {
    title: `🎓 Besoins de formation ${survey.year}${open ? "" : " — enquête close"}`,
    text:
      (open
        ? `Les formations du réseau sont construites à partir de vos besoins. Cochez les thèmes qui vous seraient utiles (un nouveau choix remplace le précédent), et décrivez un besoin qui n'y est pas avec « Un autre besoin… ».${survey.closesAt ? ` Réponses jusqu'au ${formatWhen(survey.closesAt, timeZone)}.` : ""}`
        : "L'enquête est close : merci pour vos réponses.") + `\n${list}\n**${plural(respondents, "réponse", "réponses")}**`,
    components: open ? surveyComponents(survey) : [],
    tone: open ? "info" : "success",
  };
}

/** /formation besoins: where it was posted, until when. */
export function surveyOpenedReply(published: Published<Survey>, draft: SurveyDraft): Reply {
  const { record: survey, refs, failures } = published;
  return {
    text: `Enquête n°${survey.id} sur les besoins de formation ${survey.year} publiée (${platformsLabel(refs)}) : ${draft.themes.length} thèmes${draft.closingReading ? `, clôture ${draft.closingReading}` : ", sans date de clôture (/formation cloturer)"}.${postingReport(failures)}`,
    private: true,
    tone: failures.length ? "warning" : "success",
  };
}

/** The form of « Un autre besoin… », with the member's need if they wrote one. */
export function needForm(surveyId: number, current?: string): Reply {
  return {
    modal: {
      id: TRAINING_ROUTES.needModal(surveyId),
      title: "Un besoin de formation",
      fields: [practiceField({ id: "besoin", label: "Votre besoin, en quelques mots", style: "paragraph", required: false, value: current, maxLength: TRAINING_LIMITS.needLength })],
    },
  };
}

const RECORDED = { ticks: "C'est noté.", need: "Votre besoin est enregistré.", needRemoved: "Votre besoin est retiré." } as const;

/** « Mes réponses », or the answer to a tick or a need (`recorded`: what was just saved). */
export function myAnswersReply({ ticked, need }: MyAnswers, recorded?: "ticks" | "need"): Reply {
  const head = recorded === "need" ? (need ? RECORDED.need : RECORDED.needRemoved) : recorded === "ticks" ? RECORDED.ticks : "";
  const chosen = ticked.map((t) => `- ${t.label}`);
  return {
    text: `${head ? `${head} ` : ""}Vos thèmes : ${chosen.length ? `\n${chosen.join("\n")}` : "aucun."}${need ? `\nVotre besoin : « ${need} »` : ""}`,
    private: true,
    tone: head ? "success" : undefined,
  };
}

/** /formation cloturer. */
export function surveyClosedReply(survey: Survey): Reply {
  return { text: `Enquête n°${survey.id} close. Ses résultats restent consultables : \`/formation resultats annee:${survey.year}\`.`, private: true, tone: "success" };
}

/** The free-text needs in fields of at most 1024 characters (Discord's limit), as many as fit. */
function needFields(needs: readonly string[]): ReplyField[] {
  const fields: ReplyField[] = [];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) fields.push({ name: fields.length ? "Besoins exprimés (suite)" : `Besoins exprimés librement (${needs.length})`, value: chunk.join("\n") });
    chunk = [];
  };
  for (const need of needs) {
    const item = cut(`- ${need.replace(/\s+/g, " ")}`, 1000);
    if ([...chunk, item].join("\n").length > LIMITS.fieldValue) flush();
    chunk.push(item);
  }
  flush();
  return fields.slice(0, LIMITS.fields);
}

/** /formation resultats: the themes of a year ranked, with the free-text needs, without names. */
export function rankingReply({ year, surveys, respondents, ranked, needs }: ThemeRanking): Reply {
  const lines = ranked.map((t, i) => `${i + 1}. ${t.label} — \`${bar(respondents ? t.votes / respondents : 0)}\` ${t.votes} (${percent(t.votes, respondents)} %)`);
  const open = surveys.filter((s) => s.state === "open").length;
  return {
    title: `🎓 Besoins de formation ${year} — classement des thèmes`,
    text: `${plural(respondents, "réponse", "réponses")} (${surveys.length > 1 ? `${surveys.length} enquêtes` : `enquête n°${surveys[0]!.id}`}${open ? ", encore ouverte" : ", close"}).\n${lines.join("\n")}`,
    fields: needFields(needs),
    private: true,
  };
}
