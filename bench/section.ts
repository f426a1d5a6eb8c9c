// What a benchmark section is: a name for `--only`, and a run that returns rows for the table.
import type { Row } from './report.ts';

export interface SectionContext {
  /** Smaller sample sizes, for a smoke run (`--quick`). */
  quick: boolean;
  /** Progress for the person waiting (stderr). */
  log(message: string): void;
}

export interface Section {
  /** Short name used by `--only` and in the table. */
  name: string;
  /** What it measures, one line (listed by `--list`). */
  title: string;
  run(ctx: SectionContext): Promise<Row[]>;
}
