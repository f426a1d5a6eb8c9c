// Durations (`90s`, `15m`, `4h`, `2d`) and the times teammates type for snoozes and reminders.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/core/durations.ts';
import { parseWhen, presetTime } from '../../../src/core/when.ts';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and weeks, alone or combined', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(15 * 60_000);
    expect(parseDuration('4h')).toBe(4 * 3_600_000);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    expect(parseDuration('1w')).toBe(7 * 86_400_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration(' 1d 4H ')).toBe(28 * 3_600_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '4', 'h', '4 hours', '4h,', '-4h', '1.5h', '0m', '400d', 'tomorrow', null, undefined]) expect(parseDuration(bad)).toBeNull();
  });
});

describe('parseWhen', () => {
  const MADRID = 'Europe/Madrid';
  // Thursday 3 December 2026, 18:23 in Madrid.
  const now = DateTime.fromISO('2026-12-03T18:23', { zone: MADRID }).toMillis();
  const read = (text: string, zone = MADRID) => {
    const r = parseWhen(text, { now, zone });
    return r.ok ? DateTime.fromMillis(r.at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ccc") : r.error;
  };

  it('reads durations from now', () => {
    expect(read('2h')).toBe('2026-12-03T20:23 Thu');
    expect(read('in 3d')).toBe('2026-12-06T18:23 Sun');
  });

  it('reads days at 09:00 in the zone, or at the time given', () => {
    expect(read('tomorrow')).toBe('2026-12-04T09:00 Fri');
    expect(read('tomorrow 14:30')).toBe('2026-12-04T14:30 Fri');
    expect(read('monday')).toBe('2026-12-07T09:00 Mon');
    expect(read('next Monday 8am')).toBe('2026-12-07T08:00 Mon');
    expect(read('thursday')).toBe('2026-12-10T09:00 Thu');
    expect(read('fri 5pm')).toBe('2026-12-04T17:00 Fri');
    expect(read('2026-12-24 09:00')).toBe('2026-12-24T09:00 Thu');
    expect(read('2026-12-24')).toBe('2026-12-24T09:00 Thu');
    expect(read('2026-12-24T16:15')).toBe('2026-12-24T16:15 Thu');
    expect(read('today 20:00')).toBe('2026-12-03T20:00 Thu');
  });

  it('takes a time alone as today when still ahead, else tomorrow', () => {
    expect(read('19:00')).toBe('2026-12-03T19:00 Thu');
    expect(read('08:00')).toBe('2026-12-04T08:00 Fri');
  });

  it('reads the same words in another zone', () => {
    // 18:23 in Madrid is 12:23 in New York: tomorrow 09:00 there.
    expect(read('tomorrow', 'America/New_York')).toBe('2026-12-04T09:00 Fri');
    expect(read('17:00', 'America/New_York')).toBe('2026-12-03T17:00 Thu');
  });

  it('keeps local time across a DST change', () => {
    const friday = DateTime.fromISO('2026-03-27T10:00', { zone: MADRID }).toMillis();
    const r = parseWhen('monday', { now: friday, zone: MADRID });
    expect(r.ok && DateTime.fromMillis(r.at, { zone: MADRID }).toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2026-03-30 09:00 +02:00');
  });

  it('says why it refuses', () => {
    expect(read('2026-12-01 09:00')).toContain('is in the past');
    expect(read('today 10:00')).toContain('is in the past');
    expect(read('soonish')).toContain('try `2h`');
    expect(read('2026-02-30')).toContain("can't read");
    expect(read('tomorrow 25:00')).toContain("can't read");
    expect(read('2028-01-01')).toContain('too far ahead');
    expect(read('900d')).toContain('too long');
  });

  it('gives the modal presets', () => {
    const at = (p: Parameters<typeof presetTime>[0]) => DateTime.fromMillis(presetTime(p, { now, zone: MADRID }), { zone: MADRID }).toFormat("yyyy-MM-dd'T'HH:mm");
    expect(at('hour')).toBe('2026-12-03T19:23');
    expect(at('three-hours')).toBe('2026-12-03T21:23');
    expect(at('tomorrow')).toBe('2026-12-04T09:00');
    expect(at('monday')).toBe('2026-12-07T09:00');
  });
});
