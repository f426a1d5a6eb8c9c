// The scheduler's pure rules: what fires in a tick, what is superseded, how long to sleep, and
// telling a wall-clock jump from time passing.
import { describe, expect, it } from 'vitest';
import { clockJump, isLate, pickDue, sleepFor, type DueTimer } from '../../../src/core/timers.ts';

const t = (id: number, kind: DueTimer['kind'], conversationId: number, dueAt: number): DueTimer => ({ id, kind, conversationId, dueAt });

describe('pickDue', () => {
  it('fires oldest first, at most `max` a tick', () => {
    const due = [t(3, 'reminder', 1, 300), t(1, 'snooze-wake', 2, 100), t(2, 'send', 3, 200)];
    expect(pickDue(due, 2)).toEqual({ fire: [due[1], due[2]], superseded: [] });
    expect(pickDue([], 5)).toEqual({ fire: [], superseded: [] });
  });

  it('supersedes a warning whose breach is due with it, and all but the last redraw of a parent', () => {
    const due = [t(1, 'sla-warn', 7, 100), t(2, 'sla-breach', 7, 200), t(3, 'sla-warn', 8, 150), t(4, 'sla-refresh', 7, 300), t(5, 'sla-refresh', 7, 400)];
    const picked = pickDue(due, 10);
    expect(picked.fire.map((x) => x.id)).toEqual([3, 2, 5]);
    expect(picked.superseded.map((x) => x.id)).toEqual([1, 4]);
  });

  it('leaves what is over the limit for the next tick, not superseded', () => {
    const due = Array.from({ length: 25 }, (_, i) => t(i + 1, 'reminder', i, i));
    const picked = pickDue(due, 10);
    expect(picked.fire).toHaveLength(10);
    expect(picked.superseded).toHaveLength(0);
  });
});

describe('sleepFor', () => {
  it('sleeps until the next due time, never longer than the cap, at the pace while draining', () => {
    const o = { now: 1_000, paceMs: 250, maxSleepMs: 30_000 };
    expect(sleepFor({ ...o, nextDueAt: 1_500, backlog: false })).toBe(500);
    expect(sleepFor({ ...o, nextDueAt: 900, backlog: false })).toBe(0);
    expect(sleepFor({ ...o, nextDueAt: 10_000_000, backlog: false })).toBe(30_000);
    expect(sleepFor({ ...o, nextDueAt: null, backlog: false })).toBe(30_000);
    expect(sleepFor({ ...o, nextDueAt: 1_500, backlog: true })).toBe(250);
  });
});

describe('clockJump and lateness', () => {
  it('is zero when the wall clock moves with real time, and the size of a jump otherwise', () => {
    expect(clockJump({ wall: 1_000, mono: 50 }, { wall: 31_000, mono: 30_050 })).toBe(0);
    expect(clockJump({ wall: 1_000, mono: 50 }, { wall: 3_601_000 + 30_000, mono: 30_050 })).toBe(3_600_000);
    expect(clockJump({ wall: 1_000, mono: 50 }, { wall: 1_000, mono: 30_050 })).toBe(-30_000);
  });

  it('calls a timer late a minute after its time', () => {
    expect(isLate(0, 60_000)).toBe(false);
    expect(isLate(0, 60_001)).toBe(true);
  });
});
