// The shipped list of sources (default-sources.json), read from the repository at start-up:
// `npm start` runs a transpiled copy under .build/, which holds no JSON, and Node 20 still flags
// JSON modules as experimental.
import { readFileSync } from "node:fs";
import path from "node:path";

import { REPO_ROOT } from "../../store/paths.js";
import { isWatchCategory } from "./categories.js";
import type { DefaultSource } from "./sources.js";
import { isHttpUrl } from "./url.js";

export const DEFAULT_SOURCES_FILE = path.join(REPO_ROOT, "src", "core", "watch", "default-sources.json");

export function loadDefaultSources(file = DEFAULT_SOURCES_FILE): DefaultSource[] {
  const data = JSON.parse(readFileSync(file, "utf8")) as { sources?: unknown };
  if (!Array.isArray(data.sources)) throw new Error(`${file} : liste « sources » absente`);
  return data.sources.map((entry: Partial<DefaultSource>, index: number) => {
    if (typeof entry.name !== "string" || typeof entry.url !== "string" || !isHttpUrl(entry.url) || typeof entry.category !== "string" || !isWatchCategory(entry.category)) {
      throw new Error(`${file} : source n° ${index + 1} invalide (nom, adresse http(s) et catégorie attendus)`);
    }
    return { name: entry.name, url: entry.url, category: entry.category, verified: entry.verified === true, note: entry.note };
  });
}
