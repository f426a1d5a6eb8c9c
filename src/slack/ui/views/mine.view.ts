// `/mailroom mine`: the user's open conversations (open and pending), newest activity first as
// given, each linking to its thread.
import type { KnownBlock } from '@slack/types';
import type { ConversationStatus } from '../../../core/conversation-status.ts';
import { toFallback } from '../blocks/fallback.ts';
import { link } from '../blocks/mentions.ts';
import { splitMrkdwn } from '../blocks/split.ts';
import { Limits, esc, md, oneLine } from '../blocks/text.ts';

export interface MineItemVM {
  number: number;
  subject: string;
  /** Contact name or address. */
  contact: string;
  inboxName: string;
  status: ConversationStatus;
  /** The parent message's permalink. */
  permalink?: string | null;
}

/** Enough for anyone's plate; the rest is counted. */
export const MAX_MINE = 100;

const STATUS_EMOJI: Record<ConversationStatus, string> = {
  open: ':large_green_circle:',
  pending: ':hourglass_flowing_sand:',
  snoozed: ':zzz:',
  closed: ':white_check_mark:',
};

/** One mrkdwn line: `🟢 #42 Subject · Jane Doe · Support` with the number and subject linked. */
export function mineLine(c: MineItemVM): string {
  const title = link(c.permalink, `#${c.number} ${esc(oneLine(c.subject) || '(no subject)', 120)}`);
  return `${STATUS_EMOJI[c.status]} ${title} · ${esc(c.contact, 80)} · ${esc(c.inboxName, 60)}`;
}

export function mineMessage(items: readonly MineItemVM[]): { text: string; blocks: KnownBlock[] } {
  if (items.length === 0) {
    return { text: 'You have no open conversations.', blocks: [{ type: 'section', text: md('You have no open conversations. :tada:') }] };
  }
  const lines = items.slice(0, MAX_MINE).map(mineLine);
  if (items.length > MAX_MINE) lines.push(`_and ${items.length - MAX_MINE} more_`);
  const open = items.filter((c) => c.status === 'open').length;
  const head = `*Your open conversations* (${items.length}: ${open} open, ${items.length - open} pending)`;
  const blocks: KnownBlock[] = splitMrkdwn(`${head}\n${lines.join('\n')}`)
    .slice(0, Limits.messageBlocks)
    .map((chunk) => ({ type: 'section', text: md(chunk) }));
  return { text: toFallback(head), blocks };
}
