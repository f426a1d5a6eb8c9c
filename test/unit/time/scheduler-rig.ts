// The scheduler's test rig: a fake wall and monotonic clock, Slack as timers see it, and a real
// (in-memory) store with one inbox (scheduler*.test.ts).
import { silentLogger } from '../../../src/logger.ts';
import type { Conversation } from '../../../src/core/types.ts';
import { noTelemetry } from '../../../src/core/telemetry.ts';
import type { NoteVM } from '../../../src/slack/ui/blocks/note-message.ts';
import { createStore, openDb, type Store } from '../../../src/store/index.ts';
import { createScheduler, type SchedulerClock } from '../../../src/usecases/scheduler.ts';
import { createTimekeeper } from '../../../src/usecases/time-keeping.ts';
import { createTimerFiring, type TimerSlack } from '../../../src/usecases/timer-firing.ts';

export const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
export const SEC = 1_000;

export class FakeClock implements SchedulerClock {
  wall = T0;
  mono = 0;
  now = () => this.wall;
  monotonic = () => this.mono;
  pass(ms: number) {
    this.wall += ms;
    this.mono += ms;
  }
  jump(ms: number) {
    this.wall += ms;
  }
}

/** Slack as timers see it: notes kept by event id; `down` makes posting fail (Slack unreachable, or the process about to die). */
export function fakeSlack() {
  const posted: { conversationId: number; eventId: number; note: NoteVM }[] = [];
  const dms: { userId: string; eventId: number }[] = [];
  let down = false;
  const slack: TimerSlack = {
    async note(c: Conversation, note, o) {
      if (o.reconcile && posted.some((p) => p.eventId === o.eventId)) return;
      if (down) throw new Error('Slack is unreachable');
      posted.push({ conversationId: c.id, eventId: o.eventId, note });
    },
    async dm(userId, _vm, o) {
      if (o.reconcile && dms.some((d) => d.eventId === o.eventId)) return;
      dms.push({ userId, eventId: o.eventId });
    },
    refreshParent: () => undefined,
    scheduledSettled: async () => undefined,
  };
  return { slack, posted, dms, setDown: (v: boolean) => (down = v) };
}

export function rig(settings: Parameters<typeof createTimekeeper>[0]['settings'] = () => ({ sla: null, timezone: null, autoCloseWaitingAfterMs: null })) {
  const store = createStore(openDb(':memory:'));
  const [inbox] = store.inboxes.sync([{ key: 'support', name: 'Support', channelId: 'C0SUPPORT1', address: 'support@example.com' }]);
  const clock = new FakeClock();
  const timekeeper = createTimekeeper({ store, settings, now: clock.now });
  const s = fakeSlack();
  let kicks = 0;
  const jumps: number[] = [];
  const build = (slack = s.slack) =>
    createScheduler({
      store,
      handlers: createTimerFiring({ store, timekeeper, slack, kickOutbox: () => void kicks++, teamUrl: () => null, logger: silentLogger() }),
      logger: silentLogger(),
      telemetry: { ...noTelemetry, clockJumped: () => void jumps.push(clock.wall) },
      clock,
      autoRun: false,
      maxPerTick: 10,
    });
  const conversation = (o: Partial<Conversation> = {}) => {
    const c = store.conversations.create({ inboxId: inbox!.id, contactId: null, subject: 'Hello', channelId: 'C0SUPPORT1', ourAddress: 'support@example.com', assigneeUserId: 'U0ANA00001' });
    store.conversations.setParentTs(c.id, `1700000000.${String(c.id).padStart(6, '0')}`);
    if (o.status) store.conversations.setStatus(c.id, o.status, null, clock.wall);
    return store.conversations.byId(c.id)!;
  };
  return { store, clock, timekeeper, ...s, build, conversation, kicks: () => kicks, jumps };
}

export function snooze(store: Store, c: Conversation, until: number, at: number) {
  store.conversations.snooze(c.id, until, 'U0ANA00001', at);
}
