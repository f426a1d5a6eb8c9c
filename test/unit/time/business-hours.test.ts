// Business-hours maths: parsing the configuration's words, and counting open time across
// weekends, DST changes (Europe and the US, both directions) and holidays.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isOpenAt, parseBusinessHours, type BusinessHours } from '../../../src/core/business-hours.ts';

const H = 3_600_000;
const M = 60_000;

function hours(text: string, zone: string, holidays: string[] = []): BusinessHours {
  const p = parseBusinessHours(text);
  if (!p.ok) throw new Error(p.error);
  return { zone, week: p.week, holidays: new Set(holidays) };
}
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ccc");

describe('parseBusinessHours', () => {
  it('reads one range of days and hours', () => {
    const p = parseBusinessHours('Mon-Fri 09:00-18:00');
    expect(p).toEqual({ ok: true, week: [[[540, 1080]], [[540, 1080]], [[540, 1080]], [[540, 1080]], [[540, 1080]], [], []] });
  });

  it('reads several ranges, days off, lunch breaks and continuations', () => {
    const p = parseBusinessHours('Mon-Thu 09:00-17:00, Fri 09:00-13:00');
    expect(p.ok && p.week).toEqual([[[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 780]], [], []]);
    const lunch = parseBusinessHours('Mon-Fri 09:00-12:30 13:30-18:00; Sat 10-14, Sun off');
    expect(lunch.ok && lunch.week?.[0]).toEqual([[540, 750], [810, 1080]]);
    expect(lunch.ok && lunch.week?.[5]).toEqual([[600, 840]]);
    expect(lunch.ok && lunch.week?.[6]).toEqual([]);
    const cont = parseBusinessHours('mon-fri 9-12, 13-18');
    expect(cont.ok && cont.week?.[2]).toEqual([[540, 720], [780, 1080]]);
    const list = parseBusinessHours('Monday Wed/Fri 08:00-24:00');
    expect(list.ok && list.week?.map((d) => d.length)).toEqual([1, 0, 1, 0, 1, 0, 0]);
    expect(list.ok && list.week?.[0]).toEqual([[480, 1440]]);
  });

  it('wraps a range of days over the weekend and merges overlapping ranges', () => {
    const p = parseBusinessHours('Fri-Mon 10:00-12:00, Mon 11:00-15:00');
    expect(p.ok && p.week?.map((d) => d.length)).toEqual([1, 0, 0, 0, 1, 1, 1]);
    expect(p.ok && p.week?.[0]).toEqual([[600, 900]]);
  });

  it('takes always and 24/7 for every hour', () => {
    expect(parseBusinessHours('always')).toEqual({ ok: true, week: null });
    expect(parseBusinessHours('24/7')).toEqual({ ok: true, week: null });
  });

  it('names what is wrong', () => {
    const bad = (t: string) => {
      const p = parseBusinessHours(t);
      return p.ok ? 'ok' : p.error;
    };
    expect(bad('Mon-Fry 09:00-18:00')).toContain('"Mon-Fry"');
    expect(bad('Mon-Fri 18:00-09:00')).toContain('ends before it starts');
    expect(bad('Mon-Fri 09:00-25:00')).toContain('"09:00-25:00"');
    expect(bad('Mon-Fri')).toContain('no hours');
    expect(bad('09:00-18:00')).toContain('no days');
    expect(bad('Sat off')).toContain('no open hours');
    expect(bad('')).toBe('is empty');
    expect(bad('Mon-Fri 09:00-18:00,')).toContain('empty part');
  });
});

describe('addBusinessTime and businessTimeBetween', () => {
  const MADRID = 'Europe/Madrid';
  const NY = 'America/New_York';
  const office = hours('Mon-Fri 09:00-18:00', MADRID);

  it('counts open time only, over a weekend', () => {
    const friday = at('2026-12-04T17:00', MADRID);
    const due = addBusinessTime(office, friday, 4 * H)!;
    expect(local(due, MADRID)).toBe('2026-12-07T12:00 Mon');
    expect(businessTimeBetween(office, friday, due)).toBe(4 * H);
    // Saturday counts nothing; a start outside the hours counts from the next opening.
    const saturday = at('2026-12-05T11:00', MADRID);
    expect(local(addBusinessTime(office, saturday, 30 * M)!, MADRID)).toBe('2026-12-07T09:30 Mon');
    expect(businessTimeBetween(office, saturday, at('2026-12-06T23:59', MADRID))).toBe(0);
    // A target that fills the day exactly is due at closing time, not at the next opening.
    expect(local(addBusinessTime(office, at('2026-12-04T09:00', MADRID), 9 * H)!, MADRID)).toBe('2026-12-04T18:00 Fri');
  });

  it('keeps local hours across the spring DST change (Europe: 29 March 2026)', () => {
    const friday = at('2026-03-27T17:00', MADRID);
    const due = addBusinessTime(office, friday, 4 * H)!;
    expect(local(due, MADRID)).toBe('2026-03-30T12:00 Mon');
    // The weekend lost an hour of wall time: 67 hours of local time are 66 real hours.
    expect(due - friday).toBe(66 * H);
    expect(businessTimeBetween(office, friday, due)).toBe(4 * H);
  });

  it('keeps local hours across the autumn DST change (Europe: 25 October 2026)', () => {
    const friday = at('2026-10-23T17:00', MADRID);
    const due = addBusinessTime(office, friday, 4 * H)!;
    expect(local(due, MADRID)).toBe('2026-10-26T12:00 Mon');
    expect(due - friday).toBe(68 * H);
  });

  it('counts the real length of a day whose hours contain the change (US: 8 March and 1 November 2026)', () => {
    const allDay = hours('Mon-Sun 00:00-24:00', NY);
    const spring = at('2026-03-08T00:00', NY);
    expect(businessTimeBetween(allDay, spring, at('2026-03-09T00:00', NY))).toBe(23 * H);
    expect(local(addBusinessTime(allDay, spring, 24 * H)!, NY)).toBe('2026-03-09T01:00 Mon');
    const autumn = at('2026-11-01T00:00', NY);
    expect(businessTimeBetween(allDay, autumn, at('2026-11-02T00:00', NY))).toBe(25 * H);
    expect(local(addBusinessTime(allDay, autumn, 24 * H)!, NY)).toBe('2026-11-01T23:00 Sun');
  });

  it('reads a range that starts in the DST gap from the first instant after it', () => {
    const night = hours('Sun 02:30-04:00', NY);
    const day = at('2026-03-08T00:00', NY);
    // 02:30 does not exist that night (02:00 → 03:00): the range opens at 03:30 EDT, so 30 minutes.
    expect(businessTimeBetween(night, day, at('2026-03-09T00:00', NY))).toBe(30 * M);
    expect(businessTimeBetween(night, at('2026-03-15T00:00', NY), at('2026-03-16T00:00', NY))).toBe(90 * M);
  });

  it('skips holidays (whole local dates)', () => {
    const xmas = hours('Mon-Fri 09:00-18:00', MADRID, ['2026-12-24', '2026-12-25']);
    const wednesday = at('2026-12-23T17:00', MADRID);
    expect(local(addBusinessTime(xmas, wednesday, 2 * H)!, MADRID)).toBe('2026-12-28T10:00 Mon');
    expect(businessTimeBetween(xmas, wednesday, at('2026-12-28T10:00', MADRID))).toBe(2 * H);
    expect(isOpenAt(xmas, at('2026-12-24T10:00', MADRID))).toBe(false);
    expect(isOpenAt(xmas, at('2026-12-28T10:00', MADRID))).toBe(true);
    // Holidays apply even without business hours (always open otherwise).
    const always: BusinessHours = { zone: MADRID, week: null, holidays: new Set(['2026-12-25']) };
    const eve = at('2026-12-24T23:00', MADRID);
    expect(local(addBusinessTime(always, eve, 2 * H)!, MADRID)).toBe('2026-12-26T01:00 Sat');
  });

  it('uses lunch breaks and short days', () => {
    const h = hours('Mon-Thu 09:00-13:00 14:00-17:00, Fri 09:00-13:00', MADRID);
    const thursday = at('2026-12-03T12:30', MADRID);
    expect(local(addBusinessTime(h, thursday, 1 * H)!, MADRID)).toBe('2026-12-03T14:30 Thu');
    // Thursday 16:00 + 6h: 1h Thursday, 4h Friday (short day), 1h Monday.
    expect(local(addBusinessTime(h, at('2026-12-03T16:00', MADRID), 6 * H)!, MADRID)).toBe('2026-12-07T10:00 Mon');
  });

  it('is plain arithmetic when always open', () => {
    const always: BusinessHours = { zone: 'UTC', week: null, holidays: new Set() };
    expect(addBusinessTime(always, 1_000, 5 * M)).toBe(1_000 + 5 * M);
    expect(businessTimeBetween(always, 1_000, 1_000 + 5 * M)).toBe(5 * M);
    expect(addBusinessTime(office, 1_000, 0)).toBe(1_000);
    expect(businessTimeBetween(office, 5_000, 1_000)).toBe(0);
  });

  it('agrees with itself: the open time up to a deadline is the target (fixed seed, 500 cases, three zones)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cases: [BusinessHours, string][] = [
      [hours('Mon-Thu 09:00-17:00, Fri 09:00-13:00', MADRID, ['2026-03-30', '2026-10-26']), MADRID],
      [hours('Mon-Fri 08:30-12:00 13:00-17:30, Sat 10-14', NY, ['2026-11-26']), NY],
      [hours('Sun-Thu 09:00-18:00', 'Asia/Jerusalem'), 'Asia/Jerusalem'],
    ];
    const from = at('2026-01-01T00:00', 'UTC');
    for (let i = 0; i < 500; i++) {
      const [h] = cases[i % cases.length]!;
      const start = from + Math.floor(rnd() * 365 * 24) * H + Math.floor(rnd() * 60) * M;
      const target = Math.floor(rnd() * 60 * H);
      const due = addBusinessTime(h, start, target)!;
      expect(due).toBeGreaterThanOrEqual(start);
      expect(businessTimeBetween(h, start, due)).toBe(target);
      if (target > 0) expect(isOpenAt(h, due - 1)).toBe(true);
    }
  });
});
