import { describe, expect, it } from 'vitest';
import { checkRecipientRate, isOwnAddress } from '../../../src/core/loop-guard.ts';

describe('isOwnAddress', () => {
  const ours = ['support@acme.com', 'Help@Acme.com'];

  it('matches case-insensitively and with whitespace', () => {
    expect(isOwnAddress('SUPPORT@acme.com', ours)).toBe(true);
    expect(isOwnAddress(' help@acme.COM ', ours)).toBe(true);
  });

  it('treats sub-addresses of ours as ours', () => {
    expect(isOwnAddress('support+ticket42@acme.com', ours)).toBe(true);
  });

  it('does not match other people or other domains', () => {
    expect(isOwnAddress('support@acme.co', ours)).toBe(false);
    expect(isOwnAddress('ana@acme.com', ours)).toBe(false);
    expect(isOwnAddress('xsupport@acme.com', ours)).toBe(false);
    expect(isOwnAddress('support@acme.com', [])).toBe(false);
  });
});

describe('checkRecipientRate', () => {
  it('lists recipients who already had the maximum this hour', () => {
    const result = checkRecipientRate({
      recipients: ['ana@x.com', 'Bob@y.org', 'cy@z.net'],
      sentCounts: { 'ana@x.com': 4, 'bob@y.org': 5, 'cy@z.net': 9 },
      maxPerHour: 5,
    });
    expect(result).toEqual({ ok: false, overLimit: ['Bob@y.org', 'cy@z.net'] });
  });

  it('is ok under the limit and for unknown recipients', () => {
    expect(checkRecipientRate({ recipients: ['new@x.com'], sentCounts: {}, maxPerHour: 1 })).toEqual({ ok: true, overLimit: [] });
  });

  it('adds counts recorded under different cases and reports a repeated recipient once', () => {
    const result = checkRecipientRate({
      recipients: ['ana@x.com', 'ANA@x.com'],
      sentCounts: { 'ana@x.com': 2, 'Ana@X.com': 1 },
      maxPerHour: 3,
    });
    expect(result.overLimit).toEqual(['ana@x.com']);
  });

  it('a limit of zero holds everything', () => {
    expect(checkRecipientRate({ recipients: ['a@x.com'], sentCounts: {}, maxPerHour: 0 }).ok).toBe(false);
  });
});
