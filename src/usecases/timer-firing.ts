// What each timer does when it fires. Firing has two steps:
//  1. one transaction: claim the timer (waiting → firing), make its change (wake the
//     conversation, close it, mark the clock breached, release the email…), record the event its
//     note shows, and keep the timers in line (time-keeping);
//  2. say it in Slack — a thread note (and, for a breach, a DM to the assignee) tagged with the
//     event's id — then mark the timer done.
// A crash between the two leaves the timer `firing`: at start its note is looked for by that tag
// and posted only if Slack does not have it, so nothing is lost and nothing is said twice. A
// scheduled email is released to the outbox in step 1, which sends it exactly once.
import type { Logger } from 'pino';
import { isLate } from '../core/timers.ts';
import { noTelemetry, type Telemetry } from '../core/telemetry.ts';
import type { Conversation } from '../core/types.ts';
import { describeError } from '../errors.ts';
import type { DueDmVM } from '../slack/ui/blocks/due-dm.ts';
import type { NoteVM } from '../slack/ui/blocks/note-message.ts';
import type { Store } from '../store/index.ts';
import type { EventRow } from '../store/events.ts';
import type { TimerRow } from '../store/timers.ts';
import { permalink } from './parent-view.ts';
import { createScheduler, type Scheduler, type SchedulerOptions, type TimerHandlers } from './scheduler.ts';
import type { Timekeeper } from './time-keeping.ts';

/** What timers say in Slack (implemented in slack/outbound/timer-posts.ts). */
export interface TimerSlack {
  /** A note in the conversation's thread, tagged with `eventId`; with `reconcile`, posted only if no note with that tag is there. Resolves once Slack has it. */
  note(c: Conversation, note: NoteVM, o: { eventId: number; reconcile: boolean }): Promise<void>;
  /** A direct message to a teammate, tagged and reconciled the same way. */
  dm(userId: string, dm: DueDmVM, o: { eventId: number; conversationId: number; reconcile: boolean }): Promise<void>;
  refreshParent(conversationId: number): void;
  /** The thread message of a scheduled email no longer offers Cancel: it went, or was cancelled. */
  scheduledSettled(outboxId: number, how: { sent: true } | { cancelledBy: string | null }): Promise<void>;
}

export interface TimerFiringOptions {
  store: Store;
  timekeeper: Timekeeper;
  slack: TimerSlack;
  kickOutbox: () => void;
  teamUrl: () => string | null;
  logger: Logger;
  telemetry?: Telemetry;
}

/** What a fired timer says: built from its event, the same way the first time and after a crash. */
interface Saying {
  conversation: Conversation;
  note: NoteVM | null;
  dm: { userId: string; vm: DueDmVM } | null;
  settleScheduled: number | null;
}

export function createTimerFiring(o: TimerFiringOptions): TimerHandlers {
  const { store, timekeeper, slack, logger } = o;
  const telemetry = o.telemetry ?? noTelemetry;
  const inFlight = new Set<Promise<void>>();

  /** Step 1 for each kind, inside the claiming transaction: the event id, or null when there is nothing to say. */
  function apply(t: TimerRow, c: Conversation, at: number): number | null {
    const base = { inboxId: c.inboxId, conversationId: c.id, at };
    switch (t.kind) {
      case 'sla-warn':
      case 'sla-breach': {
        const clock = t.refId !== null ? store.slaClocks.byId(t.refId) : undefined;
        if (!clock || clock.endedAt !== null || clock.runningSince === null || clock.dueAt === null) return null;
        if (t.kind === 'sla-warn') return store.events.record({ ...base, type: 'sla.warned', data: { clockId: clock.id, dueAt: clock.dueAt, assigneeUserId: c.assigneeUserId } });
        store.slaClocks.breach(clock.id, clock.dueAt);
        timekeeper.sync(c.id, at);
        return store.events.record({ ...base, type: 'sla.breached', data: { clockId: clock.id, dueAt: clock.dueAt, kind: clock.kind, targetMs: clock.targetMs, assigneeUserId: c.assigneeUserId } });
      }
      case 'sla-refresh':
        // Done first, so that time-keeping sets it again for the next step.
        store.timers.done(t.id);
        timekeeper.sync(c.id, at);
        slack.refreshParent(c.id);
        return null;
      case 'snooze-wake': {
        if (c.status !== 'snoozed' || (c.snoozedUntil ?? 0) > at) return null;
        store.conversations.setStatus(c.id, 'open', null, at);
        timekeeper.sync(c.id, at);
        return store.events.record({ ...base, type: 'conversation.woke', data: { reason: 'time', assigneeUserId: c.assigneeUserId } });
      }
      case 'auto-close': {
        const after = timekeeper.autoCloseAfter(c.inboxId);
        if (c.status !== 'pending' || after === null || (c.statusSince ?? c.updatedAt) + after > at) return null;
        store.conversations.setStatus(c.id, 'closed', null, at);
        timekeeper.sync(c.id, at);
        return store.events.record({ ...base, type: 'conversation.closed', data: { resolution: null, automatic: true, afterMs: after } });
      }
      case 'reminder': {
        const since = store.messages.lastInbound(c.id);
        if (c.status === 'closed' || !t.createdBy || (since && since.kind === 'human' && since.receivedAt > t.createdAt)) return null;
        return store.events.record({ ...base, type: 'reminder.fired', actorUserId: t.createdBy, data: { timerId: t.id, setAt: t.createdAt } });
      }
      case 'send': {
        if (t.refId === null || !store.outbox.releaseScheduled(t.refId, at)) return null;
        return store.events.record({ ...base, type: 'email.released', data: { outboxId: t.refId, late: isLate(t.dueAt, at), scheduledFor: t.dueAt } });
      }
    }
  }

  function saying(t: TimerRow, e: EventRow, c: Conversation): Saying {
    const d = e.data;
    const num = (v: unknown) => (typeof v === 'number' ? v : 0);
    const assignee = typeof d.assigneeUserId === 'string' ? d.assigneeUserId : null;
    const s: Saying = { conversation: c, note: null, dm: null, settleScheduled: null };
    if (e.type === 'sla.warned') s.note = { kind: 'sla-warning', assigneeUserId: assignee, dueAt: num(d.dueAt) };
    else if (e.type === 'sla.breached') {
      s.note = { kind: 'sla-breached', assigneeUserId: assignee, dueAt: num(d.dueAt), targetMs: num(d.targetMs), first: d.kind === 'first' };
      const inbox = store.inboxes.byId(c.inboxId);
      if (assignee)
        s.dm = {
          userId: assignee,
          vm: { number: c.id, subject: c.subject, inboxName: inbox?.name ?? 'Inbox', channelId: c.channelId, permalink: permalink(o.teamUrl(), c.channelId, c.slackTs), dueAt: num(d.dueAt), targetMs: num(d.targetMs) },
        };
    } else if (e.type === 'conversation.woke') s.note = { kind: 'woke', reason: 'time', assigneeUserId: assignee };
    else if (e.type === 'conversation.closed') s.note = { kind: 'auto-closed', afterMs: num(d.afterMs) };
    else if (e.type === 'reminder.fired' && t.createdBy) s.note = { kind: 'reminder', forUserId: t.createdBy, setAt: num(d.setAt) };
    else if (e.type === 'email.released') {
      s.settleScheduled = num(d.outboxId);
      if (d.late === true) s.note = { kind: 'sent-late', scheduledFor: num(d.scheduledFor) };
    }
    return s;
  }

  /** Step 2: say it, then the timer is done. */
  async function say(t: TimerRow, eventId: number, reconcile: boolean): Promise<void> {
    const e = store.events.byId(eventId);
    const c = t.conversationId !== null ? store.conversations.byId(t.conversationId) : undefined;
    if (e && c) {
      const s = saying(t, e, c);
      if (s.settleScheduled) {
        o.kickOutbox();
        await slack.scheduledSettled(s.settleScheduled, { sent: true }).catch(() => undefined);
      }
      if (s.note) await slack.note(c, s.note, { eventId, reconcile });
      if (s.dm) await slack.dm(s.dm.userId, s.dm.vm, { eventId, conversationId: c.id, reconcile }).catch((err: unknown) => logger.warn({ timer: t.id, err: describeError(err) }, 'could not send the overdue DM'));
      slack.refreshParent(c.id);
    }
    store.timers.done(t.id);
  }

  function track(p: Promise<void>, t: TimerRow): void {
    const done = p.catch((err: unknown) => logger.error({ timer: t.id, kind: t.kind, err: describeError(err) }, 'timer note not posted; it will be at the next start'));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }

  return {
    async fire(t, at) {
      const eventId = store.transaction(() => {
        if (!store.timers.claim(t.id, at)) return undefined;
        const c = t.conversationId !== null ? store.conversations.byId(t.conversationId) : undefined;
        const id = c ? apply(t, c, at) : null;
        if (id !== null) store.timers.setEvent(t.id, id);
        else if (store.timers.byId(t.id)?.status === 'firing') store.timers.done(t.id);
        return id;
      });
      if (eventId === undefined) return;
      telemetry.timerFired(t.kind, isLate(t.dueAt, at));
      if (eventId === null) return;
      logger.info({ timer: t.id, kind: t.kind, conversation: t.conversationId, lateMs: Math.max(0, at - t.dueAt) }, 'timer fired');
      track(say(t, eventId, false), t);
    },
    async resume(t) {
      if (t.eventId === null) {
        // Claimed, but its transaction never committed a change: fire it afresh.
        store.timers.done(t.id);
        return;
      }
      logger.info({ timer: t.id, kind: t.kind, conversation: t.conversationId }, 'finishing a timer the last run had fired');
      await say(t, t.eventId, true);
    },
    async settled() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

/**
 * The scheduler with these handlers, looking again whenever time-keeping moves a timer; at start
 * every active conversation's clock and timers are brought in line first (time-keeping.ts).
 */
export function createTimeScheduler(o: TimerFiringOptions & Omit<SchedulerOptions, 'handlers' | 'store' | 'logger' | 'telemetry'>): Scheduler {
  const scheduler = createScheduler({ ...o, handlers: createTimerFiring(o) });
  o.timekeeper.onTimersChanged(() => scheduler.kick());
  return {
    ...scheduler,
    async start() {
      const synced = o.timekeeper.syncAll();
      o.logger.debug({ conversations: synced }, 'clocks and timers in line');
      await scheduler.start();
    },
  };
}
