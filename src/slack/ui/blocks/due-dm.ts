// The direct message an assignee gets when a conversation's response target passes.
import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../../core/stats.ts';
import { toFallback } from './fallback.ts';
import { channelMention, link } from './mentions.ts';
import { esc, md, oneLine, slackDate } from './text.ts';

export interface DueDmVM {
  number: number;
  subject: string;
  inboxName: string;
  channelId: string;
  permalink: string | null;
  dueAt: number;
  targetMs: number;
}

export function dueDm(vm: DueDmVM): { text: string; blocks: KnownBlock[] } {
  const subject = `*${esc(oneLine(vm.subject) || '(no subject)', 300)}*`;
  const line = `:rotating_light: Conversation *#${vm.number}* ${subject} in *${esc(oneLine(vm.inboxName), 100)}* (${channelMention(vm.channelId)}) is overdue: its ${formatDuration(vm.targetMs)} reply target passed ${slackDate(vm.dueAt, '{date_short_pretty} at {time}')}.`;
  const blocks: KnownBlock[] = [{ type: 'section', text: md(line) }];
  const open = link(vm.permalink, 'Open the conversation');
  if (open !== 'Open the conversation') blocks.push({ type: 'context', elements: [md(`:arrow_right: ${open}`)] });
  return { text: toFallback(line), blocks };
}
