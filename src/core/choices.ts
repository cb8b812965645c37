/**
 * One reading of a choice typed by hand — an option on Slack or the console, a field of a form:
 * its key or its label, accents, case, spacing and typographic apostrophes aside. The option and
 * the form of the same choice accept exactly the same spellings because both read them here.
 */
export function foldChoice(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").replace(/[’‘`]/g, "'").replace(/\s+/g, " ").toLowerCase().trim();
}

type Choices<K extends string = string> = Readonly<Record<K, string>>;

/** The key of the choice typed (key or label), or undefined. */
export function matchChoice<K extends string>(raw: string, choices: Choices<K>): K | undefined {
  const wanted = foldChoice(raw);
  if (!wanted) return undefined;
  for (const [key, label] of Object.entries(choices) as [K, string][]) {
    if (foldChoice(key) === wanted || foldChoice(label) === wanted) return key;
  }
  return undefined;
}

/** « « Pratique en ligne », « Outils » » : what may be typed (the labels; keys work too), for a refusal or a hint. */
export function choicesText(choices: Choices): string {
  return Object.values(choices).map((label) => `« ${label} »`).join(", ");
}
