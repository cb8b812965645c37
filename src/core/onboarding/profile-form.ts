// The profile form of the journey. Discord allows five text inputs in a form, so the seven
// things the issue asks are split: the five free-text fields here (the same rules and words as
// /profil, from core/profile.ts), then type (jeunesse/parentalité) and directory consent as
// buttons under the step, since both are closed choices.
import type { Member } from "../../store/index.js";
import { PROFILE_EXPECTED, profileFields, type ProfilePatch } from "../profile.js";
import type { ModalField } from "../reply.js";

type FormFieldName = "firstName" | "structure" | "commune" | "networks" | "contact";

export const PROFILE_FORM: readonly { id: string; field: FormFieldName; label: string; paragraph?: boolean; max: number }[] = [
  { id: "prenom", field: "firstName", label: "Prénom", max: 50 },
  { id: "structure", field: "structure", label: "Structure", max: 120 },
  { id: "commune", field: "commune", label: "Commune d'intervention", max: 80 },
  { id: "reseaux", field: "networks", label: "Réseaux où vous êtes présent(e)", max: 300 },
  { id: "contact", field: "contact", label: "Comment les jeunes ou parents vous joignent", paragraph: true, max: 500 },
];

export function profileFormFields(member: Member): ModalField[] {
  return PROFILE_FORM.map((f) => ({
    id: f.id,
    label: f.label,
    style: f.paragraph ? "paragraph" : "short",
    required: true,
    value: (f.field === "networks" ? member.networks || null : member[f.field]) ?? undefined,
    placeholder: PROFILE_EXPECTED[f.field].slice(0, 100),
    maxLength: f.max,
  }));
}

export interface FormProblem {
  field: string;
  message: string;
  expected: string;
}

/**
 * Every field is required here (the charter asks for all of them); each bad one is reported,
 * all at once, and the caller writes nothing unless the list is empty.
 */
export function parseProfileForm(fields: Record<string, string>): { patch: ProfilePatch; problems: FormProblem[] } {
  const patch: ProfilePatch = {};
  const problems: FormProblem[] = [];
  for (const f of PROFILE_FORM) {
    const raw = (fields[f.id] ?? "").trim();
    const expected = PROFILE_EXPECTED[f.field];
    if (raw === "") {
      problems.push({ field: f.label, message: "valeur obligatoire", expected });
      continue;
    }
    const result = profileFields[f.field].safeParse(raw);
    if (!result.success) problems.push({ field: f.label, message: result.error.issues[0]!.message, expected });
    else if (result.data === "") problems.push({ field: f.label, message: "valeur obligatoire", expected });
    else patch[f.field] = result.data;
  }
  return { patch, problems };
}
