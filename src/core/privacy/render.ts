// What /mes-donnees shows and sends: a summary in plain French by category with how long each is
// kept, and the full copy as a JSON file (for another tool) and a Markdown file (to read).
import { formatDateTime } from "../dates.js";
import type { Reply, ReplyField, ReplyFile } from "../reply.js";
import { duration, type Retention } from "./retention.js";
import type { MemberData } from "./service.js";
import { CATEGORIES, type Category } from "./tables.js";
import { plural } from "../../shared/plural.js";

function retentionOf(category: Category, r: Retention): string {
  const afterLeaving = `tant que vous êtes membre, puis effacé ${duration(r.retires)} après votre départ`;
  switch (category) {
    case "profil":
    case "comptes":
    case "accueil":
      return afterLeaving;
    case "rencontres":
    case "sondages":
    case "formation":
      return "gardé pour le bilan annuel ; à l'effacement, compté sans votre nom";
    case "questions":
      return `anonymisées ${duration(r.questions)} après leur clôture`;
    case "activite":
      return `${duration(r.bilans)}, puis seulement des chiffres anonymes`;
    case "veille":
      return `${duration(r.veille)}`;
    case "messages":
      return "jusqu'à ce que vous les lisiez, effacés avec votre fiche";
    case "journal":
      return `${duration(r.journal)}, vos valeurs remplacées par « effacé » si vous effacez vos données`;
  }
}

const PROFILE_LABELS: Record<string, string> = {
  firstName: "Prénom",
  lastName: "Nom",
  displayName: "Nom affiché",
  structure: "Structure",
  kind: "Type",
  commune: "Commune",
  email: "E-mail",
  contact: "Contact",
  networks: "Réseaux",
  photoUrl: "Photo",
  directoryConsent: "Visible dans l'annuaire",
  status: "Statut",
  role: "Rôle",
};

function value(v: unknown, timeZone: string): string {
  if (v === null || v === undefined || v === "") return "—";
  if (v instanceof Date) return formatDateTime(v, timeZone);
  if (typeof v === "boolean") return v ? "oui" : "non";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** /mes-donnees voir: one field per category, counts and the profile's values. */
export function summaryReply(data: MemberData, retention: Retention, timeZone: string): Reply {
  const fields: ReplyField[] = [];
  for (const [key, label] of Object.entries(CATEGORIES) as [Category, string][]) {
    const rows = data.categories[key] ?? [];
    if (rows.length === 0 && key !== "profil") continue;
    let body: string;
    if (key === "profil") {
      const p = rows[0] ?? {};
      body = Object.entries(PROFILE_LABELS).map(([k, l]) => `${l} : ${value(p[k], timeZone)}`).join("\n");
    } else {
      body = plural(rows.length, "élément", "éléments");
    }
    fields.push({ name: label, value: `${body}\n*Conservation : ${retentionOf(key, retention)}*`.slice(0, 1024) });
  }
  return {
    title: "Vos données dans le bot du réseau",
    text:
      "Voici ce que le bot garde à votre sujet. `/mes-donnees exporter` vous envoie tout, en privé ; " +
      "`/mes-donnees effacer` efface vos données (après confirmation) ; `/confidentialite` explique pourquoi et pour combien de temps.",
    fields,
    private: true,
  };
}

function markdownRow(row: Record<string, unknown>, timeZone: string): string {
  const parts = Object.entries(row).map(([k, v]) => {
    if (Array.isArray(v)) return `${k} : ${v.length ? v.map((x) => (typeof x === "object" ? Object.values(x as object).map((y) => value(y, timeZone)).join(", ") : value(x, timeZone))).join(" ; ") : "—"}`;
    return `${k} : ${value(v, timeZone)}`;
  });
  return `- ${parts.join(" · ").replace(/\n/g, " ")}`;
}

/** The export: the same content as JSON and as readable Markdown. */
export function exportFiles(data: MemberData, retention: Retention, timeZone: string): ReplyFile[] {
  const day = data.exportedAt.toISOString().slice(0, 10);
  const json = JSON.stringify({ exportéLe: data.exportedAt.toISOString(), membre: data.memberId, données: data.categories }, null, 2);
  const lines = [`# Vos données — bot des Promeneurs du Net des Vosges`, "", `Export du ${formatDateTime(data.exportedAt, timeZone)} (membre n° ${data.memberId}).`, ""];
  for (const [key, label] of Object.entries(CATEGORIES) as [Category, string][]) {
    const rows = data.categories[key] ?? [];
    lines.push(`## ${label}`, "", `*Conservation : ${retentionOf(key, retention)}*`, "");
    lines.push(...(rows.length ? rows.map((r) => markdownRow(r, timeZone)) : ["Rien."]), "");
  }
  return [
    { name: `mes-donnees-${day}.json`, data: Buffer.from(json, "utf8"), contentType: "application/json", description: "Vos données (JSON)" },
    { name: `mes-donnees-${day}.md`, data: Buffer.from(lines.join("\n"), "utf8"), contentType: "text/markdown", description: "Vos données (lisible)" },
  ];
}
