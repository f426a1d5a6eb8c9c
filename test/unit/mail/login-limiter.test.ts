import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLoginLimiter, type LoginLimiter } from '../../../src/mail/inbound/login-limiter.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** `n` logins through the limiter, each holding its slot `loginMs`; records when each started and the most in flight. */
function logins(limiter: LoginLimiter, n: number, loginMs: number) {
  const started: number[] = [];
  let inFlight = 0;
  let most = 0;
  const done = Promise.all(
    Array.from({ length: n }, async () => {
      const release = await limiter.acquire();
      started.push(Date.now());
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, loginMs));
      inFlight--;
      release();
    }),
  );
  return { started, done, most: () => most };
}

describe('login limiter', () => {
  it('starts logins one spacing apart, never more than the concurrency at once, and lets every one through', async () => {
    const limiter = createLoginLimiter({ concurrency: 3, spacingMs: 100 });
    const run = logins(limiter, 25, 450);
    await vi.advanceTimersByTimeAsync(60_000);
    await run.done;
    expect(run.started).toHaveLength(25);
    expect(run.started[0]).toBe(0);
    for (let i = 1; i < run.started.length; i++) expect(run.started[i]! - run.started[i - 1]!).toBeGreaterThanOrEqual(100);
    expect(run.most()).toBe(3);
    // Slow logins: a slot frees every 450 / 3 = 150 ms, so the last one starts well after 24 × 100 ms.
    expect(run.started.at(-1)).toBeGreaterThanOrEqual(3400);
    expect(limiter.held).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it('with fast logins the spacing alone sets the pace (100 inboxes at 50 ms: 5 s)', async () => {
    const limiter = createLoginLimiter({ concurrency: 10, spacingMs: 50 });
    const run = logins(limiter, 100, 20);
    await vi.advanceTimersByTimeAsync(60_000);
    await run.done;
    expect(run.started.at(-1)).toBe(99 * 50);
    expect(run.most()).toBe(1);
  });

  it('takes back the slot of a login that hangs after maxHoldMs', async () => {
    const limiter = createLoginLimiter({ concurrency: 1, spacingMs: 0, maxHoldMs: 1000 });
    await limiter.acquire(); // never released
    let second = -1;
    void limiter.acquire().then(() => (second = Date.now()));
    await vi.advanceTimersByTimeAsync(999);
    expect(second).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toBe(1000);
  });

  it('releasing twice frees one slot, not two', async () => {
    const limiter = createLoginLimiter({ concurrency: 1, spacingMs: 0 });
    const release = await limiter.acquire();
    const granted: number[] = [];
    void limiter.acquire().then(() => granted.push(2));
    void limiter.acquire().then(() => granted.push(3));
    release();
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(granted).toEqual([2]);
    expect(limiter.held).toBe(1);
    expect(limiter.waiting).toBe(1);
  });

  it('a wait given up (the inbox stopped) leaves the queue and takes no slot', async () => {
    const limiter = createLoginLimiter({ concurrency: 1, spacingMs: 0 });
    const release = await limiter.acquire();
    const stop = new AbortController();
    const waiting = limiter.acquire(stop.signal);
    let third = false;
    void limiter.acquire().then(() => (third = true));
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(true);
    expect(limiter.waiting).toBe(0);
    await expect(limiter.acquire(stop.signal)).rejects.toThrow('stopped');
  });
});
