// The journey's texts: steps.fr.yaml (steps, buttons, messages) and charte.md (the charter's full
// text), both beside this file. They are read from the source folder at run time rather than
// imported, so the animator edits them without a build, and `npm start` (which runs a compiled
// copy under .build/) reads the same files.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { templateProblems, VARIABLE } from "./template.js";
import { REPO_ROOT } from "../../store/paths.js";
import type { Member } from "../../store/index.js";
import { KIND_LABELS } from "../roles.js";
import "../zod-french.js"; // zod refusals in French

export const CONTENT_DIR = path.join(REPO_ROOT, "src", "core", "onboarding");
const STEPS_FILE = "steps.fr.yaml";
const CHARTER_FILE = "charte.md";

/** The values a text may name between braces; anything else is a typo caught at start-up. */
const VARIABLES = new Set([
  "prenom", "structure", "commune", "reseaux", "contact", "type", "membre", "animateurs", "referents",
  "annuaire", "jours", "etape", "rencontre", "plateforme", "annuaire_visible",
]);

const text = (max = 3500) =>
  z
    .string({ message: "un texte est attendu" })
    .trim()
    .min(1, { message: "le texte est vide" })
    .max(max, { message: `${max} caractères au plus` })
    .superRefine((value, ctx) => {
      for (const [, name] of value.matchAll(VARIABLE)) {
        if (!VARIABLES.has(name!)) ctx.addIssue({ code: "custom", message: `variable inconnue {${name}} (connues : ${[...VARIABLES].join(", ")})` });
      }
      for (const message of templateProblems(value)) ctx.addIssue({ code: "custom", message });
    });
const title = () => text(150);
const button = () => text(75);

const checklistItem = z.strictObject({
  cle: z.string().regex(/^[a-z0-9_]{1,30}$/, { message: "minuscules, chiffres et _ seulement (30 au plus)" }),
  libelle: button(),
  detail: text(300),
});

const step = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("accueil"), titre: title(), texte: text(), bouton: button() }),
    z.strictObject({ type: z.literal("charte"), titre: title(), texte: text(), bouton_lire: button(), bouton_adherer: button() }),
    z.strictObject({ type: z.literal("profil"), titre: title(), texte: text(), bouton: button(), titre_formulaire: text(45) }),
    z.strictObject({
      type: z.literal("liste"),
      titre: title(),
      texte: text(),
      elements: z.array(checklistItem).min(1, { message: "au moins un élément" }).max(10, { message: "10 éléments au plus" }),
    }),
    z.strictObject({
      type: z.literal("presentation"),
      titre: title(),
      texte: text(),
      brouillon: text(1500),
      bouton_publier: button(),
      bouton_fait: button(),
      titre_formulaire: text(45),
    }),
    z.strictObject({ type: z.literal("rencontre"), titre: title(), texte_invitation: text(), texte_aucune: text() }),
  ],
  { error: () => ({ message: "type d'étape inconnu (accueil, charte, profil, liste, presentation ou rencontre)" }) },
);

const contentSchema = z
  .strictObject({
    annuaire_departemental: z.url({ protocol: /^https?$/, message: "une adresse https://" }),
    etapes: z.array(step).min(1, { message: "au moins une étape" }),
    fin: z.strictObject({ membre: text(), salon: text(), animateur: text(), sans_rencontre: text() }),
    relances: z.strictObject({ membre: text(), animateur: text(), depart: text() }),
  })
  .superRefine((content, ctx) => {
    const types = content.etapes.map((s) => s.type);
    types.forEach((type, i) => {
      if (types.indexOf(type) !== i) ctx.addIssue({ code: "custom", path: ["etapes", i, "type"], message: `l'étape « ${type} » apparaît deux fois` });
    });
    const profile = types.indexOf("profil");
    const intro = types.indexOf("presentation");
    if (intro !== -1 && intro < profile) ctx.addIssue({ code: "custom", path: ["etapes", intro], message: "« presentation » doit venir après « profil » (son brouillon reprend le profil)" });
    const meeting = types.indexOf("rencontre");
    if (meeting !== -1 && meeting !== types.length - 1) ctx.addIssue({ code: "custom", path: ["etapes", meeting], message: "« rencontre » doit être la dernière étape" });
    for (const s of content.etapes) {
      if (s.type !== "liste") continue;
      const keys = s.elements.map((e) => e.cle);
      keys.forEach((key, i) => {
        if (keys.indexOf(key) !== i) ctx.addIssue({ code: "custom", path: ["etapes", content.etapes.indexOf(s), "elements", i, "cle"], message: `la clé « ${key} » apparaît deux fois` });
      });
    }
  });

type OnboardingContent = z.infer<typeof contentSchema>;
export type StepDef = OnboardingContent["etapes"][number];
type StepType = StepDef["type"];
export type StepOf<T extends StepType> = Extract<StepDef, { type: T }>;

export interface LoadedContent extends OnboardingContent {
  /** The charter's full text in pages that fit one message. */
  charterPages: string[];
}

/** A content file is wrong; the message names the file and each bad value, in French. */
export class OnboardingContentError extends Error {
  override name = "OnboardingContentError";
}

let cached: LoadedContent | undefined;

/** The journey's texts, read and checked once per process (an edit needs a restart). */
export function onboardingContent(): LoadedContent {
  cached ??= loadContent(CONTENT_DIR);
  return cached;
}

export function loadContent(dir: string): LoadedContent {
  const stepsPath = path.join(dir, STEPS_FILE);
  let raw: unknown;
  try {
    raw = parse(readFileSync(stepsPath, "utf8"));
  } catch (err) {
    throw new OnboardingContentError(`${STEPS_FILE} illisible : ${(err as Error).message}`);
  }
  const result = contentSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `- ${i.path.join(".") || "(racine)"} : ${i.message}`);
    throw new OnboardingContentError(`${STEPS_FILE} : ${lines.length > 1 ? "ces valeurs ne conviennent pas" : "cette valeur ne convient pas"} :\n${lines.join("\n")}`);
  }
  let charter: string;
  try {
    charter = readFileSync(path.join(dir, CHARTER_FILE), "utf8").trim();
  } catch (err) {
    throw new OnboardingContentError(`${CHARTER_FILE} illisible : ${(err as Error).message}`);
  }
  if (!charter) throw new OnboardingContentError(`${CHARTER_FILE} est vide.`);
  return { ...result.data, charterPages: paginate(charter, CHARTER_PAGE_CHARS) };
}

/** Well under a message's 4,000 characters, with room for the page header. */
export const CHARTER_PAGE_CHARS = 3500;

/** Cuts at paragraph boundaries (a paragraph longer than a page is cut at a line, then a space). */
export function paginate(textToCut: string, max: number): string[] {
  const pages: string[] = [];
  let page = "";
  for (const paragraph of textToCut.split(/\n{2,}/)) {
    for (const piece of splitLong(paragraph, max)) {
      if (page && page.length + 2 + piece.length > max) {
        pages.push(page);
        page = "";
      }
      page = page ? `${page}\n\n${piece}` : piece;
    }
  }
  if (page) pages.push(page);
  return pages;
}

function splitLong(paragraph: string, max: number): string[] {
  const out: string[] = [];
  let rest = paragraph;
  while (rest.length > max) {
    const cut = Math.max(rest.lastIndexOf("\n", max), rest.lastIndexOf(" ", max));
    const at = cut > 0 ? cut : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

export { fill } from "./template.js";

/**
 * The values a text may use, from the member's profile. A field left empty stays empty — never a
 * stand-in such as « ma structure » — so fill() drops it with the words around it.
 */
export function memberValues(content: LoadedContent, member: Member): Record<string, string> {
  return {
    prenom: member.firstName,
    membre: member.displayName,
    structure: member.structure ?? "",
    commune: member.commune ?? "",
    reseaux: member.networks,
    contact: member.contact ?? "",
    type: member.kind ? KIND_LABELS[member.kind] : "",
    annuaire: content.annuaire_departemental,
  };
}

/** « 2/6 — La charte », for lists and messages. */
export function stepTitle(content: LoadedContent, index: number): string {
  return `${index + 1}/${content.etapes.length} — ${content.etapes[index]!.titre}`;
}
