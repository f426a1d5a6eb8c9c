import { describe, expect, it } from 'vitest';
import { activeUsers, createCollisionTracker, type PendingReplyMark } from '../../../src/usecases/collision.ts';

function rig() {
  let t = 1_000;
  const changed: number[] = [];
  let pending: PendingReplyMark[] = [];
  const tracker = createCollisionTracker({
    now: () => t,
    onChange: (id) => changed.push(id),
    pendingReplies: (now) => pending.filter((p) => p.sendAt > now),
    modalTtlMs: 60_000,
    timers: false,
  });
  return {
    tracker,
    changed,
    advance: (ms: number) => (t += ms),
    setPending: (p: PendingReplyMark[]) => (pending = p),
    now: () => t,
  };
}

describe('collision tracker', () => {
  it('shows who has the reply modal open until they close it', () => {
    const r = rig();
    r.tracker.markReplying(7, 'U1');
    r.tracker.markReplying(7, 'U2');
    expect(r.tracker.replying(7)).toEqual(['U1', 'U2']);
    expect(r.tracker.replying(8)).toEqual([]);
    r.tracker.clearReplying(7, 'U1');
    expect(r.tracker.replying(7)).toEqual(['U2']);
    expect(r.changed).toEqual([7, 7, 7]);
  });

  it('does not redraw when nothing visible changed', () => {
    const r = rig();
    r.tracker.markReplying(7, 'U1');
    r.tracker.markReplying(7, 'U1'); // re-opened: still the same name
    r.tracker.clearReplying(9, 'U1'); // never marked
    expect(r.changed).toEqual([7]);
  });

  it('forgets a modal mark when it expires, and redraws then', () => {
    const r = rig();
    r.tracker.markReplying(7, 'U1');
    r.advance(59_999);
    r.tracker.sweep();
    expect(r.tracker.replying(7)).toEqual(['U1']);
    r.advance(1);
    expect(r.tracker.replying(7)).toEqual([]);
    r.tracker.sweep();
    expect(r.changed).toEqual([7, 7]);
  });

  it('shows a reply waiting in its undo window, and drops it when it is sent or cancelled', () => {
    const r = rig();
    r.setPending([{ conversationId: 3, userId: 'U5', sendAt: r.now() + 10_000 }]);
    r.tracker.syncPending();
    expect(r.tracker.replying(3)).toEqual(['U5']);
    r.setPending([]); // cancelled (deleted in the window)
    r.tracker.syncPending();
    expect(r.tracker.replying(3)).toEqual([]);
    r.setPending([{ conversationId: 3, userId: 'U5', sendAt: r.now() + 10_000 }]);
    r.tracker.syncPending();
    r.advance(10_000); // the window ended: it is being sent
    expect(r.tracker.replying(3)).toEqual([]);
    r.tracker.sweep();
    expect(r.changed).toEqual([3, 3, 3, 3]);
  });

  it('names someone once when they both have the modal open and a reply pending', () => {
    const r = rig();
    r.tracker.markReplying(4, 'U1');
    r.setPending([{ conversationId: 4, userId: 'U1', sendAt: r.now() + 5000 }]);
    r.tracker.syncPending();
    expect(r.tracker.replying(4)).toEqual(['U1']);
    r.tracker.clearReplying(4, 'U1');
    expect(r.tracker.replying(4)).toEqual(['U1']);
    expect(r.changed).toEqual([4]);
  });

  it('activeUsers keeps marks that end after now', () => {
    expect(activeUsers(new Map([['A', 10], ['B', 5], ['C', 11]]), 10)).toEqual(['C']);
    expect(activeUsers(undefined, 0)).toEqual([]);
  });

  it('redraws by itself when a mark expires (timers on)', async () => {
    const changed: number[] = [];
    const tracker = createCollisionTracker({ onChange: (id) => changed.push(id), modalTtlMs: 30 });
    tracker.markReplying(1, 'U1');
    await new Promise((r) => setTimeout(r, 120));
    expect(tracker.replying(1)).toEqual([]);
    expect(changed).toEqual([1, 1]);
    tracker.stop();
  });
});
