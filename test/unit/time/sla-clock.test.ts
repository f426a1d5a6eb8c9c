// The SLA clock: when it starts, runs, pauses, resumes and ends, what the parent shows, and when
// it is drawn again while overdue.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseBusinessHours, type BusinessHours } from '../../../src/core/business-hours.ts';
import { clockView, nextClock, nextOverdueStep, nextRefreshAt, warnAt, type Clock, type ClockFacts, type SlaPolicy } from '../../../src/core/sla.ts';

const H = 3_600_000;
const M = 60_000;
const MADRID = 'Europe/Madrid';
const at = (iso: string) => DateTime.fromISO(iso, { zone: MADRID }).toMillis();
const local = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: MADRID }).toFormat("ccc HH:mm"));
const week = parseBusinessHours('Mon-Fri 09:00-18:00');
const hours: BusinessHours = { zone: MADRID, week: week.ok ? week.week : null, holidays: new Set() };
const policy: SlaPolicy = { firstResponseMs: 4 * H, nextResponseMs: 8 * H, warnBeforeMs: 30 * M, hours };
const facts = (f: Partial<ClockFacts>): ClockFacts => ({ status: 'open', lastCustomerAt: null, lastReplyAt: null, lastClockEndedAt: null, ...f });

function started(f: Partial<ClockFacts>, now: number): Clock {
  const step = nextClock(policy, null, facts(f), now);
  if (step.do !== 'start') throw new Error(`expected a start, got ${step.do}`);
  return step.clock;
}

describe('nextClock', () => {
  it('starts a first-response clock for a new customer email, counting business hours', () => {
    const email = at('2026-12-04T16:00'); // Friday
    const c = started({ lastCustomerAt: email }, email);
    expect(c).toMatchObject({ kind: 'first', targetMs: 4 * H, startedAt: email, usedMs: 0, runningSince: email });
    expect(local(c.dueAt)).toBe('Mon 11:00');
    expect(local(warnAt(policy, c))).toBe('Mon 10:30');
  });

  it('starts a next-response clock for a customer email after our reply, and none while our reply is the latest', () => {
    const c = started({ lastCustomerAt: at('2026-12-03T10:00'), lastReplyAt: at('2026-12-02T10:00') }, at('2026-12-03T10:00'));
    expect(c.kind).toBe('next');
    expect(local(c.dueAt)).toBe('Thu 18:00');
    expect(nextClock(policy, null, facts({ lastCustomerAt: at('2026-12-02T10:00'), lastReplyAt: at('2026-12-03T10:00') }), at('2026-12-03T11:00'))).toEqual({ do: 'none' });
    // A composed email (ours first, no customer email yet) needs no answer.
    expect(nextClock(policy, null, facts({ lastReplyAt: at('2026-12-03T10:00') }), at('2026-12-03T11:00'))).toEqual({ do: 'none' });
  });

  it('does nothing without a target of that kind, without a policy, or on a closed conversation', () => {
    const email = at('2026-12-03T10:00');
    expect(nextClock({ ...policy, firstResponseMs: null }, null, facts({ lastCustomerAt: email }), email)).toEqual({ do: 'none' });
    expect(nextClock(null, null, facts({ lastCustomerAt: email }), email)).toEqual({ do: 'none' });
    expect(nextClock(policy, null, facts({ status: 'closed', lastCustomerAt: email }), email)).toEqual({ do: 'none' });
  });

  it('ends met when a reply comes in time, breached when it comes late (by the business time over)', () => {
    const email = at('2026-12-03T10:00');
    const c = started({ lastCustomerAt: email }, email);
    expect(nextClock(policy, c, facts({ lastCustomerAt: email, lastReplyAt: at('2026-12-03T13:59') }), at('2026-12-03T14:05'))).toMatchObject({ do: 'end', outcome: 'met', overMs: 0, answered: true });
    // Due Thursday 14:00; answered Friday 09:30: 4 business hours and 30 minutes over.
    const late = nextClock(policy, c, facts({ lastCustomerAt: email, lastReplyAt: at('2026-12-04T09:30') }), at('2026-12-04T09:31'));
    expect(late).toMatchObject({ do: 'end', outcome: 'breached', overMs: 4 * H + 30 * M, answered: true });
  });

  it('pauses while snoozed or waiting, and resumes with what was left', () => {
    const email = at('2026-12-03T10:00');
    const c = started({ lastCustomerAt: email }, email);
    const paused = nextClock(policy, c, facts({ status: 'snoozed', lastCustomerAt: email }), at('2026-12-03T11:00'));
    expect(paused).toMatchObject({ do: 'update', clock: { usedMs: H, runningSince: null, dueAt: null } });
    const p = (paused as { clock: Clock }).clock;
    expect(nextClock(policy, p, facts({ status: 'pending', lastCustomerAt: email }), at('2026-12-03T12:00'))).toEqual({ do: 'none' });
    // Back on Friday 17:00: 3 hours left, so due Monday 11:00.
    const resumed = nextClock(policy, p, facts({ lastCustomerAt: email }), at('2026-12-04T17:00'));
    expect(resumed.do).toBe('update');
    const r = (resumed as { clock: Clock }).clock;
    expect(local(r.dueAt)).toBe('Mon 11:00');
    expect(local(warnAt(policy, r))).toBe('Mon 10:30');
  });

  it('drops the clock when closed in time, counts a breach when closed late, and starts a fresh one when reopened', () => {
    const email = at('2026-12-03T10:00');
    const c = started({ lastCustomerAt: email }, email);
    expect(nextClock(policy, c, facts({ status: 'closed', lastCustomerAt: email }), at('2026-12-03T11:00'))).toMatchObject({ do: 'end', outcome: 'dropped', answered: false });
    expect(nextClock(policy, { ...c, breachedAt: c.dueAt }, facts({ status: 'closed', lastCustomerAt: email }), at('2026-12-03T15:00'))).toMatchObject({ do: 'end', outcome: 'breached', overMs: H });
    const reopened = started({ lastCustomerAt: email, lastClockEndedAt: at('2026-12-03T11:00') }, at('2026-12-07T09:00'));
    expect(reopened.startedAt).toBe(at('2026-12-03T11:00'));
  });

  it('ends the clock as dropped when the inbox no longer has a target', () => {
    const email = at('2026-12-03T10:00');
    const c = started({ lastCustomerAt: email }, email);
    expect(nextClock(null, c, facts({ lastCustomerAt: email }), at('2026-12-03T11:00'))).toMatchObject({ do: 'end', outcome: 'dropped' });
  });

  it('gives no warning when it starts with less than warnBefore left', () => {
    const email = at('2026-12-03T10:00');
    const c = { ...started({ lastCustomerAt: email }, email), usedMs: 4 * H - 10 * M };
    expect(warnAt(policy, c)).toBeNull();
    expect(warnAt({ ...policy, warnBeforeMs: 0 }, started({ lastCustomerAt: email }, email))).toBeNull();
  });
});

describe('clockView and redrawing', () => {
  const email = at('2026-12-03T10:00');
  const c = started({ lastCustomerAt: email }, email);

  it('shows the due time, soon within warnBefore, then overdue by business time', () => {
    expect(clockView(policy, c, at('2026-12-03T11:00'))).toEqual({ state: 'due', dueAt: at('2026-12-03T14:00'), soon: false });
    expect(clockView(policy, c, at('2026-12-03T13:40'))).toMatchObject({ state: 'due', soon: true });
    expect(clockView(policy, c, at('2026-12-03T14:20'))).toEqual({ state: 'overdue', dueAt: at('2026-12-03T14:00'), overMs: 20 * M });
    // The night does not count.
    expect(clockView(policy, c, at('2026-12-04T09:05'))).toMatchObject({ state: 'overdue', overMs: 4 * H + 5 * M });
  });

  it('redraws an overdue parent at a few steps, in business time, never while in time', () => {
    expect(nextRefreshAt(policy, c, at('2026-12-03T12:00'))).toBeNull();
    expect(local(nextRefreshAt(policy, c, at('2026-12-03T14:00')))).toBe('Thu 14:01');
    expect(local(nextRefreshAt(policy, c, at('2026-12-03T14:01')))).toBe('Thu 14:05');
    expect(local(nextRefreshAt(policy, c, at('2026-12-03T14:20')))).toBe('Thu 14:30');
    // 4h over lands at 18:00: the next step (8h over) is four open hours into Friday.
    expect(local(nextRefreshAt(policy, c, at('2026-12-03T18:00')))).toBe('Fri 13:00');
    const steps = [0, 30 * 1000, M, 10 * M, 3 * H, 30 * H];
    expect(steps.map(nextOverdueStep)).toEqual([M, M, 5 * M, 15 * M, 4 * H, 48 * H]);
  });
});
