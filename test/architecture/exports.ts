import type { SourceFacts } from "./source-map.js";

/**
 * Exports nobody imports. An export is a promise to other files; one that no other file takes
 * (tests included) only makes a reader look for users that do not exist. Files that tools load by
 * convention (configs, vitest setup files, entry points) and the specifications are not asked.
 */

interface DeadExport {
  file: string;
  name: string;
  line: number;
  /** The file still uses it itself: drop the `export` keyword rather than the code. */
  usedInItsFile: boolean;
  /** Passed on by a folder's index (its public face) from the file that declares it. */
  reExport: boolean;
}

/** Files whose exports are read by a tool or a runtime, not by an import. */
const LOADED_BY_CONVENTION = [
  /\.test\.ts$/,
  /^src\/main\.ts$/,
  /^scripts\//,
  /^bench\/run\.ts$/,
  /^test\/store\/(global|postgres)-setup\.ts$/,
  /^test\/.*\/fixtures\//,
];

export function deadExports(files: SourceFacts[], texts: Map<string, string>): DeadExport[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const used = new Set<string>();
  const markUsed = (module: string, name: string, seen = new Set<string>()): void => {
    if (seen.has(module)) return;
    seen.add(module);
    const file = byPath.get(module);
    if (!file) return;
    if (file.exports.some((exported) => exported.name === name)) used.add(`${module}#${name}`);
    else for (const star of file.imports.filter((edge) => edge.star)) markUsed(star.target, name, seen);
  };
  const markAll = (module: string, seen = new Set<string>()): void => {
    if (seen.has(module)) return;
    seen.add(module);
    const file = byPath.get(module);
    for (const exported of file?.exports ?? []) used.add(`${module}#${exported.name}`);
    for (const star of file?.imports.filter((edge) => edge.star) ?? []) markAll(star.target, seen);
  };
  for (const file of files) {
    for (const edge of file.imports.filter((e) => e.local && e.target !== file.path)) {
      if (edge.names === "all") markAll(edge.target);
      else for (const name of edge.names) markUsed(edge.target, name);
      // A star re-export that is itself used passes its uses on (handled by markUsed); it uses nothing alone.
    }
  }
  return files
    .filter((file) => !LOADED_BY_CONVENTION.some((pattern) => pattern.test(file.path)))
    .flatMap((file) =>
      file.exports
        .filter((exported) => !used.has(`${file.path}#${exported.name}`))
        .map((exported) => ({
          file: file.path,
          name: exported.name,
          line: exported.line,
          reExport: exported.reExport ?? false,
          usedInItsFile: exported.name !== "default" && occurrences(texts.get(file.path) ?? "", exported.name) > 1,
        })),
    );
}

function occurrences(text: string, name: string): number {
  return text.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g"))?.length ?? 0;
}
