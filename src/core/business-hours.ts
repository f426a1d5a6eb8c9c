// Business hours: when an inbox's response-target clock runs. A week of local opening ranges in
// an IANA time zone (`Mon-Thu 09:00-17:00, Fri 09:00-13:00`), days off, and holidays (whole local
// dates). Pure; the time-zone rules (DST gaps and overlaps) are luxon's. All instants are epoch ms.
//
// Ranges are local wall-clock times, so a day keeps its 09:00-18:00 across a DST change; a range
// that contains the change itself (00:00-24:00 on the night clocks move) is an hour shorter or
// longer, as the day is. A local time that does not exist (02:30 when clocks jump from 02:00 to
// 03:00) is read as the first instant after the gap.
import { DateTime, IANAZone } from 'luxon';

/** Minutes after local midnight: [start, end), end at most 1440. */
export type MinuteRange = readonly [number, number];

export interface BusinessHours {
  zone: string;
  /** Opening ranges for Monday (index 0) … Sunday (6); an empty list is a day off. null: always open. */
  week: readonly (readonly MinuteRange[])[] | null;
  /** Local dates (`2026-12-25`) that are days off whatever the week says. */
  holidays: ReadonlySet<string>;
}

/** Always open, in UTC: the clock counts every millisecond. */
export const ALWAYS_OPEN: BusinessHours = { zone: 'UTC', week: null, holidays: new Set() };

/** Looking further than this for enough open time means there is none (a week with no hours). */
const MAX_DAYS = 3 * 366;

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

const DAYS: Record<string, number> = {
  mon: 0, monday: 0, tue: 1, tues: 1, tuesday: 1, wed: 2, wednesday: 2, thu: 3, thur: 3, thurs: 3, thursday: 3,
  fri: 4, friday: 4, sat: 5, saturday: 5, sun: 6, sunday: 6,
};

export type ParsedHours = { ok: true; week: MinuteRange[][] | null } | { ok: false; error: string };

function parseTime(s: string): number | null {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

function parseDays(token: string): number[] | null {
  const [a, b, ...rest] = token.toLowerCase().split('-');
  if (rest.length || a === undefined) return null;
  const from = DAYS[a];
  if (from === undefined) return null;
  if (b === undefined) return [from];
  const to = DAYS[b];
  if (to === undefined) return null;
  const out: number[] = [];
  // Fri-Mon wraps over the weekend.
  for (let d = from; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === to) break;
  }
  return out;
}

/**
 * `Mon-Fri 09:00-18:00`, `Mon-Thu 09:00-17:00, Fri 09:00-13:00`, `Mon-Fri 09:00-12:30 13:30-18:00`,
 * `Mon Wed Fri 8-16`, `Sat off`; `always` or `24/7` for every hour of every day. Days not named are
 * days off. A part that starts with a time adds ranges to the days before it (`Mon-Fri 9-12, 13-18`).
 */
export function parseBusinessHours(text: string): ParsedHours {
  const s = text.trim();
  if (/^(always|24\/7|24x7)$/i.test(s)) return { ok: true, week: null };
  if (!s) return { ok: false, error: 'is empty' };
  const week: MinuteRange[][] = [[], [], [], [], [], [], []];
  let days: number[] | null = null;
  for (const part of s.split(/[,;]/).map((p) => p.trim())) {
    if (!part) return { ok: false, error: `has an empty part in "${text}"` };
    const tokens = part.split(/[\s/]+/).filter(Boolean);
    let i = 0;
    if (!/^\d/.test(tokens[0]!)) {
      days = [];
      for (; i < tokens.length && !/^\d/.test(tokens[i]!) && !/^(off|closed)$/i.test(tokens[i]!); i++) {
        const d = parseDays(tokens[i]!);
        if (!d) return { ok: false, error: `has "${tokens[i]}", which is not a day or a range of days like Mon-Fri` };
        days.push(...d);
      }
      if (days.length === 0) return { ok: false, error: `has "${part}" with no days before its hours` };
    }
    if (!days) return { ok: false, error: `starts with hours ("${part}") but no days, like Mon-Fri 09:00-18:00` };
    const rest = tokens.slice(i);
    if (rest.length === 1 && /^(off|closed)$/i.test(rest[0]!)) continue;
    if (rest.length === 0) return { ok: false, error: `has days with no hours in "${part}" (write e.g. Mon-Fri 09:00-18:00, or Sat off)` };
    for (const r of rest) {
      const m = /^([\d:]+)-([\d:]+)$/.exec(r);
      const start = m ? parseTime(m[1]!) : null;
      const end = m ? parseTime(m[2]!) : null;
      if (start === null || end === null) return { ok: false, error: `has "${r}", which is not a range of hours like 09:00-18:00` };
      if (end <= start) return { ok: false, error: `has "${r}", which ends before it starts (split a range over midnight into two days)` };
      for (const d of days) week[d]!.push([start, end]);
    }
  }
  const merged = week.map(mergeRanges);
  if (merged.every((d) => d.length === 0)) return { ok: false, error: 'has no open hours on any day' };
  return { ok: true, week: merged };
}

function mergeRanges(ranges: MinuteRange[]): MinuteRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `2026-12-25` is a real date. */
export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid;
}

const ALL_DAY: readonly MinuteRange[] = [[0, 1440]];

/** The open intervals (epoch ms) of the local day that starts at `day`. */
function dayIntervals(h: BusinessHours, day: DateTime): [number, number][] {
  if (h.holidays.size && h.holidays.has(day.toISODate()!)) return [];
  const ranges = h.week ? h.week[day.weekday - 1]! : ALL_DAY;
  return ranges.map(([a, b]) => [instant(day, a), instant(day, b)]);
}

function instant(day: DateTime, minutes: number): number {
  if (minutes >= 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone: day.zone }).toMillis();
}

const simple = (h: BusinessHours) => h.week === null && h.holidays.size === 0;
const localDay = (h: BusinessHours, at: number) => DateTime.fromMillis(at, { zone: h.zone }).startOf('day');

/**
 * The instant at which `ms` of open time has passed since `start`: a deadline. Returns `start`
 * for 0 or less; null when the hours leave no such time in the next three years.
 */
export function addBusinessTime(h: BusinessHours, start: number, ms: number): number | null {
  if (ms <= 0) return start;
  if (simple(h)) return start + ms;
  let left = ms;
  let day = localDay(h, start);
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const [a, b] of dayIntervals(h, day)) {
      if (b <= start) continue;
      const from = Math.max(a, start);
      if (left <= b - from) return from + left;
      left -= b - from;
    }
  }
  return null;
}

/** Open time (ms) between two instants; 0 when `to` is not after `from`. */
export function businessTimeBetween(h: BusinessHours, from: number, to: number): number {
  if (to <= from) return 0;
  if (simple(h)) return to - from;
  let total = 0;
  let day = localDay(h, from);
  for (let i = 0; i < MAX_DAYS * 10 && day.toMillis() < to; i++, day = day.plus({ days: 1 })) {
    for (const [a, b] of dayIntervals(h, day)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  }
  return total;
}

/** Whether the inbox is open at `at`. */
export function isOpenAt(h: BusinessHours, at: number): boolean {
  if (simple(h)) return true;
  return dayIntervals(h, localDay(h, at)).some(([a, b]) => at >= a && at < b);
}
