// When to try a temporarily failed email again, and when to give up. Pure: the outbox worker
// passes the attempt count and clock, and stores the answer.

/** Delays after the 1st, 2nd, … failed attempt; the last one repeats. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

export interface RetryPolicy {
  delaysMs?: readonly number[];
  /** Give up after this many attempts in all (default 30). */
  maxAttempts?: number;
  /** Give up once this long has passed since the first attempt (default 24 h). */
  maxAgeMs?: number;
  /** Spread each delay by ± this fraction (default 0.2), so a backlog does not retry in lockstep. */
  jitter?: number;
}

export interface RetryInput {
  /** Attempts made so far, including the one that just failed (≥ 1). */
  attempts: number;
  /** When the first attempt was made (ms since epoch). */
  firstAttemptAt: number;
  now: number;
  /** A number in [0, 1); Math.random in production, fixed in tests. */
  random?: () => number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; at: number }
  | { retry: false; reason: 'max_attempts' | 'expired' };

/** The delay before attempt `attempts + 1`, without jitter. */
export function retryDelayMs(attempts: number, delaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): number {
  if (delaysMs.length === 0) return 0;
  const index = Math.min(Math.max(attempts, 1), delaysMs.length) - 1;
  return delaysMs[index] as number;
}

/** Whether and when to retry after a temporary failure. */
export function nextRetry(input: RetryInput, policy: RetryPolicy = {}): RetryDecision {
  const { delaysMs = DEFAULT_RETRY_DELAYS_MS, maxAttempts = 30, maxAgeMs = 24 * 3_600_000, jitter = 0.2 } = policy;
  if (input.attempts >= maxAttempts) return { retry: false, reason: 'max_attempts' };
  const base = retryDelayMs(input.attempts, delaysMs);
  const spread = Math.min(Math.max(jitter, 0), 1);
  const random = input.random ?? Math.random;
  const delayMs = Math.max(0, Math.round(base * (1 + spread * (2 * random() - 1))));
  const at = input.now + delayMs;
  if (at - input.firstAttemptAt > maxAgeMs) return { retry: false, reason: 'expired' };
  return { retry: true, delayMs, at };
}
