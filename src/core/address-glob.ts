// Address patterns of routing rules: `*@bigcorp.com`, `@bigcorp.com` (anyone at that domain),
// `@*.bigcorp.com` (its subdomains), `billing-*@acme.com`, `ana@acme.com`. `*` is any run of
// characters, `?` one; case never matters. Matched by a linear scan (no regex built from what
// an admin typed), so no pattern can be slow.

/** `@domain` is shorthand for `*@domain`. */
export function expandAddressPattern(pattern: string): string {
  const p = pattern.trim().toLowerCase();
  return p.startsWith('@') ? `*${p}` : p;
}

/** Wildcard match of the whole text: `*` any run, `?` one character. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Does the address match any of the patterns? */
export function addressMatches(patterns: readonly string[], address: string): boolean {
  const a = address.trim().toLowerCase();
  if (!a) return false;
  return patterns.some((p) => globMatch(expandAddressPattern(p), a));
}

/** A pattern an admin may write: one `@` (or none, for a local-part glob), no spaces. */
export function addressPatternProblem(pattern: string): string | null {
  const p = pattern.trim();
  if (!p) return 'is empty';
  if (/\s/.test(p)) return `"${p}" has spaces: write an address or a pattern like *@example.com or @example.com`;
  if ((p.match(/@/g) ?? []).length > 1) return `"${p}" has more than one @`;
  return null;
}
