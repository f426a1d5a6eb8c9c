import { describe, expect, it } from 'vitest';
import { FAILING_NOTE_AFTER_MS, HEALTHY, reconnectDelayMs, sessionEnded, sessionHealthy, shouldNoteFailing, type ImapHealth } from '../../../src/mail/inbound/reconnect.ts';

/** Logins of a server that ends every session right after login, for `ms`, with the given jitter. */
function loginTimes(ms: number, random: () => number): number[] {
  let health: ImapHealth = HEALTHY;
  let t = 0;
  const logins: number[] = [];
  while (t < ms) {
    logins.push(t);
    const r = sessionEnded(health, { at: t, error: 'the server ended the session', backoff: true });
    health = r.health;
    t += reconnectDelayMs(r.delayStep!, random);
  }
  return logins;
}

describe('reconnect backoff', () => {
  it('grows from about a second to about a minute', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((s) => reconnectDelayMs(s, mid))).toEqual([750, 1500, 3000, 6000, 12_000, 24_000, 45_000, 45_000, 45_000]);
    expect(reconnectDelayMs(0, () => 0)).toBe(500);
    expect(reconnectDelayMs(9, () => 1)).toBe(60_000);
  });

  it('bug: a session failing right after login logged in once a second; now at most a few logins a minute after the first minute', () => {
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      const logins = loginTimes(10 * 60_000, random);
      expect(logins.filter((t) => t < 60_000).length).toBeLessThanOrEqual(7);
      for (let minute = 1; minute < 10; minute++) expect(logins.filter((t) => t >= minute * 60_000 && t < (minute + 1) * 60_000).length).toBeLessThanOrEqual(2);
    }
  });

  it('counts failures and when they began; a healthy session resets both', () => {
    let h = sessionEnded(HEALTHY, { at: 1000, error: 'a', backoff: true });
    expect(h).toEqual({ health: { failures: 1, backoffStep: 1, failingSince: 1000, lastError: 'a', noted: false }, delayStep: 0 });
    h = sessionEnded(h.health, { at: 5000, error: 'b', backoff: true });
    expect(h).toMatchObject({ health: { failures: 2, backoffStep: 2, failingSince: 1000, lastError: 'b' }, delayStep: 1 });
    expect(sessionHealthy(h.health)).toEqual({ health: HEALTHY, recovered: false });
  });

  it('a permanent sign-in failure keeps its own wait: counted as failing, not backed off', () => {
    const h = sessionEnded(HEALTHY, { at: 0, error: 'consent revoked', backoff: false });
    expect(h).toEqual({ health: { failures: 1, backoffStep: 0, failingSince: 0, lastError: 'consent revoked', noted: false }, delayStep: null });
    expect(sessionEnded(h.health, { at: 60_000, error: 'x', backoff: true }).delayStep).toBe(0);
  });

  it('says it in the channel after 10 minutes of failing, once, and again when it works', () => {
    const h = sessionEnded(HEALTHY, { at: 0, error: 'a', backoff: true }).health;
    expect(shouldNoteFailing(h, FAILING_NOTE_AFTER_MS - 1)).toBe(false);
    expect(shouldNoteFailing(h, FAILING_NOTE_AFTER_MS)).toBe(true);
    const noted = { ...h, noted: true };
    expect(shouldNoteFailing(noted, FAILING_NOTE_AFTER_MS * 2)).toBe(false);
    expect(shouldNoteFailing(HEALTHY, FAILING_NOTE_AFTER_MS * 2)).toBe(false);
    expect(sessionHealthy(noted)).toEqual({ health: HEALTHY, recovered: true });
  });
});
