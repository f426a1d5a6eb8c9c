// The scheduler's rules. Every due time Mailroom keeps (SLA warnings and breaches, redrawing an
// overdue parent, snooze wake-ups, auto-close, reminders, scheduled sends) is a timer row in the
// store; one loop picks what is due. Pure: which timers fire in a tick, which are superseded, how
// long to sleep, and whether the wall clock jumped.

export const TIMER_KINDS = ['sla-warn', 'sla-breach', 'sla-refresh', 'snooze-wake', 'auto-close', 'reminder', 'send'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export interface DueTimer {
  id: number;
  kind: TimerKind;
  conversationId: number | null;
  dueAt: number;
}

export interface Picked {
  /** Fire these now, oldest first. */
  fire: DueTimer[];
  /** Mark these done without doing anything: something due with them says more. */
  superseded: DueTimer[];
}

/**
 * Of the timers due now (oldest first), the ones to fire in this tick, at most `max`; the rest
 * wait for the next tick, so a backlog (a long stop, a clock jump) drains at a pace instead of
 * all at once. A warning whose breach is due too says nothing the breach doesn't, and of several
 * redraws of one parent only the last matters: those are superseded.
 */
export function pickDue(due: readonly DueTimer[], max: number): Picked {
  const breachDue = new Set(due.filter((t) => t.kind === 'sla-breach').map((t) => t.conversationId));
  const lastRefresh = new Map<number | null, number>();
  for (const t of due) if (t.kind === 'sla-refresh') lastRefresh.set(t.conversationId, t.id);
  const fire: DueTimer[] = [];
  const superseded: DueTimer[] = [];
  for (const t of [...due].sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)) {
    if ((t.kind === 'sla-warn' && breachDue.has(t.conversationId)) || (t.kind === 'sla-refresh' && lastRefresh.get(t.conversationId) !== t.id)) superseded.push(t);
    else if (fire.length < max) fire.push(t);
  }
  return { fire, superseded };
}

export interface ClockSample {
  /** Wall clock (Date.now). */
  wall: number;
  /** Monotonic clock (performance.now): never jumps. */
  mono: number;
}

/** How far the wall clock moved beyond the time that really passed (negative: it went back). */
export function clockJump(before: ClockSample, after: ClockSample): number {
  return after.wall - before.wall - (after.mono - before.mono);
}

/**
 * How long the loop sleeps: until the next due time, at most `maxSleepMs` (so a wall clock set
 * back or forward is noticed soon), and `paceMs` while a backlog is draining.
 */
export function sleepFor(o: { now: number; nextDueAt: number | null; backlog: boolean; paceMs: number; maxSleepMs: number }): number {
  if (o.backlog) return o.paceMs;
  if (o.nextDueAt === null) return o.maxSleepMs;
  return Math.max(0, Math.min(o.nextDueAt - o.now, o.maxSleepMs));
}

/** A timer this far behind its time fired late (Mailroom was stopped, or the clock jumped). */
export const LATE_AFTER_MS = 60_000;

export function isLate(dueAt: number, firedAt: number): boolean {
  return firedAt - dueAt > LATE_AFTER_MS;
}
