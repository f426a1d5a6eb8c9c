// The checker the builder tests rely on must itself catch what Slack would reject or obey.
import { describe, expect, it } from 'vitest';
import { blockProblems, mrkdwnProblems, viewProblems } from './block-kit-limits.ts';

describe('block-kit-limits checker', () => {
  it('flags pings and raw tokens in mrkdwn, and allows our own tokens', () => {
    expect(mrkdwnProblems('<!channel>', 't')).toHaveLength(1);
    expect(mrkdwnProblems('hi @here', 't')).toHaveLength(1);
    expect(mrkdwnProblems('<http://evil|x>', 't')).toHaveLength(1);
    expect(mrkdwnProblems('<@U123> <#C123> <!date^1700000000^{date}|x> <https://a.b/c|d>', 't')).toEqual([]);
    expect(mrkdwnProblems('&lt;!channel&gt; @\u2060here', 't')).toEqual([]);
  });

  it('flags oversize blocks, texts, options and duplicate ids', () => {
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(blockProblems(many, 50)).toHaveLength(1);
    const problems = blockProblems(
      [
        { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
        { type: 'header', block_id: 'a', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'b'.repeat(76) } },
            { type: 'overflow', action_id: 'b', options: Array.from({ length: 6 }, (_, i) => ({ text: { type: 'plain_text', text: 'o' }, value: String(i) })) },
          ],
        },
      ],
      50,
    );
    expect(problems.join('\n')).toMatch(/3001 > 3000/);
    expect(problems.join('\n')).toMatch(/duplicate block_id/);
    expect(problems.join('\n')).toMatch(/151 > 150/);
    expect(problems.join('\n')).toMatch(/76 > 75/);
    expect(problems.join('\n')).toMatch(/6 options > 5/);
    expect(problems.join('\n')).toMatch(/duplicate action_id/);
  });

  it('flags modal titles, missing submit and oversize metadata', () => {
    const problems = viewProblems({
      type: 'modal',
      title: { type: 'plain_text', text: 't'.repeat(25) },
      private_metadata: 'm'.repeat(3001),
      blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input', max_length: 4000 } }],
    });
    expect(problems.join('\n')).toMatch(/title: 25 > 24/);
    expect(problems.join('\n')).toMatch(/private_metadata too long/);
    expect(problems.join('\n')).toMatch(/without submit/);
    expect(problems.join('\n')).toMatch(/max_length > 3000/);
  });
});
