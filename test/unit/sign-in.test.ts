// Which provider refusals need a person, and the words they are told in.
import { describe, expect, it } from 'vitest';
import { classifySignInFailure, refreshDueAt, refreshRetryMs } from '../../src/core/sign-in.ts';

describe('classifySignInFailure', () => {
  it.each([
    [{ status: 400, error: 'invalid_grant', description: 'AADSTS70008: The refresh token has expired.' }, true, 'the sign-in has expired or was revoked (the provider said: AADSTS70008: The refresh token has expired.)'],
    [{ status: 401, error: 'invalid_client' }, true, 'the provider does not accept the app registration’s client ID or secret'],
    [{ status: 400, error: 'invalid_scope' }, true, 'the app registration has not been granted the permissions asked for'],
    [{ status: 400, error: 'weird_error' }, true, 'the provider refused the sign-in (weird_error)'],
    [{ status: 404 }, true, 'the token endpoint answered HTTP 404: check the token URL'],
    [{ status: 503 }, false, 'the provider answered HTTP 503'],
    [{ status: 429 }, false, 'the provider answered HTTP 429'],
    [{ status: 400, error: 'temporarily_unavailable' }, false, 'the provider is temporarily unavailable'],
    [{ network: true, description: 'fetch failed' }, false, 'the provider could not be reached (the provider said: fetch failed)'],
  ])('%o → permanent %s', (failure, permanent, reason) => {
    expect(classifySignInFailure(failure)).toMatchObject({ permanent, reason });
  });

  it('keeps the provider’s text to one short line, without anything token-like', () => {
    const long = `AADSTS50173: grant revoked\r\nTrace ID: x ${'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9abcdefghijklmnop'} ${'y'.repeat(300)}`;
    const { reason } = classifySignInFailure({ status: 400, error: 'invalid_grant', description: long });
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason).not.toContain('eyJ0eXAiOiJKV1Qi');
    expect(reason.length).toBeLessThan(300);
  });
});

describe('refresh timing', () => {
  it('refreshes at 80% of the lifetime, an hour when the provider says nothing', () => {
    expect(refreshDueAt(1000, 100)).toBe(1000 + 80_000);
    expect(refreshDueAt(0, null)).toBe(0.8 * 3600_000);
  });

  it('backs off the proactive refresh up to five minutes', () => {
    expect(refreshRetryMs(1)).toBe(5000);
    expect(refreshRetryMs(2)).toBe(10_000);
    expect(refreshRetryMs(20)).toBe(300_000);
  });
});
