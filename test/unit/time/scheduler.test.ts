// The one scheduler, driven by an injected clock over a real (in-memory) store: timers fire at
// their time and not before, a backlog drains at a pace, a clock jump is noticed and fires
// nothing twice, and a crash between storing a timer's change and saying it in Slack neither
// loses nor doubles the note.
import { describe, expect, it } from 'vitest';
import { rig, SEC, snooze, T0 } from './scheduler-rig.ts';

describe('the scheduler', () => {
  it('fires a snooze wake-up at its time, not before, and once', async () => {
    const r = rig();
    const scheduler = r.build();
    const c = r.conversation();
    snooze(r.store, c, T0 + 60 * SEC, T0);
    r.timekeeper.sync(c.id, T0);
    await scheduler.start();
    r.clock.pass(59 * SEC);
    expect((await scheduler.tick()).fired).toBe(0);
    expect(r.store.conversations.byId(c.id)?.status).toBe('snoozed');
    r.clock.pass(1 * SEC);
    expect((await scheduler.tick()).fired).toBe(1);
    await scheduler.idle();
    expect(r.store.conversations.byId(c.id)?.status).toBe('open');
    expect(r.posted.map((p) => p.note)).toEqual([{ kind: 'woke', reason: 'time', assigneeUserId: 'U0ANA00001' }]);
    r.clock.pass(60 * SEC);
    expect((await scheduler.tick()).fired).toBe(0);
    expect(r.posted).toHaveLength(1);
  });

  it('drains a backlog at its pace: at most ten a tick, oldest first', async () => {
    const r = rig();
    const scheduler = r.build();
    const c = r.conversation();
    for (let i = 0; i < 25; i++) r.store.timers.add({ kind: 'reminder', conversationId: c.id, dueAt: T0 + i, createdBy: 'U0ANA00001', createdAt: T0 - 1000 });
    await scheduler.start();
    r.clock.pass(SEC);
    const ticks = [await scheduler.tick(), await scheduler.tick(), await scheduler.tick()];
    expect(ticks.map((t) => [t.fired, t.backlog])).toEqual([[10, true], [10, true], [5, false]]);
    await scheduler.idle();
    expect(r.posted).toHaveLength(25);
    expect(new Set(r.posted.map((p) => p.eventId)).size).toBe(25);
  });

  it('notices a wall-clock jump, fires what it made due at the pace, and nothing twice when the clock goes back', async () => {
    const r = rig();
    const scheduler = r.build();
    const cs = Array.from({ length: 15 }, () => r.conversation());
    cs.forEach((c, i) => {
      snooze(r.store, c, T0 + (i + 1) * 60 * SEC, T0);
      r.timekeeper.sync(c.id, T0);
    });
    await scheduler.start();
    r.clock.pass(30 * SEC);
    await scheduler.tick();
    expect(r.jumps).toEqual([]);
    r.clock.jump(2 * 3_600 * SEC);
    const first = await scheduler.tick();
    expect(r.jumps).toHaveLength(1);
    expect(first).toMatchObject({ fired: 10, backlog: true });
    r.clock.pass(SEC);
    expect((await scheduler.tick()).fired).toBe(5);
    await scheduler.idle();
    // Set back by the same two hours: the wake-ups already done stay done.
    r.clock.jump(-2 * 3_600 * SEC);
    r.clock.pass(20 * 60 * SEC);
    await scheduler.tick();
    await scheduler.idle();
    expect(r.jumps).toHaveLength(2);
    expect(r.posted).toHaveLength(15);
    expect(cs.every((c) => r.store.conversations.byId(c.id)?.status === 'open')).toBe(true);
  });

  it('supersedes a warning by the breach due with it', async () => {
    const H = 3_600 * SEC;
    const r = rig(() => ({ sla: { firstResponseMs: 4 * H, nextResponseMs: null, warnBeforeMs: H, businessHours: null, holidays: [] }, timezone: 'UTC', autoCloseWaitingAfterMs: null }));
    const scheduler = r.build();
    const c = r.conversation();
    r.store.messages.insert({ conversationId: c.id, inboxId: c.inboxId, direction: 'in', messageId: 'm1@x', inReplyTo: null, references: [], from: { name: '', address: 'carla@customer.example' }, to: [], cc: [], subject: 'Hello', kind: 'human', postState: 'posted', receivedAt: T0 });
    r.timekeeper.sync(c.id, T0);
    expect(r.store.timers.waitingFor(c.id).map((t) => t.kind).sort()).toEqual(['sla-breach', 'sla-warn']);
    await scheduler.start();
    r.clock.pass(5 * H);
    await scheduler.tick();
    await scheduler.idle();
    expect(r.posted.map((p) => p.note.kind)).toEqual(['sla-breached']);
    expect(r.dms).toEqual([{ userId: 'U0ANA00001', eventId: r.posted[0]!.eventId }]);
  });

  it('finishes a timer whose note did not make it before a crash, once, and not again if Slack had it', async () => {
    const r = rig();
    const a = r.conversation();
    const b = r.conversation();
    for (const c of [a, b]) {
      snooze(r.store, c, T0 + 10 * SEC, T0);
      r.timekeeper.sync(c.id, T0);
    }
    const first = r.build();
    await first.start();
    r.clock.pass(10 * SEC);
    r.setDown(true);
    await first.tick();
    await first.idle();
    // The change is stored (both woke) but Slack has neither note: the timers are left firing.
    expect([a, b].map((c) => r.store.conversations.byId(c.id)?.status)).toEqual(['open', 'open']);
    expect(r.store.timers.firing()).toHaveLength(2);
    expect(r.posted).toHaveLength(0);
    // Say one note did reach Slack before the process died.
    const [fa] = r.store.timers.firing();
    r.posted.push({ conversationId: a.id, eventId: fa!.eventId!, note: { kind: 'woke', reason: 'time', assigneeUserId: null } });
    r.setDown(false);
    const second = r.build();
    await second.start();
    await second.idle();
    expect(r.posted.map((p) => p.conversationId).sort()).toEqual([a.id, b.id]);
    expect(r.store.timers.firing()).toHaveLength(0);
    // A third start does nothing more.
    const third = r.build();
    await third.start();
    await third.idle();
    expect(r.posted).toHaveLength(2);
  });

  it('releases a scheduled email to the outbox exactly once, and says late when its time passed long ago', async () => {
    const r = rig();
    const scheduler = r.build();
    const c = r.conversation();
    const { row } = r.store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U0ANA00001', payload: { text: 'hi', files: [] }, messageId: 'mr.x.1@example.com', sendAt: T0 + SEC, status: 'scheduled' });
    r.store.timers.set({ kind: 'send', conversationId: c.id, refId: row.id }, T0 + SEC);
    await scheduler.start();
    r.clock.pass(5 * 60 * SEC);
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    await scheduler.idle();
    expect(r.store.outbox.byId(row.id)).toMatchObject({ status: 'pending', sendAt: T0 + 5 * 60 * SEC });
    expect(r.kicks()).toBe(1);
    expect(r.posted.map((p) => p.note)).toEqual([{ kind: 'sent-late', scheduledFor: T0 + SEC }]);
  });
});
