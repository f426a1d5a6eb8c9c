import { describe, expect, it } from 'vitest';
import { extractTextReply } from '../../../src/mail/parse/reply/text-reply.ts';
import { parseBody } from '../../../src/mail/parse/index.ts';
import { fixture, fixtureNames, splitFixture } from './fixtures.ts';

describe('plain-text reply extraction (fixtures per client and language)', () => {
  for (const name of fixtureNames('replies', '.txt')) {
    it(name, () => {
      const { input, expected } = splitFixture(fixture('replies', name).toString('utf8'), 'reply');
      expect(extractTextReply(input).trim()).toBe(expected);
      expect(parseBody(input).reply.trim()).toBe(expected);
    });
  }
});

describe('reply extraction edge cases', () => {
  it('keeps an email that is only a quote', () => {
    expect(extractTextReply('> only a quote\n')).toBe('> only a quote');
  });

  it('gives nothing when the whole text is quoted history under a header', () => {
    const text = '> On Tue, Mar 5, 2024 at 10:11 AM Ann <ann@x.test> wrote:\n>\n>> hello\n';
    expect(extractTextReply(text)).toBe('');
  });

  it('strips leading and trailing blank lines but keeps inner formatting', () => {
    expect(extractTextReply('\n\n  - a\n  - b\n\n\n')).toBe('  - a\n  - b');
  });

  it('stays fast on a body made only of quote headers', () => {
    const text = 'On Tue, Mar 5, 2024 at 10:11 AM Ann <ann@x.test> wrote:\n> x\n'.repeat(20_000);
    const t0 = performance.now();
    extractTextReply(text);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
