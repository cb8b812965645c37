/** Percentiles over a sample, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export interface LatencyRow {
  name: string;
  p50: number;
  p99: number;
  n: number;
}

export function summarise(name: string, values: number[]): LatencyRow {
  return { name, p50: percentile(values, 50), p99: percentile(values, 99), n: values.length };
}

/** Runs `one` sequentially `n` times after `warmup` unmeasured runs. */
export async function sequential(n: number, warmup: number, one: (i: number) => Promise<number>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await one(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await one(i));
  return out;
}

/** `rounds` bursts of `width` concurrent runs after `warmup` unmeasured bursts; every latency is kept. */
export async function bursts(rounds: number, width: number, one: (i: number) => Promise<number>, warmup = 10): Promise<number[]> {
  for (let r = 0; r < warmup; r++) await Promise.all(Array.from({ length: width }, (_, i) => one(i)));
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    out.push(...(await Promise.all(Array.from({ length: width }, (_, i) => one(r * width + i)))));
  }
  return out;
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;
