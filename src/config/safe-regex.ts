// Regexes in routing rules run on every new email, on text a stranger wrote: one that can
// backtrack catastrophically would let an email stall the process. So each one is checked when
// the configuration is read, with redos-detector (a library made for exactly this: it walks the
// pattern and proves whether any input can make a backtracking engine take more than a bounded
// number of steps), and refused otherwise. Loaded only when a rule has a regex.
import { createRequire } from 'node:module';

type Detector = typeof import('redos-detector');
let detector: Detector | null = null;

/** Why this pattern can't be a rule's regex, or null when it is fine. */
export function regexProblem(source: string, flags: string): string | null {
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    return `is not a valid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  detector ??= createRequire(import.meta.url)('redos-detector') as Detector;
  const r = detector.isSafe(re, { timeout: 2000 });
  if (r.safe) return null;
  return r.error === 'timedOut'
    ? 'is too complex to check for catastrophic backtracking: simplify it, or use plain text'
    : 'can backtrack catastrophically on some emails (a slow regex would stall Mailroom): avoid nested or overlapping repetition such as (a+)+ or .*x.*; plain text, or an alternation like /invoice|factura/i, is safe';
}
