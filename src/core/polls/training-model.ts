/**
 * A training-needs survey as stored, and what its rules return: the vocabulary shared by the
 * service (training.ts) and the views (training-views.ts).
 */
import type { Prisma } from "../../store/index.js";
import type { Theme } from "./training-themes.js";

export const TRAINING_LIMITS = { themes: 40, themeLength: 90, needLength: 1000 } as const;

export type Survey = Prisma.TrainingSurveyGetPayload<object>;

/** The themes a survey offers, as stored with it (the list may differ from one survey to the next). */
export const surveyThemes = (survey: Survey): Theme[] => JSON.parse(survey.themes) as Theme[];

export interface SurveyDraft {
  themes: Theme[];
  closesAt?: Date;
  closingReading?: string;
}

/** One member's answers to a survey: the themes ticked, their own need if they wrote one. */
export interface MyAnswers {
  ticked: Theme[];
  need: string | null;
}

/** The themes of a year ranked by how many respondents ticked them, and the needs written freely (no names). */
export interface ThemeRanking {
  year: number;
  surveys: Survey[];
  respondents: number;
  ranked: { label: string; votes: number }[];
  needs: string[];
}
