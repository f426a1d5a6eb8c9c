import { describe, expect, it } from 'vitest';
import { noteMessage, type NoteVM } from '../../../src/slack/ui/blocks/note-message.ts';
import { blockProblems, mrkdwnProblems } from './block-kit-limits.ts';

function line(vm: NoteVM): string {
  const { blocks } = noteMessage(vm);
  const b = blocks[0]!;
  if (b.type !== 'context') throw new Error('expected a context block');
  const el = b.elements[0]!;
  return 'text' in el ? el.text : '';
}

describe('noteMessage', () => {
  it('says who assigned whom, or that it was automatic', () => {
    expect(line({ kind: 'assigned', assigneeUserId: 'U0AAA1', byUserId: 'U0BBB2' })).toBe(
      ':bust_in_silhouette: Assigned to <@U0AAA1> by <@U0BBB2>',
    );
    expect(line({ kind: 'assigned', assigneeUserId: 'U0AAA1', automatic: true })).toContain('(automatic assignment)');
  });

  it('closed: resolution, ticket and the internal note, escaped and quoted', () => {
    const text = line({ kind: 'closed', byUserId: 'U0AAA1', resolution: 'spam', ticketId: 9, note: 'line one <!channel>\nline two' });
    expect(text).toBe(':white_check_mark: Closed as _Spam_, with ticket #9 by <@U0AAA1>\n>line one &lt;!channel&gt;\n>line two');
  });

  it('reopened by a person or because the customer wrote', () => {
    expect(line({ kind: 'reopened', reason: 'customer-wrote' })).toContain('the customer wrote again');
    expect(line({ kind: 'reopened', reason: 'manual', byUserId: 'U0AAA1' })).toContain('Reopened by <@U0AAA1>');
  });

  it('moved: links to the other thread and names the channel', () => {
    const text = line({ kind: 'moved-out', byUserId: 'U0AAA1', toInboxName: 'Sales', toChannelId: 'C0SALES1', permalink: 'https://acme.slack.com/archives/C0SALES1/p1' });
    expect(text).toContain('Moved to *Sales* (<#C0SALES1>) by <@U0AAA1>: <https://acme.slack.com/archives/C0SALES1/p1|continue there>');
    const back = line({ kind: 'moved-in', fromInboxName: 'Support', fromChannelId: 'C0SUP1' });
    expect(back).toContain('Moved here from *Support* (<#C0SUP1>): earlier thread');
  });

  it('send failures carry the server reason, escaped and cut', () => {
    const text = line({ kind: 'send-failed', reason: `550 <!here> ${'x'.repeat(2000)}`, willRetry: true });
    expect(text).toContain('The mail server said: 550 &lt;!here&gt;');
    expect(text).toContain('Mailroom will try again.');
    expect(text.length).toBeLessThan(700);
  });

  it('out-of-office notes', () => {
    expect(line({ kind: 'auto-reply', from: { name: 'Jane', address: 'jane@example.com' } })).toContain('Automatic reply from Jane &lt;jane@example.com&gt;');
  });

  it('every kind stays within limits and its fallback never mentions', () => {
    const all: NoteVM[] = [
      { kind: 'assigned', assigneeUserId: 'U0AAA1', byUserId: 'U0BBB2' },
      { kind: 'unassigned', byUserId: 'U0BBB2' },
      { kind: 'closed', byUserId: 'U0AAA1', note: '@here '.repeat(1000) },
      { kind: 'reopened', reason: 'manual', byUserId: 'U0AAA1' },
      { kind: 'moved-out', toInboxName: '<!channel>', toChannelId: 'C0X1', permalink: 'javascript:alert(1)' },
      { kind: 'moved-in', fromInboxName: 'x', fromChannelId: '<!here>' },
      { kind: 'ticket-created', ticketId: 3, priority: 'urgent', byUserId: 'U0AAA1' },
      { kind: 'ticket-closed', ticketId: 3 },
      { kind: 'forwarded', to: ['a@b.c', '<!everyone>'], note: 'FYI <@U0BOSS>', byUserId: 'U0AAA1' },
      { kind: 'auto-reply', from: { name: '@channel', address: 'x@y.z' } },
      { kind: 'send-failed', reason: '' },
      { kind: 'internal-note', byUserId: 'U0AAA1', text: '<!subteam^S1> look' },
    ];
    for (const vm of all) {
      const m = noteMessage(vm);
      expect(blockProblems(m.blocks, 50), vm.kind).toEqual([]);
      expect(m.text, vm.kind).not.toMatch(/<[@!#]/);
      expect(mrkdwnProblems(m.text, vm.kind)).toEqual([]);
    }
  });
});
