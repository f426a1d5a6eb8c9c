// "Show full message": the whole text of an email (quoted history and signature included) in a
// modal, which holds twice the blocks of a message. Past that it says where the file is.
import type { KnownBlock, ModalView } from '@slack/types';
import type { Address } from '../../../core/types.ts';
import { Views } from '../ids.ts';
import { splitMrkdwn } from '../blocks/split.ts';
import { Limits, addressListMrkdwn, addressMrkdwn, esc, md, oneLine, slackDate } from '../blocks/text.ts';
import { contextLine, modal } from './common.ts';

export interface FullMessageVM {
  conversationNumber: number;
  from: Address;
  to: readonly Address[];
  cc: readonly Address[];
  subject: string;
  date: number | null;
  /** Slack-safe mrkdwn of the whole text (the parser's `textMrkdwn`); not escaped again. */
  bodyMrkdwn: string;
}

/** Text budget for the modal's body (Slack renders modals of this size reasonably). */
export const FULL_MESSAGE_BUDGET = 60_000;

export function fullMessageModal(vm: FullMessageVM): ModalView {
  const head = [
    `*From* ${addressMrkdwn(vm.from)}`,
    ...(vm.to.length > 0 ? [`*To* ${addressListMrkdwn(vm.to, 600)}`] : []),
    ...(vm.cc.length > 0 ? [`*CC* ${addressListMrkdwn(vm.cc, 600)}`] : []),
    ...(vm.date ? [slackDate(vm.date)] : []),
  ].join('  ·  ');
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(`*${esc(oneLine(vm.subject) || '(no subject)', 500)}*`) },
    contextLine(head),
    { type: 'divider' },
  ];
  const room = Limits.viewBlocks - blocks.length - 1;
  let chunks = splitMrkdwn(vm.bodyMrkdwn.trim() === '' ? '_(no text)_' : vm.bodyMrkdwn, Limits.sectionText);
  let cut = false;
  let total = 0;
  const kept: string[] = [];
  for (const c of chunks) {
    if (kept.length >= room || total + c.length > FULL_MESSAGE_BUDGET) {
      cut = true;
      break;
    }
    kept.push(c);
    total += c.length;
  }
  chunks = kept;
  for (const c of chunks) blocks.push({ type: 'section', text: md(c) });
  if (cut) blocks.push(contextLine(':scissors: The rest is too long to show here; the whole message is attached as a file in the thread.'));
  return modal({
    callbackId: Views.fullMessage,
    title: `Email in #${vm.conversationNumber}`,
    close: 'Close',
    blocks,
    metadata: { conversationNumber: vm.conversationNumber },
  });
}
