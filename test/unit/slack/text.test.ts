import { describe, expect, it } from 'vitest';
import { toFallback } from '../../../src/slack/ui/blocks/fallback.ts';
import { cutToBudget, splitMrkdwn } from '../../../src/slack/ui/blocks/split.ts';
import { option, plain, slackDate, truncate, truncateMrkdwn } from '../../../src/slack/ui/blocks/text.ts';

describe('truncate', () => {
  it('leaves short text alone and cuts long text with an ellipsis within the limit', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 8).length).toBeLessThanOrEqual(8);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('ab😀😀😀', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});

describe('truncateMrkdwn', () => {
  it('never leaves half an entity', () => {
    const text = 'a'.repeat(8) + '&amp;' + 'b'.repeat(10);
    for (let max = 5; max < text.length; max++) {
      const cut = truncateMrkdwn(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/&[a-z]*…$/);
    }
  });

  it('never leaves half a token', () => {
    const text = 'see <https://acme.slack.com/archives/C1/p1|this thread> now';
    for (let max = 6; max < text.length; max++) {
      const cut = truncateMrkdwn(text, max);
      expect((cut.match(/</g) ?? []).length).toBe((cut.match(/>/g) ?? []).length);
    }
  });
});

describe('splitMrkdwn', () => {
  it('returns short text as one chunk and drops blank ones', () => {
    expect(splitMrkdwn('hi\nthere')).toEqual(['hi\nthere']);
    expect(splitMrkdwn('  \n ')).toEqual([]);
  });

  it('cuts on line boundaries when it can', () => {
    const a = 'a'.repeat(2000);
    const b = 'b'.repeat(2000);
    expect(splitMrkdwn(`${a}\n${b}`, 3000)).toEqual([a, b]);
  });

  it('cuts a long line at a space', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const chunks = splitMrkdwn(words, 500);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(500);
      expect(c).toMatch(/^w\d+( w\d+)*$/);
    }
    expect(chunks.join(' ')).toBe(words);
  });
});

describe('cutToBudget', () => {
  it('prefers a line break near the end', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const { text: cut, cut: wasCut } = cutToBudget(text, 200);
    expect(wasCut).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith('\n…')).toBe(true);
    expect(cutToBudget('short', 200)).toEqual({ text: 'short', cut: false });
  });
});

describe('plain, option, slackDate, toFallback', () => {
  it('plain text defuses broadcasts and is never empty', () => {
    expect(plain('hi @here').text).not.toMatch(/@here\b/);
    expect(plain('').text).toBe(' ');
  });

  it('option cuts the label to 75 and refuses an oversize value', () => {
    expect(option('x'.repeat(100), 'v').text.text.length).toBe(75);
    expect(() => option('x', 'v'.repeat(76))).toThrow();
  });

  it('slackDate carries a fallback', () => {
    expect(slackDate(Date.UTC(2026, 0, 2, 3, 4))).toBe('<!date^1767323040^{date_short_pretty} {time}|2026-01-02 03:04 UTC>');
  });

  it('fallback text keeps labels and drops mentions, links and stars', () => {
    expect(toFallback(':tada: *Closed* by <@U0A1> in <#C0B2>: <https://x.y/z|the thread> <!date^1^{date}|Jan 1>')).toBe(
      'Closed by a teammate in another channel: the thread Jan 1',
    );
  });
});
