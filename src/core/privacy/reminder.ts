// The one reminder every free-text field carries where a Promeneur could write about a young
// person or a parent (question, activity actions, training need, presentation, watch comment):
// the network must never receive their data. Forms show it as the field's placeholder, command
// options in their description, and the confirmation repeats it in full.
import type { ModalField } from "../reply.js";

/** In full, under a confirmation. */
export const PRIVACY_REMINDER =
  "N'écrivez jamais le nom, l'âge, l'adresse ni aucune donnée personnelle d'un jeune ou d'un parent : décrivez la situation sans qu'on puisse reconnaître la personne.";

/** Short form (a form placeholder and an option description hold 100 characters). */
export const PRIVACY_HINT = "Jamais le nom, l'âge ou l'adresse d'un jeune ou d'un parent";

/** A form field about the Promeneur's practice, with the reminder as its placeholder. */
export function practiceField(field: Omit<ModalField, "placeholder">): ModalField {
  return { ...field, placeholder: `${PRIVACY_HINT} : décrivez la situation.` };
}

/** A command option's description, with the reminder; fails at start-up if too long for Discord. */
export function practiceOption(description: string): string {
  const full = `${description} — ${PRIVACY_HINT.charAt(0).toLowerCase()}${PRIVACY_HINT.slice(1)}`;
  if (full.length > 100) throw new Error(`option description too long with the privacy reminder (${full.length}): ${full}`);
  return full;
}
