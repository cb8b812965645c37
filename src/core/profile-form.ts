// The profile form, shared by /profil and the newcomers' journey. Discord allows five text
// inputs in a form, so it holds the five free-text fields (rules and words from profile.ts);
// type and directory consent are closed choices, asked with options or buttons.
import type { Member } from "../store/index.js";
import type { FieldProblem } from "./errors.js";
import { PROFILE_EXPECTED, profileFields, type ProfilePatch } from "./profile.js";
import type { ModalField } from "./reply.js";
import { issueText } from "./zod-french.js";

/** `/profil` asks only the first name; the journey asks everything the charter requires. */
type FormRequirement = "firstName" | "all";

type FormFieldName = "firstName" | "structure" | "commune" | "networks" | "contact";

const PROFILE_FORM: readonly { id: string; field: FormFieldName; label: string; paragraph?: boolean; max: number }[] = [
  { id: "prenom", field: "firstName", label: "Prénom", max: 50 },
  { id: "structure", field: "structure", label: "Structure", max: 120 },
  { id: "commune", field: "commune", label: "Commune d'intervention", max: 80 },
  { id: "reseaux", field: "networks", label: "Réseaux où vous intervenez", max: 300 },
  { id: "contact", field: "contact", label: "Comment les jeunes ou parents vous joignent", paragraph: true, max: 500 },
];

export function profileFormFields(member: Member, required: FormRequirement = "all"): ModalField[] {
  return PROFILE_FORM.map((f) => ({
    id: f.id,
    label: f.label,
    style: f.paragraph ? "paragraph" : "short",
    required: required === "all" || f.field === "firstName",
    value: (f.field === "networks" ? member.networks || null : member[f.field]) ?? undefined,
    placeholder: PROFILE_EXPECTED[f.field].slice(0, 100),
    maxLength: f.max,
  }));
}

/**
 * Reads a submitted profile form; each bad field is reported, all at once, and the caller
 * writes nothing unless the list is empty. An empty optional field changes nothing.
 */
export function parseProfileForm(fields: Record<string, string>, required: FormRequirement = "all"): { patch: ProfilePatch; problems: FieldProblem[] } {
  const patch: ProfilePatch = {};
  const problems: FieldProblem[] = [];
  for (const f of PROFILE_FORM) {
    const raw = (fields[f.id] ?? "").trim();
    const expected = PROFILE_EXPECTED[f.field];
    if (raw === "" && required !== "all" && f.field !== "firstName") continue;
    if (raw === "") {
      problems.push({ field: f.label, input: f.id, message: "valeur obligatoire", expected });
      continue;
    }
    const result = profileFields[f.field].safeParse(raw);
    if (!result.success) problems.push({ field: f.label, input: f.id, message: issueText(result.error), expected });
    else if (result.data === "") problems.push({ field: f.label, input: f.id, message: "valeur obligatoire", expected });
    else patch[f.field] = result.data;
  }
  return { patch, problems };
}
