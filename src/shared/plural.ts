/**
 * French plurals for every count the bot writes: « 1 message », « 3 messages », never
 * « 1 message(s) ». French keeps the singular below 2 (« 0 vote », « 1,5 heure »).
 */
function isPlural(n: number): boolean {
  return Math.abs(n) >= 2;
}

/** The word alone, agreed with `n`: plural(3, "affiche", "affichent") for a verb. */
export function agree(n: number, singular: string, pluralForm: string): string {
  return isPlural(n) ? pluralForm : singular;
}

/** « 1 message », « 3 messages »; the number is written the French way (« 1 500 », « 7,5 »). */
export function plural(n: number, singular: string, pluralForm: string): string {
  return `${n.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} ${agree(n, singular, pluralForm)}`;
}
