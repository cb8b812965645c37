/** Lists typed on one line and short texts, as the collective features (polls, surveys, announcements) read and show them. */
/** Splits a list typed on one line: « a ; b ; c » (also « | » or new lines). Empty items are kept, to be refused. */
export function splitList(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  return trimmed.split(/\s*(?:;|\||\n)\s*/).map((s) => s.trim());
}

/** Accents, case and spaces aside: « Mardi » and « mardi » are the same option. */
export function sameText(s: string): string {
  return s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

export const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Buttons in rows of at most `perRow` (Discord: 5 per row). */
export function inRows<T>(items: readonly T[], perRow: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) rows.push(items.slice(i, i + perRow));
  return rows;
}

/** « a, b et c » (all hold) or « a, b ou c » (one of them): how French lists things. */
export function joinedList(items: readonly string[], conjunction: "et" | "ou"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

export const andList = (items: readonly string[]): string => joinedList(items, "et");
