// Response targets (SLA): the clock of a conversation and how it moves. Pure; the use case
// reads the facts from the store, asks `nextClock` what to do, stores it and sets its timers.
//
// - A clock starts when a customer's email needs an answer: the first email of a conversation
//   (`first`: firstResponse) or a customer email after our reply (`next`: nextResponse).
// - It counts the inbox's business hours only.
// - A teammate's email reply ends it (met, or breached when it came late). Notes, reactions and
//   internal messages are not replies, and auto-replies and bounces are not customer emails, so
//   they neither end nor start it.
// - Snoozed and waiting (pending) conversations pause it; it resumes with what was left when the
//   conversation is open again. Closing ends it (dropped, or breached if it already was late).
import { addBusinessTime, businessTimeBetween, type BusinessHours } from './business-hours.ts';
import type { ConversationStatus } from './conversation-status.ts';

export interface SlaPolicy {
  firstResponseMs: number | null;
  nextResponseMs: number | null;
  /** A warning this long (business time) before the deadline; 0: none. */
  warnBeforeMs: number;
  hours: BusinessHours;
}

export type ClockKind = 'first' | 'next';
export type ClockOutcome = 'met' | 'breached' | 'dropped';

export interface Clock {
  kind: ClockKind;
  targetMs: number;
  /** When the email that needs an answer arrived (or the conversation was reopened with one). */
  startedAt: number;
  /** Business time counted before `runningSince`. */
  usedMs: number;
  /** Running since (null: paused). */
  runningSince: number | null;
  /** The deadline while running. */
  dueAt: number | null;
  /** Set once the deadline passed (the breach note went out). */
  breachedAt: number | null;
}

/** What the conversation looks like to the clock. */
export interface ClockFacts {
  status: ConversationStatus;
  /** The latest human email from the customer. */
  lastCustomerAt: number | null;
  /** Our latest email to the customer accepted by the SMTP server (replies and composed emails). */
  lastReplyAt: number | null;
  /** When the conversation's previous clock ended, if it had one. */
  lastClockEndedAt: number | null;
}

export type ClockStep =
  | { do: 'none' }
  | { do: 'start'; clock: Clock }
  | { do: 'update'; clock: Clock }
  | { do: 'end'; outcome: ClockOutcome; overMs: number; usedMs: number; at: number; answered: boolean };

function running(policy: SlaPolicy, c: Clock, since: number): Clock {
  return { ...c, runningSince: since, dueAt: addBusinessTime(policy.hours, since, c.targetMs - c.usedMs) ?? null };
}

/** Business time the clock has counted by `at`. */
export function usedBy(hours: BusinessHours, c: Clock, at: number): number {
  return c.usedMs + (c.runningSince !== null ? businessTimeBetween(hours, c.runningSince, at) : 0);
}

/** What to do with a conversation's clock now. `policy` null: the inbox has no target (any more). */
export function nextClock(policy: SlaPolicy | null, clock: Clock | null, f: ClockFacts, now: number): ClockStep {
  const needsAnswer = f.lastCustomerAt !== null && (f.lastReplyAt === null || f.lastCustomerAt > f.lastReplyAt);
  const hours = policy?.hours;
  if (clock) {
    if (!needsAnswer && f.lastReplyAt !== null) {
      const at = Math.max(f.lastReplyAt, clock.startedAt);
      const used = hours ? usedBy(hours, clock, Math.max(at, clock.runningSince ?? at)) : clock.usedMs;
      const overMs = Math.max(0, used - clock.targetMs);
      return { do: 'end', outcome: overMs > 0 || clock.breachedAt !== null ? 'breached' : 'met', overMs, usedMs: used, at, answered: true };
    }
    if (!policy || !hours || f.status === 'closed' || !needsAnswer) {
      const used = hours ? usedBy(hours, clock, now) : clock.usedMs;
      const overMs = Math.max(0, used - clock.targetMs);
      return { do: 'end', outcome: overMs > 0 || clock.breachedAt !== null ? 'breached' : 'dropped', overMs, usedMs: used, at: now, answered: false };
    }
    if (f.status === 'open') return clock.runningSince === null ? { do: 'update', clock: running(policy, clock, now) } : { do: 'none' };
    // Snoozed or waiting on the customer: the clock stops.
    if (clock.runningSince === null) return { do: 'none' };
    return { do: 'update', clock: { ...clock, usedMs: usedBy(hours, clock, now), runningSince: null, dueAt: null } };
  }
  if (!policy || !needsAnswer || f.status === 'closed') return { do: 'none' };
  const kind: ClockKind = f.lastReplyAt === null ? 'first' : 'next';
  const targetMs = kind === 'first' ? policy.firstResponseMs : policy.nextResponseMs;
  if (targetMs === null) return { do: 'none' };
  // Reopened with an old email unanswered: the clock starts at the reopening, not at the email.
  const startedAt = Math.min(now, Math.max(f.lastCustomerAt!, f.lastClockEndedAt ?? 0));
  const fresh: Clock = { kind, targetMs, startedAt, usedMs: 0, runningSince: null, dueAt: null, breachedAt: null };
  return { do: 'start', clock: f.status === 'open' ? running(policy, fresh, startedAt) : fresh };
}

/** When the warning is due: `warnBefore` of business time before the deadline, if the clock starts with more than that left. */
export function warnAt(policy: SlaPolicy, c: Clock): number | null {
  if (c.runningSince === null || policy.warnBeforeMs <= 0) return null;
  const left = c.targetMs - c.usedMs;
  if (left <= policy.warnBeforeMs) return null;
  return addBusinessTime(policy.hours, c.runningSince, left - policy.warnBeforeMs);
}

/** Business time past the deadline at `now` (0 while in time). */
export function overdueBy(hours: BusinessHours, c: Clock, now: number): number {
  return Math.max(0, usedBy(hours, c, now) - c.targetMs);
}

/** How the parent shows the clock. */
export type ClockView =
  | { state: 'due'; dueAt: number; soon: boolean }
  | { state: 'overdue'; dueAt: number | null; overMs: number }
  | { state: 'paused'; leftMs: number };

export function clockView(policy: SlaPolicy, c: Clock, now: number): ClockView {
  const over = overdueBy(policy.hours, c, now);
  if (over > 0 || c.breachedAt !== null) return { state: 'overdue', dueAt: c.dueAt ?? c.breachedAt, overMs: over };
  if (c.runningSince === null || c.dueAt === null) return { state: 'paused', leftMs: c.targetMs - c.usedMs };
  const warn = warnAt(policy, c);
  return { state: 'due', dueAt: c.dueAt, soon: warn !== null ? now >= warn : policy.warnBeforeMs > 0 };
}

const MIN = 60_000;
/** Business time past the deadline at which the parent is drawn again ("overdue by …"): a few times, not every minute. */
export const OVERDUE_STEPS_MS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, 60 * MIN, 2 * 60 * MIN, 4 * 60 * MIN, 8 * 60 * MIN, 24 * 60 * MIN] as const;

/** The next step after `overMs`: the listed ones, then every 24 hours of business time. */
export function nextOverdueStep(overMs: number): number {
  for (const s of OVERDUE_STEPS_MS) if (s > overMs) return s;
  const day = 24 * 60 * MIN;
  return (Math.floor(overMs / day) + 1) * day;
}

/** When to draw a running overdue clock's parent again; null when nothing changes (paused, or in time). */
export function nextRefreshAt(policy: SlaPolicy, c: Clock, now: number): number | null {
  if (c.runningSince === null || c.dueAt === null) return null;
  const over = overdueBy(policy.hours, c, now);
  if (over <= 0 && now < c.dueAt) return null;
  return addBusinessTime(policy.hours, c.runningSince, c.targetMs - c.usedMs + nextOverdueStep(over));
}
