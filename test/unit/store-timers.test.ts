// The timer rows: keyed timers move while waiting and never fire twice once done (unless set
// again for a new time where that is meant), claims are exclusive, and due/next are by time.
import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../src/store/index.ts';

function store() {
  return createStore(openDb(':memory:'));
}

describe('timers', () => {
  it('moves a waiting keyed timer, cancels it, and revives it when set again', () => {
    const s = store();
    const key = { kind: 'sla-warn' as const, conversationId: 1, refId: 5 };
    s.timers.set(key, 1_000);
    s.timers.set(key, 2_000);
    expect(s.timers.get(key)).toMatchObject({ dueAt: 2_000, status: 'waiting' });
    expect(s.timers.nextDueAt()).toBe(2_000);
    s.timers.set(key, null);
    expect(s.timers.get(key)?.status).toBe('cancelled');
    expect(s.timers.nextDueAt()).toBeNull();
    s.timers.set(key, 3_000);
    expect(s.timers.get(key)).toMatchObject({ dueAt: 3_000, status: 'waiting' });
  });

  it('keeps a done timer done when set again (the same warning never fires twice), unless `again` and the time differs', () => {
    const s = store();
    const warn = { kind: 'sla-warn' as const, conversationId: 1, refId: 5 };
    s.timers.set(warn, 1_000);
    const row = s.timers.get(warn)!;
    expect(s.timers.claim(row.id, 1_000)).toBe(true);
    expect(s.timers.claim(row.id, 1_000)).toBe(false);
    s.timers.done(row.id);
    s.timers.set(warn, 5_000);
    expect(s.timers.get(warn)).toMatchObject({ status: 'done', dueAt: 1_000 });

    const wake = { kind: 'snooze-wake' as const, conversationId: 1, refId: 0 };
    s.timers.set(wake, 1_000, { again: true });
    const w = s.timers.get(wake)!;
    s.timers.claim(w.id, 1_000);
    s.timers.done(w.id);
    s.timers.set(wake, 1_000, { again: true });
    expect(s.timers.get(wake)?.status).toBe('done');
    s.timers.set(wake, 9_000, { again: true });
    expect(s.timers.get(wake)).toMatchObject({ status: 'waiting', dueAt: 9_000, id: w.id });
  });

  it('does not move a firing timer', () => {
    const s = store();
    const key = { kind: 'sla-breach' as const, conversationId: 2, refId: 1 };
    s.timers.set(key, 1_000);
    const row = s.timers.get(key)!;
    s.timers.claim(row.id, 1_000);
    s.timers.set(key, 4_000, { again: true });
    expect(s.timers.get(key)).toMatchObject({ status: 'firing', dueAt: 1_000 });
    expect(s.timers.firing().map((t) => t.id)).toEqual([row.id]);
  });

  it('lists due timers oldest first and keeps unkeyed ones apart', () => {
    const s = store();
    const a = s.timers.add({ kind: 'reminder', conversationId: 3, dueAt: 300, createdBy: 'U1' });
    const b = s.timers.add({ kind: 'reminder', conversationId: 3, dueAt: 100, createdBy: 'U2' });
    s.timers.set({ kind: 'auto-close', conversationId: 4, refId: 0 }, 200);
    expect(s.timers.due(250, 10).map((t) => t.kind + t.id)).toEqual([`reminder${b.id}`, 'auto-close3']);
    expect(s.timers.due(1_000, 2)).toHaveLength(2);
    expect(s.timers.waitingFor(3).map((t) => t.id)).toEqual([b.id, a.id]);
    expect(s.timers.cancelFor(3, ['reminder'])).toBe(2);
    expect(s.timers.waitingCounts()).toEqual({ 'auto-close': 1 });
  });
});
