// The one table `npm run bench` prints: each section returns rows, a row may carry a target, and
// the verdict is computed here so every section judges the same way.

export type Unit = 'ms' | 'µs' | 's' | 'MB' | 'KB' | 'B' | 'emails/s' | 'ratio' | 'count';

export interface Target {
  /** The value passes when it is at most this. */
  max?: number;
  /** The value passes when it is at least this. */
  min?: number;
}

export interface Row {
  section: string;
  metric: string;
  /** null when the section could not measure it (see `note`). */
  value: number | null;
  unit: Unit;
  target?: Target;
  /** Short context shown after the table (what the figure is made of, sample size). */
  note?: string;
}

export type Verdict = 'pass' | 'FAIL' | '';

export function verdict(row: Row): Verdict {
  if (!row.target) return '';
  if (row.value === null || Number.isNaN(row.value)) return 'FAIL';
  if (row.target.max !== undefined && row.value > row.target.max) return 'FAIL';
  if (row.target.min !== undefined && row.value < row.target.min) return 'FAIL';
  return 'pass';
}

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  const digits = unit === 'ratio' ? 2 : Math.abs(value) >= 100 || unit === 'count' || unit === 'B' ? 0 : 1;
  const n = value.toFixed(digits);
  return unit === 'count' || unit === 'ratio' ? n : `${n} ${unit}`;
}

export function formatTarget(target: Target | undefined, unit: Unit): string {
  if (!target) return '';
  const parts: string[] = [];
  if (target.min !== undefined) parts.push(`≥ ${formatValue(target.min, unit)}`);
  if (target.max !== undefined) parts.push(`≤ ${formatValue(target.max, unit)}`);
  return parts.join(', ');
}

/** A plain-text table (also valid Markdown) of every row, with a notes list under it. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['section', 'metric', 'value', 'target', 'result'];
  const body = rows.map((r) => [r.section, r.metric, formatValue(r.value, r.unit), formatTarget(r.target, r.unit), verdict(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.section} / ${r.metric}: ${r.note}`);
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}
