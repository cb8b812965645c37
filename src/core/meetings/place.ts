/**
 * Where a meeting takes place and how many can come: one rule for every command that sets them
 * (/rencontre creer and modifier, /analyse planifier, whose chosen slot becomes a meeting), so a
 * value accepted by one is accepted by the others and refused in the same words.
 */
import { z } from "zod";

export const PLACE_RULE = {
  schema: () => z.string().trim().min(2, { message: "2 caractères au moins" }).max(200, { message: "200 caractères au plus" }),
  expected: "une adresse ou une salle, 200 caractères au plus",
} as const;

export const VISIO_RULE = {
  schema: () => z.url({ protocol: /^https$/, message: "une adresse https://…" }).max(300, { message: "300 caractères au plus" }),
  expected: "une adresse https://…",
} as const;

export const CAPACITY_RULE = {
  schema: () => z.number().int().min(1, { message: "1 place au moins" }).max(500, { message: "500 places au plus" }),
  expected: "un nombre entier de 1 à 500",
} as const;

/** A meeting needs somewhere to meet: the refusal when neither a place nor a visio link is given. */
export const PLACE_OR_VISIO_MISSING = {
  field: "lieu",
  message: "indiquez un lieu, ou un lien de visio avec l'option visio",
  expected: "une adresse ou une salle, ou visio:https://…",
} as const;
