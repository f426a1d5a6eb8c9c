import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { createPostQueue, type Lane } from '../../src/slack/outbound/post-queue.ts';

/** A queue on a fake clock: sleeping advances time instantly, so pacing can be checked exactly. */
function harness(postsPerSecond: number, burst?: number) {
  let t = 0;
  const posts: { job: string; at: number }[] = [];
  const queue = createPostQueue({
    postsPerSecond,
    ...(burst !== undefined ? { burst } : {}),
    logger: silentLogger(),
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    retryDelayMs: () => 100,
  });
  const post = (key: string, n = 1, before?: (lane: Lane, i: number) => void) => ({
    key,
    run: async (lane: Lane) => {
      for (let i = 0; i < n; i++) {
        before?.(lane, i);
        await lane.slot();
        posts.push({ job: key, at: t });
      }
    },
  });
  return { queue, posts, post, now: () => t };
}

describe('post queue pacing', () => {
  it('allows a short burst, keeps a little in reserve, then keeps to the rate', async () => {
    const h = harness(1, 3);
    for (let i = 0; i < 6; i++) h.queue.enqueue('C1', h.post(`e${i}`));
    await h.queue.drained();
    const at = h.posts.map((p) => p.at);
    // Two at once; the third waits for the 100 ms reserve (jitter allowance) to refill.
    expect(at.slice(0, 2)).toEqual([0, 0]);
    expect(at[2]).toBeGreaterThanOrEqual(100);
    expect(at[2]).toBeLessThan(200);
    // Then exactly the rate.
    for (let i = 3; i < 6; i++) expect(at[i]! - at[i - 1]!).toBe(1000);
  });

  it('paces channels independently', async () => {
    const h = harness(2, 1);
    for (let i = 0; i < 3; i++) {
      h.queue.enqueue('A', h.post(`a${i}`));
      h.queue.enqueue('B', h.post(`b${i}`));
    }
    await h.queue.drained();
    const at = (c: string) => h.posts.filter((p) => p.job.startsWith(c)).map((p) => p.at);
    expect(at('a')).toEqual(at('b'));
    expect(at('a')).toEqual([0, 500, 1000]);
  });

  it('serves live jobs before the backlog (picked when the slot is free), and runs a key once', async () => {
    const h = harness(1000, 1);
    h.queue.enqueue('C', h.post('b1'), 'backlog');
    h.queue.enqueue('C', h.post('b2'), 'backlog');
    h.queue.enqueue('C', h.post('b3'), 'backlog');
    h.queue.enqueue('C', h.post('live'), 'live');
    h.queue.enqueue('C', h.post('live'), 'live');
    await h.queue.drained();
    expect(h.posts.map((p) => p.job)).toEqual(['live', 'b1', 'b2', 'b3']);
  });

  it('a 429 pauses only its channel for Retry-After', async () => {
    const h = harness(10, 1);
    h.queue.enqueue('A', h.post('a', 2, (lane, i) => i === 1 && lane.pause(5)));
    await h.queue.drained();
    expect(h.posts.map((p) => p.at)).toEqual([0, 5000]);
  });

  it('retries a failed job until it succeeds, in order', async () => {
    const h = harness(1000, 1);
    let failures = 2;
    h.queue.enqueue('C', {
      key: 'flaky',
      run: async (lane) => {
        await lane.slot();
        if (failures-- > 0) throw new Error('slack down');
        h.posts.push({ job: 'flaky', at: h.now() });
      },
    });
    h.queue.enqueue('C', h.post('next'));
    await h.queue.drained();
    expect(h.posts.map((p) => p.job)).toEqual(['flaky', 'next']);
  });
});
