// Durations as people write them in the configuration and in commands: `90s`, `15m`, `4h`, `2d`,
// `1w`, and combinations such as `1h30m` or `1d 4h`. Pure.

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Longer than any target, snooze or reminder makes sense for (and safe in a JS number). */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

const PART = /(\d{1,6})\s*([smhdw])/gy;

/** `90s` → 90000; null for anything that is not one or more `<number><unit>` parts (s m h d w). */
export function parseDuration(text: string | null | undefined): number | null {
  const s = (text ?? '').trim().toLowerCase();
  if (!s) return null;
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  for (;;) {
    while (s[at] === ' ') at++;
    if (at >= s.length) break;
    PART.lastIndex = at;
    const m = PART.exec(s);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2] as Unit];
    at = PART.lastIndex;
  }
  return total > 0 && total <= MAX_DURATION_MS ? total : null;
}

/** True for text that looks like a duration (`2h`), even one out of range. */
export function looksLikeDuration(text: string): boolean {
  return /^\s*(\d{1,6}\s*[smhdw]\s*)+$/i.test(text);
}
