import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAYS_MS, nextRetry, retryDelayMs } from '../../../src/mail/outbound/retry-policy.ts';

const noJitter = { jitter: 0 };
const t0 = Date.UTC(2026, 0, 1);

describe('retryDelayMs', () => {
  it('follows the schedule and repeats its last step', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n))).toEqual([
      5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    expect(retryDelayMs(0)).toBe(DEFAULT_RETRY_DELAYS_MS[0]);
    expect(retryDelayMs(3, [1, 2])).toBe(2);
    expect(retryDelayMs(3, [])).toBe(0);
  });
});

describe('nextRetry', () => {
  it('schedules the next attempt from now', () => {
    expect(nextRetry({ attempts: 1, firstAttemptAt: t0, now: t0 + 100 }, noJitter)).toEqual({ retry: true, delayMs: 5_000, at: t0 + 5_100 });
    expect(nextRetry({ attempts: 3, firstAttemptAt: t0, now: t0 + 60_000 }, noJitter)).toEqual({
      retry: true,
      delayMs: 120_000,
      at: t0 + 180_000,
    });
  });

  it('jitters within ± the fraction', () => {
    const low = nextRetry({ attempts: 2, firstAttemptAt: t0, now: t0, random: () => 0 }, { jitter: 0.2 });
    const high = nextRetry({ attempts: 2, firstAttemptAt: t0, now: t0, random: () => 0.999999 }, { jitter: 0.2 });
    const mid = nextRetry({ attempts: 2, firstAttemptAt: t0, now: t0, random: () => 0.5 }, { jitter: 0.2 });
    expect(low).toMatchObject({ retry: true, delayMs: 24_000 });
    expect(high).toMatchObject({ retry: true, delayMs: 36_000 });
    expect(mid).toMatchObject({ retry: true, delayMs: 30_000 });
  });

  it('gives up after the maximum number of attempts', () => {
    expect(nextRetry({ attempts: 5, firstAttemptAt: t0, now: t0 }, { ...noJitter, maxAttempts: 5 })).toEqual({ retry: false, reason: 'max_attempts' });
    expect(nextRetry({ attempts: 4, firstAttemptAt: t0, now: t0 }, { ...noJitter, maxAttempts: 5 }).retry).toBe(true);
  });

  it('gives up when the next attempt would be past the maximum age', () => {
    const day = 24 * 3_600_000;
    expect(nextRetry({ attempts: 10, firstAttemptAt: t0, now: t0 + day - 1_000 }, noJitter)).toEqual({ retry: false, reason: 'expired' });
    expect(nextRetry({ attempts: 10, firstAttemptAt: t0, now: t0 + day - 3_600_000 }, noJitter).retry).toBe(true);
  });

  it('covers about a day with the defaults', () => {
    let now = t0;
    let attempts = 1;
    for (;;) {
      const decision = nextRetry({ attempts, firstAttemptAt: t0, now }, noJitter);
      if (!decision.retry) break;
      now = decision.at;
      attempts++;
    }
    expect(attempts).toBeGreaterThan(20);
    expect(now - t0).toBeLessThanOrEqual(24 * 3_600_000);
    expect(now - t0).toBeGreaterThan(22 * 3_600_000);
  });
});
