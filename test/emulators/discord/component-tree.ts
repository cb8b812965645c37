/** Walking a message's component tree (rows, containers, sections, labels). */
import type { EmuComponent } from "./types.js";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Depth-first search over rows, containers, sections (accessory) and labels (component). */
export function findInTree(components: EmuComponent[] | undefined, predicate: (c: EmuComponent) => boolean): EmuComponent | undefined {
  for (const c of components ?? []) {
    if (!isObj(c)) continue;
    if (predicate(c)) return c;
    const nested = [...(c.components ?? []), ...(c.accessory ? [c.accessory] : []), ...(c.component ? [c.component] : [])];
    const found = findInTree(nested, predicate);
    if (found) return found;
  }
  return undefined;
}
