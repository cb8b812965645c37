/**
 * The A/B comparison's arithmetic, apart from the processes that produce the numbers: turning a
 * benchmark's rows into named figures, and setting the « before » runs of each figure beside the
 * « after » ones (median, spread, ratio, verdict). No I/O, so both sides read figures the same way.
 */

/** One number a benchmark produced, with the direction in which it is better. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  lowerIsBetter: boolean;
}

/** What one run of one benchmark gave: its figures and, per row, the text once the figures are blanked. */
export interface SideResult {
  figures: Figure[];
  /** Row name → the row's value with every measured number replaced by « … » (plans, counts, checks). */
  texts: Record<string, string>;
}

// A measured number is one followed by a unit; bare numbers are counts or checks (« 35/35 reçus »).
const MEASURED = /(\d+(?:\.\d+)?) ?(ms|Mo|MB|KB|tâches\/s)(?![\p{L}/])/gu;
// Parentheses hold targets (« objectif < 20 ms ») and figures derived from the one before them.
const PARENTHESISED = /\([^()]*\)/g;
const LABEL_BOUNDARY = /[,;:→(]/;

const lowerIsBetter = (unit: string) => unit !== "tâches/s";

/** The words just before a number, back to the previous separator: « p50 », « rafale ». */
function labelBefore(text: string, index: number): string {
  const before = text.slice(0, index);
  let start = before.length;
  while (start > 0 && !LABEL_BOUNDARY.test(before[start - 1]!)) start--;
  return before.slice(start).trim();
}

/** The measured numbers of one `{ name, value }` row of a benchmark, each named after its row. */
export function figuresOfRow(row: { name: string; value: string }): Figure[] {
  const text = row.value.replace(PARENTHESISED, "");
  const matches = [...text.matchAll(MEASURED)];
  return matches.map((match, i) => {
    const label = labelBefore(text, match.index) || (matches.length > 1 ? `valeur ${i + 1}` : "");
    const unit = match[2]!;
    return { name: label ? `${row.name} · ${label}` : row.name, value: Number(match[1]), unit, lowerIsBetter: lowerIsBetter(unit) };
  });
}

/** A row's value with its measured numbers blanked: what must not change between runs or sides. */
export function blankedText(value: string): string {
  return value.replace(MEASURED, "… $2");
}

/** The figures and blanked texts of a benchmark's `{ name, value }` rows. */
export function resultOfRows(rows: { name: string; value: string }[]): SideResult {
  return {
    figures: rows.flatMap(figuresOfRow),
    texts: Object.fromEntries(rows.map((row) => [row.name, blankedText(row.value)])),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One line of the comparison: a figure's runs on each side. */
interface Comparison {
  name: string;
  unit: string;
  before: { median: number; min: number; max: number; n: number };
  after: { median: number; min: number; max: number; n: number };
  /** Median after ÷ median before. */
  ratio: number;
  /** The spreads overlap, i.e. the interval [min after ÷ max before, max after ÷ min before] holds 1. */
  withinNoise: boolean;
  /** |ratio − 1| ≤ 10 %. */
  withinTenPercent: boolean;
  verdict: string;
}

const spread = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length });

function verdictOf(withinNoise: boolean, ratio: number, lowerBetter: boolean): string {
  if (withinNoise) return "dans le bruit";
  const worse = lowerBetter ? ratio > 1 : ratio < 1;
  return worse ? "après moins bon" : "après meilleur";
}

/** Sets each figure's « before » runs beside its « after » runs, in the order the figures first came. */
export function compare(before: Figure[], after: Figure[]): Comparison[] {
  const names = [...new Set([...before, ...after].map((f) => f.name))];
  return names.flatMap((name) => {
    const b = before.filter((f) => f.name === name);
    const a = after.filter((f) => f.name === name);
    if (b.length === 0 || a.length === 0) return [];
    const sb = spread(b.map((f) => f.value));
    const sa = spread(a.map((f) => f.value));
    const ratio = sa.median / sb.median;
    const withinNoise = sa.min <= sb.max && sb.min <= sa.max;
    return [{ name, unit: b[0]!.unit, before: sb, after: sa, ratio, withinNoise, withinTenPercent: Math.abs(ratio - 1) <= 0.1, verdict: verdictOf(withinNoise, ratio, b[0]!.lowerIsBetter) }];
  });
}

/** Figures measured on one side only: a benchmark that changed what it reports. */
export function unpaired(before: Figure[], after: Figure[]): string[] {
  const inBefore = new Set(before.map((f) => f.name));
  const inAfter = new Set(after.map((f) => f.name));
  return [
    ...[...inBefore].filter((n) => !inAfter.has(n)).map((n) => `avant seulement : ${n}`),
    ...[...inAfter].filter((n) => !inBefore.has(n)).map((n) => `après seulement : ${n}`),
  ];
}

const number = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const cell = (s: Comparison["before"], unit: string) => `${number(s.median)} ${unit} (${number(s.min)}–${number(s.max)})`;

/** The comparison as a Markdown table. */
export function comparisonTable(rows: Comparison[]): string {
  const lines = ["| mesure | avant : médiane (min–max) | après : médiane (min–max) | après/avant | ±10 % | verdict |", "|---|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${cell(r.before, r.unit)} | ${cell(r.after, r.unit)} | ${r.ratio.toFixed(2)} | ${r.withinTenPercent ? "oui" : "non"} | ${r.verdict} |`);
  }
  return lines.join("\n");
}

/** Rows whose blanked text (plans, counts, checks) was not the same in every run of both sides. */
export function textDifferences(before: Record<string, string>[], after: Record<string, string>[]): string[] {
  const names = [...new Set([...before, ...after].flatMap((t) => Object.keys(t)))];
  // A run holds one benchmark's rows: only the runs that have the row say what it was.
  const variants = (side: Record<string, string>[], name: string) => {
    const seen = [...new Set(side.flatMap((t) => (name in t ? [t[name]!] : [])))];
    return seen.length ? seen : ["(absent)"];
  };
  return names.flatMap((name) => {
    const b = variants(before, name);
    const a = variants(after, name);
    if (b.length === 1 && a.length === 1 && a[0] === b[0]) return [];
    return [`- ${name}\n  - avant : ${b.join(" | ")}\n  - après : ${a.join(" | ")}`];
  });
}
