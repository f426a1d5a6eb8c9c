// The customer at a glance (⋯ → Customer): a modal only the person who asked sees. Names,
// addresses and subjects come from email: escaped like all email text.
import type { KnownBlock, ModalView } from '@slack/types';
import type { ConversationStatus } from '../../../core/conversation-status.ts';
import { link } from '../blocks/mentions.ts';
import { splitMrkdwn } from '../blocks/split.ts';
import { addressMrkdwn, esc, md, oneLine, slackDate } from '../blocks/text.ts';
import { Views } from '../ids.ts';
import { modal } from './common.ts';
import type { CustomerView } from '../../../usecases/customer.ts';

const STATUS: Record<ConversationStatus, string> = { open: ':large_green_circle: open', pending: ':hourglass_flowing_sand: pending', snoozed: ':zzz: snoozed', closed: ':white_check_mark: closed' };

export function customerModal(vm: CustomerView): ModalView {
  const blocks: KnownBlock[] = [];
  if (!vm.contact) {
    blocks.push({ type: 'section', text: md('This conversation has no customer on record (the email had no sender address).') });
    return modal({ callbackId: Views.customer, title: 'Customer', close: 'Close', blocks, metadata: { conversationNumber: vm.conversationNumber } });
  }
  const c = vm.contact;
  const name = c.name.trim() ? `*${esc(oneLine(c.name), 200)}*\n` : '';
  blocks.push({ type: 'section', text: md(`${name}${addressMrkdwn({ name: '', address: c.address })}\nFirst seen ${slackDate(c.firstSeen, '{date_long}')}`) });
  const lines = vm.conversations.map((x) => {
    const title = link(x.permalink, `#${x.number} ${esc(oneLine(x.subject) || '(no subject)', 120)}`);
    const tags = x.tags.length ? ` · ${x.tags.slice(0, 6).map((t) => `\`${esc(t, 40)}\``).join(' ')}` : '';
    return `${title} · ${STATUS[x.status]}${tags}${x.current ? ' · _this one_' : ''}`;
  });
  const head = `*${vm.total} ${vm.total === 1 ? 'conversation' : 'conversations'}*${vm.total > lines.length ? ` (the newest ${lines.length})` : ''}`;
  for (const chunk of splitMrkdwn([head, ...lines].join('\n'))) blocks.push({ type: 'section', text: md(chunk) });
  if (vm.company) {
    const people = vm.company.people.map((p) => `${addressMrkdwn(p)} · ${p.conversations} ${p.conversations === 1 ? 'conversation' : 'conversations'}`);
    const text = people.length ? `*Others at ${esc(vm.company.domain, 200)}*\n${people.join('\n')}` : `*Others at ${esc(vm.company.domain, 200)}*\nNobody else yet.`;
    for (const chunk of splitMrkdwn(text)) blocks.push({ type: 'section', text: md(chunk) });
  }
  blocks.push({ type: 'context', elements: [md('Only you see this. Conversations of the inboxes you are a member of.')] });
  return modal({ callbackId: Views.customer, title: 'Customer', close: 'Close', blocks: blocks.slice(0, 100), metadata: { conversationNumber: vm.conversationNumber } });
}
