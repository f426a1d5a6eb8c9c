// "When" as teammates type it for snoozes and reminders: `2h`, `3d`, `tomorrow`, `monday`,
// `next friday 14:00`, `2026-12-24 09:00`, `17:30`. Read in a time zone (the inbox's, else the
// teammate's); a day without a time means 09:00 there. Pure.
import { DateTime } from 'luxon';
import { MAX_DURATION_MS, looksLikeDuration, parseDuration } from './durations.ts';

export const DEFAULT_HOUR = 9;

const WEEKDAYS: Record<string, number> = {
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
};

export type When = { ok: true; at: number } | { ok: false; error: string };

export const WHEN_EXAMPLES = '`2h`, `3d`, `tomorrow`, `monday`, `friday 14:00`, `2026-12-24 09:00`';

function time(s: string | undefined): { hour: number; minute: number } | null {
  if (s === undefined) return { hour: DEFAULT_HOUR, minute: 0 };
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(s);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  const ampm = m[3]?.toLowerCase();
  if (!m[2] && !ampm) return null;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/** The instant `text` names, after `now`, in `zone`. */
export function parseWhen(text: string, o: { now: number; zone: string }): When {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/^in /, '').replace(/^until /, '');
  const bad: When = { ok: false, error: `I can't read "${text.trim().slice(0, 60)}" as a time: try ${WHEN_EXAMPLES}` };
  if (!s) return bad;
  if (looksLikeDuration(s)) {
    const ms = parseDuration(s);
    return ms === null ? { ok: false, error: 'is too long: at most a year ahead' } : { ok: true, at: o.now + ms };
  }
  const now = DateTime.fromMillis(o.now, { zone: o.zone });
  const at = (day: DateTime, t: { hour: number; minute: number }) => day.set({ hour: t.hour, minute: t.minute, second: 0, millisecond: 0 }).toMillis();
  let result: number | null = null;

  const iso = /^(\d{4}-\d{2}-\d{2})(?:[ t](.+))?$/.exec(s);
  const words = s.split(' ');
  if (iso) {
    const day = DateTime.fromISO(iso[1]!, { zone: o.zone });
    const t = time(iso[2]);
    if (!day.isValid || !t) return bad;
    result = at(day, t);
  } else if (words[0] === 'today' || words[0] === 'tomorrow') {
    const t = time(words.slice(1).join(' ') || undefined);
    if (!t || words.length > 2) return bad;
    result = at(words[0] === 'today' ? now : now.plus({ days: 1 }), t);
  } else {
    const rest = words[0] === 'next' ? words.slice(1) : words;
    const weekday = WEEKDAYS[rest[0] ?? ''];
    if (weekday !== undefined) {
      const t = time(rest.slice(1).join(' ') || undefined);
      if (!t || rest.length > 2) return bad;
      // The next such day after today: `monday` on a Monday is a week ahead.
      const ahead = ((weekday - now.weekday + 7) % 7) || 7;
      result = at(now.plus({ days: ahead }), t);
    } else {
      // A time alone: today if still ahead, else tomorrow.
      const t = words.length <= 2 ? time(s) : null;
      if (!t) return bad;
      result = at(now, t);
      if (result <= o.now) result = at(now.plus({ days: 1 }), t);
    }
  }
  if (result <= o.now) return { ok: false, error: `${DateTime.fromMillis(result, { zone: o.zone }).toFormat('yyyy-MM-dd HH:mm')} is in the past` };
  if (result - o.now > MAX_DURATION_MS) return { ok: false, error: 'is too far ahead: at most a year' };
  return { ok: true, at: result };
}

/** The modal's presets, in `zone` at `now`. */
export function presetTime(preset: 'hour' | 'three-hours' | 'tomorrow' | 'monday', o: { now: number; zone: string }): number {
  if (preset === 'hour') return o.now + 3_600_000;
  if (preset === 'three-hours') return o.now + 3 * 3_600_000;
  const r = parseWhen(preset === 'tomorrow' ? 'tomorrow 09:00' : 'next monday 09:00', o);
  return r.ok ? r.at : o.now + 86_400_000;
}
