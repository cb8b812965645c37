import { createHash, timingSafeEqual } from "node:crypto";
import { directorySlug, networksOf, publicName } from "../../core/directory.js";
import { KIND_LABELS } from "../../core/roles.js";
import type { Member } from "../../store/index.js";

/**
 * The directory as a CSV for the animator (to update the national site): the public fields only,
 * since the members consented to those. Semicolons and a BOM so a French spreadsheet opens it
 * as is; a cell starting like a formula is prefixed with ' so it is never computed.
 */
export function directoryCsv(members: readonly Member[], siteUrl: string): string {
  const header = ["Nom affiché", "Structure", "Type", "Commune", "Réseaux", "Contact", "Page de l'annuaire"];
  const rows = members.map((m) => [
    publicName(m),
    m.structure ?? "",
    m.kind ? KIND_LABELS[m.kind] : "",
    m.commune ?? "",
    networksOf(m).join(", "),
    m.contact ?? "",
    `${siteUrl}/annuaire/${directorySlug(m)}`,
  ]);
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(";")).join("\r\n")}\r\n`;
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Compares the given token with the staff's in constant time. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
