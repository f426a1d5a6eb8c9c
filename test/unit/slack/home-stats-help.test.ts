import type { HeaderBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { StatsReport } from '../../../src/core/stats.ts';
import { conversationMetadata, emailMetadata, noteMetadata, readMetadata } from '../../../src/slack/ui/blocks/metadata.ts';
import { Actions, MetadataEvents } from '../../../src/slack/ui/ids.ts';
import { appHome, MAX_HOME_CONVERSATIONS } from '../../../src/slack/ui/views/app-home.view.ts';
import { helpMessage } from '../../../src/slack/ui/views/help.view.ts';
import { MAX_MINE, mineMessage, type MineItemVM } from '../../../src/slack/ui/views/mine.view.ts';
import { statsMessage } from '../../../src/slack/ui/views/stats.view.ts';
import { blockProblems, viewProblems } from './block-kit-limits.ts';

const MIN = 60_000;
const report: StatsReport = {
  window: { from: 0, to: 7 * 86_400_000 },
  received: 6,
  replied: 5,
  repliesSent: 7,
  closed: 4,
  firstResponse: { count: 4, medianMs: 50 * MIN, p90Ms: 120 * MIN, withoutReply: 2 },
  perTeammate: [
    { userId: 'U0AAA1', replies: 4, closes: 2 },
    { userId: 'U0BBB2', replies: 1, closes: 0 },
  ],
  backlog: { open: 2, pending: 1, snoozed: 0, unassigned: 2, oldestCreatedAt: 1_772_000_000_000 },
  bounces: { total: 3, byReason: [{ reason: 'mailboxfull', count: 2 }, { reason: 'gone-away', count: 1 }] },
  sla: null,
};

const item = (n: number, extra: Partial<MineItemVM> = {}): MineItemVM => ({
  number: n,
  subject: `Subject ${n}`,
  contact: 'Jane Doe',
  inboxName: 'Support',
  status: 'open',
  permalink: `https://acme.slack.com/archives/C1/p${n}`,
  ...extra,
});

describe('statsMessage', () => {
  it('shows every figure, the teammates, and a fallback without mentions', () => {
    const { text, blocks } = statsMessage(report, { label: 'last 7 days', inboxName: 'Support' });
    expect((blocks[0] as HeaderBlock).text.text).toBe('Mailroom stats · Support · last 7 days');
    const all = JSON.stringify(blocks);
    for (const s of ['*Received*\\n6', '*Replied*\\n5 (7 emails sent)', '*Closed*\\n4', 'median 50m · p90 2h', '4 conversations timed; 2 without reply', '2 open · 1 pending · 2 unassigned']) {
      expect(all).toContain(s);
    }
    expect(all).toContain('<@U0AAA1>: 4 replies, 2 closes');
    expect(all).toContain('<@U0BBB2>: 1 reply, 0 closes');
    expect(all).toContain('*Bounced*\\n3 emails: 2 mailbox full, 1 gone-away');
    expect(text).toBe('Mailroom stats, Support · last 7 days: 6 received, 5 replied, 4 closed, first response median 50m');
    expect(blockProblems(blocks, 50)).toEqual([]);
  });

  it('shows response-target attainment by inbox and teammate, time over target, and what is overdue now', () => {
    const sla = {
      counted: 4, within: 3, share: 0.75, overMedianMs: 20 * MIN, overP90Ms: 20 * MIN,
      perInbox: [{ inboxId: 1, name: 'Sales', counted: 1, within: 1, share: 1 }, { inboxId: 2, name: 'Support', counted: 3, within: 2, share: 2 / 3 }],
      perTeammate: [{ userId: 'U0AAA1', counted: 3, within: 2, share: 2 / 3 }],
      overdue: [{ conversationId: 42, inboxId: 2, overMs: 95 * MIN, assigneeUserId: null, subject: 'Where is <my> order' }],
    };
    const all = JSON.stringify(statsMessage({ ...report, sla, backlog: { ...report.backlog, snoozed: 3 } }, { label: 'last 7 days' }).blocks);
    for (const s of ['*Within response target*\\n75% (3 of 4)', 'median 20m · p90 20m', 'Sales: 100% (1 of 1)', 'Support: 67% (2 of 3)', '<@U0AAA1>: 67% (2 of 3)', '#42 Where is &lt;my&gt; order · overdue by 1h 35m · unassigned', '1 pending · 3 snoozed'])
      expect(all).toContain(s);
    const none = JSON.stringify(statsMessage({ ...report, sla: { ...sla, counted: 0, within: 0, share: null, perInbox: [], perTeammate: [], overdue: [] } }, { label: 'x' }).blocks);
    expect(none).toContain('nothing answered yet');
    expect(none).toContain('*Overdue now*\\nnothing');
    expect(JSON.stringify(statsMessage(report, { label: 'x' }).blocks)).not.toContain('response target');
  });

  it('many teammates stay within limits', () => {
    const many = { ...report, perTeammate: Array.from({ length: 300 }, (_, i) => ({ userId: `U0X${i}`, replies: i, closes: 1 })) };
    const { blocks } = statsMessage(many, { label: 'last 30 days' });
    expect(JSON.stringify(blocks)).toContain('and 275 more');
    expect(blockProblems(blocks, 50)).toEqual([]);
  });
});

describe('mineMessage', () => {
  it('lists open conversations with links, counting open and pending', () => {
    const { text, blocks } = mineMessage([item(1), item(2, { status: 'pending', permalink: null })]);
    const all = (blocks[0] as SectionBlock).text!.text;
    expect(all).toContain('*Your open conversations* (2: 1 open, 1 pending)');
    expect(all).toContain(':large_green_circle: <https://acme.slack.com/archives/C1/p1|#1 Subject 1> · Jane Doe · Support');
    expect(all).toContain(':hourglass_flowing_sand: #2 Subject 2');
    expect(text).toBe('Your open conversations (2: 1 open, 1 pending)');
  });

  it('says so when there are none, and caps long lists within limits', () => {
    expect(mineMessage([]).text).toBe('You have no open conversations.');
    const long = mineMessage(Array.from({ length: 300 }, (_, i) => item(i, { subject: '<!channel> '.repeat(20), contact: '@here' })));
    expect(JSON.stringify(long.blocks)).toContain(`and ${300 - MAX_MINE} more`);
    expect(blockProblems(long.blocks, 50)).toEqual([]);
  });
});

describe('helpMessage', () => {
  it('names the configured commands and the thread rules', () => {
    const { blocks } = helpMessage({ compose: '/mr-compose', assign: 'mr-assign', close: '/mr-close', mailroom: '/mr' });
    const all = JSON.stringify(blocks);
    for (const s of ['`/mr-compose`', '`/mr-assign`', '`/mr-close`', '`/mr mine`', '`/mr stats [7d|30d]`', '`/mr templates`', '`/mr help`', 'note:', 'Show full message']) {
      expect(all).toContain(s);
    }
    expect(blockProblems(blocks, 50)).toEqual([]);
  });
});

describe('appHome', () => {
  it('shows conversations with Open buttons, the window switch and the stats', () => {
    const view = appHome({ mine: [item(1), item(2, { permalink: null })], stats: report, window: { value: '30d', label: 'last 30 days' } });
    expect(view.type).toBe('home');
    const all = JSON.stringify(view.blocks);
    expect(all).toContain('Your open conversations (2)');
    const rows = view.blocks.filter((b): b is SectionBlock => (b as SectionBlock).type === 'section' && Boolean((b as SectionBlock).accessory));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.accessory).toMatchObject({ action_id: Actions.homeOpenConversation, url: 'https://acme.slack.com/archives/C1/p1', value: '1' });
    expect(all).toContain(`"action_id":"${Actions.homeStatsWindow}"`);
    expect(all).toContain('"initial_option":{"text":{"type":"plain_text","text":"Last 30 days","emoji":true},"value":"30d"}');
    expect(all).toContain('*Received*');
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('stays within 100 blocks with a long list and says how to see the rest', () => {
    const view = appHome({ mine: Array.from({ length: 200 }, (_, i) => item(i)), stats: report, window: { value: '7d', label: 'last 7 days' } });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain(`and ${200 - MAX_HOME_CONVERSATIONS} more`);
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('without stats says so', () => {
    const view = appHome({ mine: [], stats: null, window: { value: '7d', label: 'last 7 days' } });
    expect(JSON.stringify(view.blocks)).toContain('No figures yet');
    expect(JSON.stringify(view.blocks)).toContain('Nothing assigned to you is open');
  });
});

describe('message metadata', () => {
  it('tags our messages and reads them back', () => {
    expect(conversationMetadata({ conversationId: 42, inboxId: 1, installId: 'inst1' })).toEqual({
      event_type: MetadataEvents.conversation,
      event_payload: { conversation_id: 42, inbox_id: 1, install_id: 'inst1' },
    });
    expect(readMetadata(conversationMetadata({ conversationId: 42, inboxId: 1, installId: 'inst1' }))).toEqual({ eventType: MetadataEvents.conversation, conversationId: 42, inboxId: 1, installId: 'inst1' });
    expect(readMetadata(emailMetadata({ conversationId: 42, messageRowId: 9, installId: 'inst1' }))).toEqual({ eventType: MetadataEvents.email, conversationId: 42, messageRowId: 9, installId: 'inst1' });
    expect(readMetadata(noteMetadata({ conversationId: 42, eventId: 3 }))).toEqual({ eventType: MetadataEvents.note, conversationId: 42, eventId: 3 });
    // Slack may hand numbers back as strings.
    expect(readMetadata({ event_type: 'mailroom_email', event_payload: { conversation_id: '42', message_id: '9' } })).toMatchObject({ conversationId: 42, messageRowId: 9 });
  });

  it('ignores metadata that is not ours or is broken', () => {
    expect(readMetadata(undefined)).toBeNull();
    expect(readMetadata({ event_type: 'other_app', event_payload: { conversation_id: 1 } })).toBeNull();
    expect(readMetadata({ event_type: 'mailroom_email', event_payload: {} })).toBeNull();
    expect(readMetadata({ event_type: 'mailroom_email', event_payload: { conversation_id: 'x' } })).toBeNull();
  });
});
