/** The watch's categories, in the order the digest shows them. Keys are stored; labels are shown. */
export const WATCH_CATEGORIES = {
  reglementation: "Réglementation",
  reseaux_sociaux: "Réseaux sociaux",
  mineurs: "Prévention et protection des mineurs",
  donnees: "Données personnelles",
  parentalite: "Parentalité",
  autre: "Autre",
} as const;

export type WatchCategory = keyof typeof WATCH_CATEGORIES;

export const CATEGORY_ORDER = Object.keys(WATCH_CATEGORIES) as WatchCategory[];

export function isWatchCategory(value: string): value is WatchCategory {
  return Object.hasOwn(WATCH_CATEGORIES, value);
}

export function categoryLabel(value: string): string {
  return isWatchCategory(value) ? WATCH_CATEGORIES[value] : WATCH_CATEGORIES.autre;
}
