// The scheduler and the writer lease: a process whose lease another took claims no timer, so it
// says and sends nothing; the new holder fires what is due, once.
import { describe, expect, it } from 'vitest';
import { LeaseLost } from '../../../src/store/index.ts';
import { rig, SEC, snooze, T0 } from './scheduler-rig.ts';

describe('the scheduler under the writer lease', () => {
  it('fires nothing once another process took the writer lease: the wake-up and the scheduled email wait for the new holder', async () => {
    const r = rig();
    const scheduler = r.build();
    const c = r.conversation();
    snooze(r.store, c, T0 + SEC, T0);
    r.timekeeper.sync(c.id, T0);
    const { row } = r.store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U0ANA00001', payload: { text: 'hi', files: [] }, messageId: 'mr.x.2@example.com', sendAt: T0 + SEC, status: 'scheduled' });
    r.store.timers.set({ kind: 'send', conversationId: c.id, refId: row.id }, T0 + SEC);
    const mine = r.store.lease.acquire('a', Date.now(), 15_000)!;
    r.store.holdLease(mine);
    await scheduler.start();
    r.store.lease.release(mine);
    const theirs = r.store.lease.acquire('b', Date.now(), 15_000)!;
    r.clock.pass(2 * SEC);
    expect(() => r.store.outbox.releaseScheduled(row.id, r.clock.wall)).toThrow(LeaseLost);
    await scheduler.tick();
    await scheduler.idle();
    expect(r.store.conversations.byId(c.id)?.status).toBe('snoozed');
    expect(r.store.outbox.byId(row.id)?.status).toBe('scheduled');
    expect(r.store.timers.waitingFor(c.id).map((t) => t.kind).sort()).toEqual(['send', 'snooze-wake']);
    expect(r.posted).toEqual([]);

    // The new holder (here: the same database under its lease) fires both, once.
    r.store.holdLease(theirs);
    expect((await scheduler.tick()).fired).toBe(2);
    await scheduler.idle();
    expect(r.store.conversations.byId(c.id)?.status).toBe('open');
    expect(r.store.outbox.byId(row.id)?.status).toBe('pending');
    expect(r.posted.map((p) => p.note.kind)).toEqual(['woke']);
  });
});
