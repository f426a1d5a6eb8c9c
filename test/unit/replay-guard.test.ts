import { describe, expect, it } from 'vitest';
import { replayGuard, requestId } from '../../src/slack/inbound/middleware/replay-guard.ts';

function run(guard: ReturnType<typeof replayGuard>, body: unknown) {
  let passed = false;
  let acked = false;
  const args = {
    body,
    logger: { debug: () => {} },
    ack: async () => {
      acked = true;
    },
    next: async () => {
      passed = true;
    },
  };
  return (guard as unknown as (a: typeof args) => Promise<void>)(args).then(() => ({ passed, acked }));
}

describe('replayGuard', () => {
  it('lets the first request with an id through and drops (but acknowledges) a repeat', async () => {
    const guard = replayGuard();
    expect(await run(guard, { trigger_id: 't1' })).toEqual({ passed: true, acked: false });
    expect(await run(guard, { trigger_id: 't1' })).toEqual({ passed: false, acked: true });
    expect(await run(guard, { trigger_id: 't2' })).toEqual({ passed: true, acked: false });
  });

  it('forgets ids after the window, and lets id-less requests through', async () => {
    let t = 0;
    const guard = replayGuard(() => t);
    await run(guard, { event_id: 'Ev1' });
    t = 11 * 60_000;
    await run(guard, { event_id: 'Ev2' });
    expect((await run(guard, { event_id: 'Ev1' })).passed).toBe(true);
    expect((await run(guard, { type: 'block_suggestion' })).passed).toBe(true);
    expect(requestId({ type: 'block_suggestion' })).toBeNull();
  });
});
