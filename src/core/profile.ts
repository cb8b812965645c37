import { z } from "zod";

/**
 * The rules of a member's profile fields, shared by slash-command options, forms and the
 * CSV import so a value refused in one place is refused everywhere, with the same words.
 */
const name = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: `${label} est vide` })
    .max(max, { message: `${max} caractères au plus` })
    .regex(/^[\p{L}\p{M}][\p{L}\p{M}' .-]*$/u, { message: "lettres, espaces, apostrophes et tirets seulement" });

export const profileFields = {
  firstName: name("le prénom", 50),
  lastName: name("le nom", 80),
  displayName: z.string().trim().min(1, { message: "le nom affiché est vide" }).max(80, { message: "80 caractères au plus" }),
  structure: z.string().trim().min(2, { message: "2 caractères au moins" }).max(120, { message: "120 caractères au plus" }),
  commune: name("la commune", 80),
  email: z.email({ message: "une adresse e-mail valide, par exemple prenom.nom@structure.fr" }).max(254),
  contact: z.string().trim().min(3, { message: "3 caractères au moins" }).max(500, { message: "500 caractères au plus" }),
  networks: z
    .string()
    .trim()
    .max(300, { message: "300 caractères au plus" })
    .transform((v) => normalizeNetworks(v))
    .refine((list) => list.split(", ").every((n) => n.length <= 40), { message: "un réseau a un nom de 40 caractères au plus" }),
  photoUrl: z
    .url({ protocol: /^https$/, message: "une adresse d'image en https://" })
    .max(500, { message: "500 caractères au plus" }),
} as const;

export const PROFILE_EXPECTED: Record<keyof typeof profileFields, string> = {
  firstName: "un prénom, par exemple « Camille »",
  lastName: "un nom, par exemple « Martin »",
  displayName: "un nom affiché, par exemple « Camille (MJC Épinal) »",
  structure: "le nom de votre structure, par exemple « MJC d'Épinal »",
  commune: "une commune des Vosges, par exemple « Épinal »",
  email: "prenom.nom@structure.fr",
  contact: "comment vous joindre, par exemple « Instagram @camille_mjc, du lundi au vendredi 14h-18h »",
  networks: "des réseaux séparés par des virgules, par exemple « Instagram, Snapchat, Discord »",
  photoUrl: "une adresse https:// d'image",
};

/** "instagram ,  snapchat,," → "instagram, snapchat" (order kept, duplicates dropped). */
function normalizeNetworks(value: string): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of value.split(/[,;\n]/)) {
    const n = part.trim().replace(/\s+/g, " ");
    const key = n.toLowerCase();
    if (n && !seen.has(key)) {
      seen.add(key);
      out.push(n);
    }
  }
  return out.join(", ");
}

export type ProfilePatch = Partial<{
  firstName: string;
  lastName: string | null;
  displayName: string;
  structure: string;
  kind: "JEUNESSE" | "PARENTALITE";
  commune: string;
  email: string | null;
  contact: string;
  networks: string;
  photoUrl: string;
  directoryConsent: boolean;
  directoryLastName: boolean;
}>;
