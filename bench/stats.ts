// Small statistics for benchmark samples, and the raw samples for a closer look.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const mean = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : Number.NaN;
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples.length ? Math.max(...samples) : Number.NaN,
    mean,
  };
}

export const MB = 1024 * 1024;

/** With BENCH_DUMP_DIR set, writes a section's raw samples there as <name>.json (for a closer look). */
export function dump(name: string, data: unknown): void {
  const dir = process.env.BENCH_DUMP_DIR;
  if (dir) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(data, null, 1));
}
