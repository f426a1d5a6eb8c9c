// The direct message a teammate gets when a conversation is assigned to them: what it is, who
// gave it to them (or that it was automatic), and a link to the conversation's thread.
import type { KnownBlock } from '@slack/types';
import type { Address } from '../../../core/types.ts';
import { toFallback } from './fallback.ts';
import { channelMention, isUserId, link, userMention } from './mentions.ts';
import { addressMrkdwn, esc, md, oneLine } from './text.ts';

export interface AssignmentDmVM {
  number: number;
  subject: string;
  contact: Address;
  inboxName: string;
  channelId: string;
  /** The conversation's parent message, when known. */
  permalink: string | null;
  byUserId: string | null;
  automatic: boolean;
}

export function assignmentDm(vm: AssignmentDmVM): { text: string; blocks: KnownBlock[] } {
  const who = vm.automatic ? 'Automatic assignment' : isUserId(vm.byUserId) ? userMention(vm.byUserId) : 'A teammate';
  const verb = vm.automatic ? 'gave you' : 'assigned you';
  const subject = `*${esc(oneLine(vm.subject) || '(no subject)', 300)}*`;
  const line = `:bust_in_silhouette: ${who} ${verb} conversation *#${vm.number}* ${subject} from ${addressMrkdwn(vm.contact)} in *${esc(oneLine(vm.inboxName), 100)}* (${channelMention(vm.channelId)}).`;
  const open = link(vm.permalink, 'Open the conversation');
  const blocks: KnownBlock[] = [{ type: 'section', text: md(line) }];
  if (open !== 'Open the conversation') blocks.push({ type: 'context', elements: [md(`:arrow_right: ${open}`)] });
  return { text: toFallback(line), blocks };
}
