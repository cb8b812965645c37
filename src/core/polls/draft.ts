/** What an animator types for a poll (/sondage creer), read and checked before anything is written. */
import { sameText, splitList } from "../text-lists.js";
import type { Audience } from "../audiences.js";
import { plural } from "../../shared/plural.js";
import { InputRefused, type Problem } from "./common.js";
import { parseClosing } from "./when.js";

export const POLL_LIMITS = { options: { min: 2, max: 10 }, optionLength: 100, questionLength: 200 } as const;

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  /** Names shown to every member before closing (noms:visibles). */
  namesVisible: boolean;
  audience: Audience;
  closesAt: Date;
  closingReading: string;
}

/** Reads and checks everything typed for a poll; refuses with every problem at once. */
export function parsePollDraft(
  input: { question: string; options: string; multiple: boolean; anonymous: boolean; namesVisible?: boolean; audience: Audience; closing: string },
  now: Date,
  timeZone: string,
): PollDraft {
  const problems: Problem[] = [];
  const question = input.question.trim();
  if (question.length < 3) problems.push({ field: "question", message: "3 caractères au moins" });
  if (question.length > POLL_LIMITS.questionLength) problems.push({ field: "question", message: `${POLL_LIMITS.questionLength} caractères au plus (${question.length} donnés)` });
  const options = splitList(input.options);
  const expected = "des options séparées par « ; », par exemple « Mardi matin ; Jeudi après-midi »";
  if (options.length < POLL_LIMITS.options.min) {
    problems.push({ field: "options", message: `${POLL_LIMITS.options.min} options au moins (${plural(options.length, "donnée", "données")})`, expected });
  } else if (options.length > POLL_LIMITS.options.max) {
    problems.push({ field: "options", message: `${POLL_LIMITS.options.max} options au plus (${options.length} données)`, expected });
  } else {
    const seen = new Map<string, number>();
    options.forEach((label, i) => {
      if (!label) problems.push({ field: "options", message: `l'option ${i + 1} est vide (deux « ; » à la suite ?)`, expected });
      else if (label.length > POLL_LIMITS.optionLength) problems.push({ field: "options", message: `l'option ${i + 1} dépasse ${POLL_LIMITS.optionLength} caractères` });
      else {
        const key = sameText(label);
        const first = seen.get(key);
        if (first !== undefined) problems.push({ field: "options", message: `« ${label} » est donnée deux fois (options ${first + 1} et ${i + 1})` });
        else seen.set(key, i);
      }
    });
  }
  const closing = parseClosing(input.closing, now, timeZone);
  if (!closing.ok) problems.push({ field: "cloture", message: closing.error, expected: "une date à venir, par exemple « vendredi 18h » ou « 12/03/2026 14h30 »" });
  if (input.anonymous && input.namesVisible) problems.push({ field: "noms", message: "un vote anonyme n'a pas de noms à montrer", expected: "noms:visibles sans anonyme:oui" });
  if (problems.length) throw new InputRefused(problems);
  if (!closing.ok) throw new Error("unreachable");
  return { question, options, multiple: input.multiple, anonymous: input.anonymous, namesVisible: input.namesVisible ?? false, audience: input.audience, closesAt: closing.value.at, closingReading: closing.value.reading };
}
