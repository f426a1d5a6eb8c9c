import type { ActionsBlock, Button, Overflow, UsersSelect } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { conversationParent, HOW_IT_WORKS, type ConversationParentVM } from '../../../src/slack/ui/blocks/conversation-parent.ts';
import { Actions, OverflowChoices, parseOverflowValue } from '../../../src/slack/ui/ids.ts';
import { blockProblems, mrkdwnProblems } from './block-kit-limits.ts';

const base: ConversationParentVM = {
  number: 42,
  inboxName: 'Support',
  subject: 'Invoice missing',
  from: { name: 'Jane Doe', address: 'jane@example.com' },
  snippet: 'Hello, I did not get my invoice for March.',
  status: 'open',
};

function actionsOf(vm: ConversationParentVM): ActionsBlock {
  const block = conversationParent(vm).blocks.find((b) => b.type === 'actions');
  if (!block || block.type !== 'actions') throw new Error('no actions block');
  return block;
}

describe('conversationParent', () => {
  it('shows sender, subject, snippet, number, status and the how-it-works line', () => {
    const { text, blocks } = conversationParent(base);
    const all = JSON.stringify(blocks);
    expect(all).toContain('Jane Doe &lt;jane@example.com&gt;');
    expect(all).toContain('*Invoice missing*');
    expect(all).toContain('did not get my invoice');
    expect(all).toContain('*#42*');
    expect(all).toContain('Open');
    expect(all).toContain('Unassigned');
    expect(all).toContain(HOW_IT_WORKS.replace(/`/g, '`'));
    expect(text).toContain('#42');
    expect(text).toContain('Invoice missing');
    expect(text).toContain('jane@example.com');
    expect(blockProblems(blocks, 50)).toEqual([]);
  });

  it('has Reply, an assign select, Close and the overflow, all carrying the conversation number', () => {
    const actions = actionsOf(base);
    const ids = actions.elements.map((e) => ('action_id' in e ? e.action_id : undefined));
    expect(ids).toEqual([Actions.reply, Actions.assignSelect, Actions.close, Actions.overflow]);
    const buttons = actions.elements.filter((e): e is Button => e.type === 'button');
    expect(buttons.map((b) => b.value)).toEqual(['42', '42']);
    const overflow = actions.elements.find((e): e is Overflow => e.type === 'overflow')!;
    // Slack's overflow takes five at most: Forward is the "Forward email" shortcut on the email,
    // Show full message a button on the email.
    expect(overflow.options.map((o) => parseOverflowValue(o.value!))).toEqual([
      { choice: OverflowChoices.snooze, conversationNumber: 42 },
      { choice: OverflowChoices.tags, conversationNumber: 42 },
      { choice: OverflowChoices.customer, conversationNumber: 42 },
      { choice: OverflowChoices.createTicket, conversationNumber: 42 },
      { choice: OverflowChoices.move, conversationNumber: 42 },
    ]);
    expect(overflow.options.length).toBeLessThanOrEqual(5);
  });

  it('offers Unsnooze while snoozed, neither once closed, and never more than Slack\'s five overflow options', () => {
    const choices = (vm: ConversationParentVM) => actionsOf(vm).elements.find((e): e is Overflow => e.type === 'overflow')!.options.map((o) => parseOverflowValue(o.value!)?.choice);
    expect(choices({ ...base, status: 'snoozed', snoozedUntil: 1_800_000_000_000 })[0]).toBe(OverflowChoices.unsnooze);
    expect(choices({ ...base, status: 'closed' })).not.toContain(OverflowChoices.snooze);
    expect(choices(base)).toHaveLength(5);
    expect(choices({ ...base, ticket: { id: 1, priority: 'normal', status: 'open' } })).toHaveLength(4);
  });

  it('shows the response target in Slack date formatting: due, due soon, overdue by; nothing while paused or closed', () => {
    const text = (vm: ConversationParentVM) => JSON.stringify(conversationParent(vm).blocks);
    const dueAt = 1_800_000_000_000;
    expect(text({ ...base, clock: { state: 'due', dueAt, soon: false } })).toContain(`:stopwatch: reply due <!date^${dueAt / 1000}^{date_short_pretty} at {time}|`);
    expect(text({ ...base, clock: { state: 'due', dueAt, soon: true } })).toContain(':warning: reply due <!date^');
    expect(text({ ...base, clock: { state: 'overdue', dueAt, overMs: 20 * 60_000 } })).toContain('reply overdue by 20m');
    expect(text({ ...base, clock: { state: 'paused', leftMs: 60_000 } })).not.toContain('reply due');
    expect(text({ ...base, status: 'closed', clock: { state: 'overdue', dueAt, overMs: 1 } })).not.toContain('overdue');
    expect(text({ ...base, status: 'snoozed', snoozedUntil: dueAt })).toContain(`:zzz: Snoozed until <!date^${dueAt / 1000}^`);
  });

  it('shows Reopen instead of Close when closed, with the resolution', () => {
    const vm: ConversationParentVM = { ...base, status: 'closed', resolution: 'no-reply-needed' };
    const ids = actionsOf(vm).elements.map((e) => ('action_id' in e ? e.action_id : ''));
    expect(ids).toContain(Actions.reopen);
    expect(ids).not.toContain(Actions.close);
    expect(JSON.stringify(conversationParent(vm).blocks)).toContain('Closed · No reply needed');
  });

  it('preselects the assignee and changes the actions block_id with the assignee', () => {
    const a = actionsOf({ ...base, assigneeUserId: 'U0AAA1' });
    const select = a.elements.find((e): e is UsersSelect => e.type === 'users_select')!;
    expect(select.initial_user).toBe('U0AAA1');
    const b = actionsOf({ ...base, assigneeUserId: 'U0BBB2' });
    expect(a.block_id).not.toBe(b.block_id);
    expect(JSON.stringify(conversationParent({ ...base, assigneeUserId: 'U0AAA1' }).blocks)).toContain('Assigned to <@U0AAA1>');
  });

  it('hides Create ticket when there is a ticket, and shows the ticket', () => {
    const vm: ConversationParentVM = { ...base, ticket: { id: 7, priority: 'high', status: 'open' } };
    const overflow = actionsOf(vm).elements.find((e): e is Overflow => e.type === 'overflow')!;
    expect(overflow.options.map((o) => parseOverflowValue(o.value!)?.choice)).not.toContain(OverflowChoices.createTicket);
    expect(JSON.stringify(conversationParent(vm).blocks)).toContain('Ticket #7 · high · open');
  });

  it('says who is replying, and never mentions anyone in the fallback text', () => {
    const { text, blocks } = conversationParent({ ...base, assigneeUserId: 'U0AAA1', replyingUserIds: ['U0BBB2', 'U0CCC3'] });
    expect(JSON.stringify(blocks)).toContain('<@U0BBB2> and <@U0CCC3> are replying');
    expect(text).not.toMatch(/<[@!#]/);
    const one = conversationParent({ ...base, replyingUserIds: ['U0BBB2'] });
    expect(JSON.stringify(one.blocks)).toContain('<@U0BBB2> is replying');
  });

  it('links earlier conversations with the same contact, capped', () => {
    const earlier = Array.from({ length: 8 }, (_, i) => ({
      number: i + 1,
      subject: `Old <thing> ${i}`,
      permalink: `https://acme.slack.com/archives/C1/p${i}`,
    }));
    const { blocks } = conversationParent({ ...base, earlierConversations: earlier });
    const all = JSON.stringify(blocks);
    expect(all).toContain('<https://acme.slack.com/archives/C1/p0|#1 Old &lt;thing&gt; 0>');
    expect(all).toContain('and 3 more');
    expect(all).not.toContain('#6 Old');
    expect(blockProblems(blocks, 50)).toEqual([]);
  });

  it('does not turn a hostile permalink into a link', () => {
    const { blocks } = conversationParent({
      ...base,
      earlierConversations: [{ number: 3, subject: 'x', permalink: 'https://x|<!channel>' }],
    });
    expect(blockProblems(blocks, 50)).toEqual([]);
  });

  it('a moved conversation says where it went and offers no actions', () => {
    const { blocks, text } = conversationParent({
      ...base,
      movedTo: { inboxName: 'Sales', channelId: 'C0SALES1', permalink: 'https://acme.slack.com/archives/C0SALES1/p1' },
    });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(blocks)).toContain('Moved to *Sales* (<#C0SALES1>)');
    expect(text).toContain('moved to Sales');
  });

  it('credits a forwarded email to the original sender and names the forwarder', () => {
    const all = JSON.stringify(
      conversationParent({ ...base, forwardedBy: { name: 'Bob', address: 'bob@acme.com' }, cc: [{ name: '', address: 'c@x.org' }] }).blocks,
    );
    expect(all).toContain('From Jane Doe &lt;jane@example.com&gt; · forwarded by Bob &lt;bob@acme.com&gt;');
    expect(all).toContain('CC: c@x.org');
  });

  it('regression: hostile names, subjects and snippets never ping', () => {
    const vm: ConversationParentVM = {
      ...base,
      subject: '<!channel> urgent @here <@U0BOSS> <https://evil.example|click>',
      from: { name: '<!everyone> @channel', address: 'evil@example.com' },
      snippet: '<!subteam^S123> @everyone <@U0BOSS>',
      cc: [{ name: '<!here>', address: 'x@y.z' }],
      inboxName: '<!channel>',
    };
    const { text, blocks } = conversationParent(vm);
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(mrkdwnProblems(text, 'text')).toEqual([]);
    expect(JSON.stringify(blocks)).not.toContain('<!');
  });

  it('cuts a very long subject, name and snippet to fit', () => {
    const vm: ConversationParentVM = {
      ...base,
      subject: 'S'.repeat(5000),
      from: { name: 'N'.repeat(5000), address: 'n@example.com' },
      snippet: 'word '.repeat(2000),
      cc: Array.from({ length: 300 }, (_, i) => ({ name: `Person ${i}`, address: `p${i}@example.com` })),
      earlierConversations: Array.from({ length: 50 }, (_, i) => ({ number: i, subject: '<'.repeat(500) })),
    };
    const { text, blocks } = conversationParent(vm);
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(3000);
    const section = blocks[0]!;
    expect(section.type === 'section' && section.text!.text.includes('word word')).toBe(true);
    // The snippet is cut to about 200 characters of text.
    const snippetLine = section.type === 'section' ? section.text!.text.split('\n').find((l) => l.startsWith('>'))! : '';
    expect(snippetLine.length).toBeLessThanOrEqual(202);
    expect(snippetLine.endsWith('…')).toBe(true);
  });

  it('drops invalid user ids instead of building tokens from them', () => {
    const { blocks } = conversationParent({ ...base, assigneeUserId: '!channel', replyingUserIds: ['!here', 'U0OK1'] });
    const all = JSON.stringify(blocks);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@!here>');
    expect(blockProblems(blocks, 50)).toEqual([]);
    const select = actionsOf({ ...base, assigneeUserId: '!channel' }).elements.find((e): e is UsersSelect => e.type === 'users_select')!;
    expect(select.initial_user).toBeUndefined();
  });

  it('regression: a newline in a subject or name cannot forge a line of its own', () => {
    const { blocks } = conversationParent({
      ...base,
      subject: 'Hello\n:white_check_mark: Closed · Assigned to the CEO',
      from: { name: 'Jane\r\nCC: ceo@acme.com', address: 'jane@example.com' },
    });
    const first = blocks[0]!;
    const lines = first.type === 'section' ? first.text!.text.split('\n') : [];
    expect(lines[0]).toBe('*Hello :white_check_mark: Closed · Assigned to the CEO*');
    expect(lines[1]).toBe(':envelope_with_arrow: From Jane CC: ceo@acme.com &lt;jane@example.com&gt;');
    expect(lines.some((l) => l.startsWith('CC:'))).toBe(false);
  });
});
