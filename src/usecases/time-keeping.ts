// Keeping time for conversations: after anything that changes one (an email in, a reply out, a
// close, a snooze…), `sync` looks at what the conversation now is and brings its SLA clock and
// its timers in line — start, pause, resume or end the clock; set or cancel the warning, the
// breach, the overdue redraws, the snooze wake-up, the auto-close; cancel reminders the customer
// answered. It is idempotent and runs inside the caller's transaction, so a crash never leaves a
// change without its timers; at start it runs over every active conversation (a changed
// configuration, a crash between two steps).
import { ALWAYS_OPEN, addBusinessTime, type BusinessHours } from '../core/business-hours.ts';
import { clockView, nextClock, nextRefreshAt, warnAt, type ClockView, type SlaPolicy } from '../core/sla.ts';
import type { TimerKind } from '../core/timers.ts';
import type { InboxConfig } from '../config/load.ts';
import type { Store } from '../store/index.ts';

/** What time-keeping needs of each inbox's configuration. */
export type TimeSettings = Pick<InboxConfig, 'sla' | 'timezone' | 'autoCloseWaitingAfterMs'>;

export function businessHoursOf(s: TimeSettings): BusinessHours {
  if (!s.sla) return { ...ALWAYS_OPEN, zone: s.timezone ?? 'UTC' };
  return { zone: s.timezone ?? 'UTC', week: s.sla.businessHours, holidays: new Set(s.sla.holidays) };
}

export function slaPolicyOf(s: TimeSettings): SlaPolicy | null {
  if (!s.sla) return null;
  return { firstResponseMs: s.sla.firstResponseMs, nextResponseMs: s.sla.nextResponseMs, warnBeforeMs: s.sla.warnBeforeMs, hours: businessHoursOf(s) };
}

const SLA_TIMERS: TimerKind[] = ['sla-warn', 'sla-breach', 'sla-refresh'];

export interface TimekeeperOptions {
  store: Store;
  /** Each inbox's time settings, by inbox id (undefined: the inbox is gone). */
  settings: (inboxId: number) => TimeSettings | undefined;
  now?: () => number;
}

export function createTimekeeper(o: TimekeeperOptions) {
  const { store } = o;
  const now = o.now ?? Date.now;
  const listeners: (() => void)[] = [];
  const changed = () => {
    for (const l of listeners) l();
  };
  const policies = new Map<number, SlaPolicy | null>();
  const policy = (inboxId: number): SlaPolicy | null => {
    if (!policies.has(inboxId)) {
      const s = o.settings(inboxId);
      policies.set(inboxId, s ? slaPolicyOf(s) : null);
    }
    return policies.get(inboxId) ?? null;
  };

  function syncOne(conversationId: number, at: number): void {
    const c = store.conversations.byId(conversationId);
    if (!c) return;
    const settings = o.settings(c.inboxId);
    const p = c.movedToId ? null : policy(c.inboxId);
    const human = store.messages.ofConversation(c.id).filter((m) => m.kind === 'human');
    const lastIn = [...human].reverse().find((m) => m.direction === 'in');
    const lastOut = [...human].reverse().find((m) => m.direction === 'out');
    const clock = store.slaClocks.current(c.id);
    const status = c.movedToId ? 'closed' : c.status;
    const step = nextClock(p, clock ?? null, { status, lastCustomerAt: lastIn?.receivedAt ?? null, lastReplyAt: lastOut?.receivedAt ?? null, lastClockEndedAt: store.slaClocks.lastEndedAt(c.id) }, at);
    if (step.do === 'start') store.slaClocks.start(c.id, c.inboxId, step.clock);
    else if (step.do === 'update' && clock) store.slaClocks.update(clock.id, step.clock);
    else if (step.do === 'end' && clock) {
      const by = step.answered && lastOut ? (store.outbox.byMessageId(lastOut.messageId)?.slackUserId ?? null) : null;
      store.slaClocks.end(clock.id, { at: step.at, outcome: step.outcome, overMs: step.overMs, usedMs: step.usedMs, answeredBy: by, assigneeUserId: c.assigneeUserId });
    }

    // The clock's timers; a deadline computed under other business hours (the configuration changed) is computed again.
    let open = store.slaClocks.current(c.id);
    if (open && p && open.runningSince !== null && open.breachedAt === null) {
      const due = addBusinessTime(p.hours, open.runningSince, open.targetMs - open.usedMs);
      if (due !== null && due !== open.dueAt) {
        store.slaClocks.update(open.id, { ...open, dueAt: due });
        open = { ...open, dueAt: due };
      }
    }
    if (open && p && open.runningSince !== null) {
      const key = (kind: TimerKind) => ({ kind, conversationId: c.id, refId: open.id });
      store.timers.set(key('sla-warn'), warnAt(p, open));
      store.timers.set(key('sla-breach'), open.breachedAt === null ? open.dueAt : null);
      store.timers.set(key('sla-refresh'), open.breachedAt === null ? null : nextRefreshAt(p, open, at), { again: true });
    } else {
      store.timers.cancelFor(c.id, SLA_TIMERS);
    }

    // The snooze wake-up, the auto-close of a wait on the customer, reminders the customer answered.
    const one = (kind: TimerKind) => ({ kind, conversationId: c.id, refId: 0 });
    store.timers.set(one('snooze-wake'), status === 'snoozed' ? c.snoozedUntil : null, { again: true, createdBy: c.snoozedBy });
    const after = settings?.autoCloseWaitingAfterMs ?? null;
    store.timers.set(one('auto-close'), status === 'pending' && after !== null ? (c.statusSince ?? c.updatedAt) + after : null, { again: true });
    for (const r of store.timers.waitingFor(c.id, ['reminder'])) {
      if (status === 'closed' || (lastIn && lastIn.receivedAt > r.createdAt)) store.timers.cancel(r.id);
    }
  }

  return {
    /** Bring one conversation's clock and timers in line with what it is now. Call inside the transaction that changed it. */
    sync(conversationId: number, at = now()): void {
      store.transaction(() => syncOne(conversationId, at));
      changed();
    },
    /**
     * A new conversation's first-response target set by a routing rule instead of the inbox's:
     * its clock takes it and the deadline and timers follow. False when there is no such clock
     * (the inbox has no response targets). Inside the caller's transaction.
     */
    retarget(conversationId: number, targetMs: number, at = now()): boolean {
      const done = store.transaction(() => {
        const clock = store.slaClocks.current(conversationId);
        if (!clock || clock.kind !== 'first') return false;
        store.slaClocks.retarget(clock.id, targetMs);
        syncOne(conversationId, at);
        return true;
      });
      if (done) changed();
      return done;
    },
    /** At start: every conversation that is not closed, or has a clock still open. */
    syncAll(at = now()): number {
      const ids = store.conversations.activeIds();
      for (const id of ids) store.transaction(() => syncOne(id, at));
      changed();
      return ids.length;
    },
    /** Hear when timers were set or moved (the scheduler looks again). */
    onTimersChanged(listener: () => void): void {
      listeners.push(listener);
    },
    /** Timers were set elsewhere (a reminder, a scheduled email). */
    timersChanged: changed,
    policy,
    /** How the parent shows the conversation's clock now; null without one. */
    view(conversationId: number, at = now()): ClockView | null {
      const clock = store.slaClocks.current(conversationId);
      const p = clock ? policy(clock.inboxId) : null;
      return clock && p ? clockView(p, clock, at) : null;
    },
    autoCloseAfter: (inboxId: number): number | null => o.settings(inboxId)?.autoCloseWaitingAfterMs ?? null,
    /** The inbox's time zone, when it has one (snoozes read times there). */
    zone: (inboxId: number): string | null => o.settings(inboxId)?.timezone ?? null,
  };
}
export type Timekeeper = ReturnType<typeof createTimekeeper>;
