import { describe, expect, it } from 'vitest';
import { createStore, LeaseLost, openDb } from '../../src/store/index.ts';

const TTL = 15_000;

describe('the writer lease in the store', () => {
  it('is taken by one holder; another waits until it expires, then takes it with a new epoch', () => {
    const { lease } = createStore(openDb(':memory:'));
    expect(lease.acquire('a', 1000, TTL)).toEqual({ holder: 'a', epoch: 1 });
    expect(lease.acquire('b', 1000 + TTL - 1, TTL)).toBeNull();
    expect(lease.acquire('b', 1000 + TTL, TTL)).toEqual({ holder: 'b', epoch: 2 });
    expect(lease.current()).toMatchObject({ holder: 'b', epoch: 2, expiresAt: 1000 + 2 * TTL });
  });

  it('renews only for its holder and epoch, and not once expired', () => {
    const { lease } = createStore(openDb(':memory:'));
    const a = lease.acquire('a', 0, TTL)!;
    expect(lease.renew(a, 10_000, TTL)).toBe(true);
    expect(lease.holds(a, 10_000 + TTL - 1)).toBe(true);
    expect(lease.renew(a, 10_000 + TTL, TTL)).toBe(false);
    const b = lease.acquire('b', 10_000 + TTL, TTL)!;
    expect(lease.renew(a, 10_000 + TTL, TTL)).toBe(false);
    expect(lease.holds(b, 10_000 + TTL)).toBe(true);
  });

  it('is free at once after a release, and a stale token cannot release the new holder', () => {
    const { lease } = createStore(openDb(':memory:'));
    const a = lease.acquire('a', 0, TTL)!;
    lease.release(a);
    const b = lease.acquire('b', 1, TTL)!;
    expect(b.epoch).toBe(2);
    lease.release(a);
    expect(lease.holds(b, 2)).toBe(true);
  });

  it('is taken from a holder known to be gone before it expires', () => {
    const { lease } = createStore(openDb(':memory:'));
    lease.acquire('host:1:aa', 0, TTL);
    expect(lease.acquire('host:2:bb', 5, TTL, () => false)).toBeNull();
    expect(lease.acquire('host:2:bb', 5, TTL, (h) => h === 'host:1:aa')).toEqual({ holder: 'host:2:bb', epoch: 2 });
  });

  it('fences the outbox: a process whose lease was taken writes nothing more', () => {
    const store = createStore(openDb(':memory:'));
    const now = Date.now();
    const mine = store.lease.acquire('a', now, TTL)!;
    store.holdLease(mine);
    expect(() => store.fence()).not.toThrow();
    store.lease.release(mine);
    store.lease.acquire('b', now, TTL);
    expect(() => store.fence()).toThrow(LeaseLost);
    expect(() => store.outbox.markSent(1, now)).toThrow(LeaseLost);
  });
});
