// Header values as the sender wrote them, read without trusting them: Message-IDs with or
// without brackets, dates in the many shapes real mail has, header maps capped in size.

const MAX_HEADER_VALUE = 16_384;
const MAX_IDS = 200;

export type RawHeaders = Map<string, string[]>;

/** Lower-cased name → unfolded values, in order. `lines` are "Name: value" with folds kept. */
export function rawHeaderMap(lines: ReadonlyArray<{ key: string; line: string }>): RawHeaders {
  const map: RawHeaders = new Map();
  for (const { key, line } of lines.slice(0, 2000)) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '')
      .slice(0, MAX_HEADER_VALUE)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const name = key.toLowerCase();
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  }
  return map;
}

/** Parses a header block (the text before the first blank line) into a RawHeaders map. */
export function parseHeaderBlock(block: string): RawHeaders {
  const lines: { key: string; line: string }[] = [];
  for (const line of block.replace(/\r\n?/g, '\n').split('\n').slice(0, 5000)) {
    if (/^[ \t]/.test(line) && lines.length) {
      const last = lines[lines.length - 1]!;
      if (last.line.length < MAX_HEADER_VALUE) last.line += `\n${line}`;
    } else {
      const m = /^([!-9;-~]{1,100}):/.exec(line);
      if (m) lines.push({ key: m[1]!, line });
    }
  }
  return rawHeaderMap(lines);
}

export function first(headers: RawHeaders, name: string): string | null {
  return headers.get(name)?.[0] ?? null;
}

/** Bare Message-IDs in a header value: `<a@b> <c@d>` → ['a@b', 'c@d']. */
export function messageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.slice(0, MAX_HEADER_VALUE).matchAll(/<([^<>\s]{1,998})>/g)].map((m) => m[1]!);
  const ids = bracketed.length
    ? bracketed
    : value.split(/[\s,]+/).filter((t) => t.includes('@') && t.length <= 998).map((t) => t.replace(/^<|>$/g, ''));
  return [...new Set(ids)].slice(0, MAX_IDS);
}

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** RFC 5322 dates and their common deviations (named zones, no zone, 2-digit years, junk). */
export function parseMailDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const v = value.slice(0, 300).replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!v) return null;
  const strict = /^(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?/.exec(v);
  if (strict) {
    const [, d, mon, y, hh, mm, ss, zone] = strict;
    const month = MONTHS[mon!.toLowerCase()];
    if (month !== undefined) {
      let year = Number(y);
      if (y!.length === 2) year += year < 50 ? 2000 : 1900;
      else if (y!.length === 3) year += 1900;
      const offset = zoneOffsetMinutes(zone);
      const t = Date.UTC(year, month, Number(d), Number(hh), Number(mm), Number(ss ?? 0)) - offset * 60_000;
      const date = new Date(t);
      if (valid(date)) return date;
    }
  }
  const loose = new Date(v);
  return valid(loose) ? loose : null;
}

function valid(d: Date): boolean {
  const t = d.getTime();
  // Years 1970..2200: anything else is a broken clock or a broken header.
  return Number.isFinite(t) && t >= 0 && t < 7_258_118_400_000;
}

const NAMED_ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360,
  pst: -480, pdt: -420, cet: 60, cest: 120, bst: 60, jst: 540, ist: 330,
};

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const m = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (m) {
    const mins = Number(m[2]) * 60 + Number(m[3]);
    return m[1] === '-' ? -mins : mins;
  }
  return NAMED_ZONES[zone.toLowerCase()] ?? 0;
}
