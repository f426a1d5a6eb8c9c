import { describe, expect, it } from 'vitest';
import { CATCH_UP_MARGIN_MS, CATCH_UP_MAX_MS, catchUpSince } from '../../src/usecases/catch-up-replies.ts';

describe('how far back a start reads thread replies', () => {
  const now = Date.UTC(2026, 10, 21, 12);
  it('reads nothing back on a first start', () => {
    expect(catchUpSince(null, now)).toBeNull();
    expect(catchUpSince(Number.NaN, now)).toBeNull();
  });
  it('reads back from a little before the app was last alive', () => {
    const lastAlive = now - 3 * 60 * 60 * 1000;
    expect(catchUpSince(lastAlive, now)).toBe(lastAlive - CATCH_UP_MARGIN_MS);
  });
  it('never further back than a week', () => {
    expect(catchUpSince(now - 30 * 24 * 60 * 60 * 1000, now)).toBe(now - CATCH_UP_MAX_MS);
  });
});
