// The parent message of a conversation: who wrote, about what, where it stands, and the buttons.
// Rebuilt whole on every change (chat.update), so it is a pure function of the view-model.
import type { ActionsBlock, Button, ContextBlock, KnownBlock, Overflow, UsersSelect } from '@slack/types';
import {
  RESOLUTION_LABELS,
  type ConversationStatus,
  type Resolution,
  type TicketPriority,
  type TicketStatus,
} from '../../../core/conversation-status.ts';
import type { Address } from '../../../core/types.ts';
import type { ClockView } from '../../../core/sla.ts';
import { formatDuration } from '../../../core/stats.ts';
import { Actions, Blocks, OverflowChoices, overflowValue } from '../ids.ts';
import { channelMention, isUserId, joinNames, link, userMention } from './mentions.ts';
import { Limits, addressListMrkdwn, addressMrkdwn, addressPlain, esc, md, oneLine, option, plain, slackDate, truncate } from './text.ts';

export interface ConversationParentVM {
  /** The per-install conversation number (#42). */
  number: number;
  inboxName: string;
  subject: string;
  /** The contact: the customer who wrote (or the original sender of a forwarded email). */
  from: Address;
  /** Plain text of the first email; cut here to about 200 characters. */
  snippet: string;
  status: ConversationStatus;
  resolution?: Resolution | null;
  assigneeUserId?: string | null;
  ticket?: { id: number; priority: TicketPriority; status: TicketStatus } | null;
  /** Teammates with the reply modal open or a reply in the undo window. */
  replyingUserIds?: readonly string[];
  /** Earlier conversations with the same contact, newest first. */
  earlierConversations?: readonly { number: number; subject: string; permalink?: string | null }[];
  movedTo?: { inboxName: string; channelId: string; permalink?: string | null } | null;
  cc?: readonly Address[];
  /** The teammate who forwarded the email, when the contact is its original sender. */
  forwardedBy?: Address | null;
  /** When the conversation started (ms). */
  receivedAt?: number | null;
  /** Set when a teammate started the conversation (compose): the contact is then the recipient. */
  startedByUserId?: string | null;
  /** The response target: due (soon), overdue, or paused. */
  clock?: ClockView | null;
  /** Snoozed until then. */
  snoozedUntil?: number | null;
  /** Its tags (normalised words), in the order they were added. */
  tags?: readonly string[];
}

export const SNIPPET_LENGTH = 200;
const MAX_EARLIER = 5;
const MAX_REPLYING = 5;
const MAX_TAGS_SHOWN = 10;

export const HOW_IT_WORKS =
  'Reply in the thread to email the customer; start a message with `note:` or `;;` to keep it internal.';

const STATUS_LABELS: Record<ConversationStatus, string> = {
  open: ':large_green_circle: Open',
  pending: ':hourglass_flowing_sand: Pending (waiting on the customer)',
  snoozed: ':zzz: Snoozed',
  closed: ':white_check_mark: Closed',
};

export function conversationParent(vm: ConversationParentVM): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(headline(vm)) },
    context(statusLine(vm)),
  ];
  const replying = (vm.replyingUserIds ?? []).filter(isUserId);
  if (replying.length > 0) {
    const names = joinNames(replying.slice(0, MAX_REPLYING).map(userMention), MAX_REPLYING);
    blocks.push(context(`:pencil2: ${names} ${replying.length === 1 ? 'is' : 'are'} replying…`));
  }
  const earlier = vm.earlierConversations ?? [];
  if (earlier.length > 0) {
    const shown = earlier.slice(0, MAX_EARLIER).map((c) => link(c.permalink, `#${c.number} ${esc(oneLine(c.subject) || '(no subject)', 80)}`));
    const more = earlier.length > MAX_EARLIER ? ` and ${earlier.length - MAX_EARLIER} more` : '';
    blocks.push(context(`:card_index: Earlier with this contact: ${shown.join(', ')}${more}`));
  }
  if (vm.movedTo) {
    const where = `*${esc(oneLine(vm.movedTo.inboxName), 100)}* (${channelMention(vm.movedTo.channelId)})`;
    blocks.push({ type: 'section', text: md(`:arrow_right: Moved to ${where}: ${link(vm.movedTo.permalink, 'continue there')}`) });
    return { text: fallbackText(vm), blocks };
  }
  blocks.push(actions(vm), context(`:speech_balloon: ${HOW_IT_WORKS}`));
  return { text: fallbackText(vm), blocks };
}

function headline(vm: ConversationParentVM): string {
  const subject = `*${esc(oneLine(vm.subject) || '(no subject)', 400)}*`;
  const who = vm.startedByUserId && isUserId(vm.startedByUserId)
    ? `:outbox_tray: To ${addressMrkdwn(vm.from)} · started by ${userMention(vm.startedByUserId)}`
    : `:envelope_with_arrow: From ${addressMrkdwn(vm.from)}`;
  const lines = [subject, vm.forwardedBy ? `${who} · forwarded by ${addressMrkdwn(vm.forwardedBy)}` : who];
  if (vm.cc && vm.cc.length > 0) lines.push(`CC: ${addressListMrkdwn(vm.cc, 600)}`);
  const snippet = snippetText(vm.snippet);
  if (snippet) lines.push(`>${esc(snippet, 1200)}`);
  return lines.join('\n');
}

/** One line, whitespace collapsed, cut to SNIPPET_LENGTH before escaping. */
export function snippetText(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), SNIPPET_LENGTH);
}

function statusLine(vm: ConversationParentVM): string {
  const parts = [`*#${vm.number}*`, esc(oneLine(vm.inboxName), 100)];
  let status = STATUS_LABELS[vm.status];
  if (vm.status === 'closed' && vm.resolution) status += ` · ${RESOLUTION_LABELS[vm.resolution]}`;
  if (vm.status === 'snoozed' && vm.snoozedUntil) status += ` until ${slackDate(vm.snoozedUntil, DUE_FORMAT)}`;
  parts.push(status);
  const clock = vm.status === 'closed' ? null : clockLine(vm.clock ?? null);
  if (clock) parts.push(clock);
  parts.push(vm.assigneeUserId && isUserId(vm.assigneeUserId) ? `Assigned to ${userMention(vm.assigneeUserId)}` : 'Unassigned');
  if (vm.ticket) parts.push(`:ticket: Ticket #${vm.ticket.id} · ${vm.ticket.priority} · ${vm.ticket.status}`);
  if (vm.tags?.length) parts.push(`:label: ${vm.tags.slice(0, MAX_TAGS_SHOWN).map((t) => `\`${esc(t, 40)}\``).join(' ')}${vm.tags.length > MAX_TAGS_SHOWN ? ` +${vm.tags.length - MAX_TAGS_SHOWN}` : ''}`);
  if (vm.receivedAt) parts.push(slackDate(vm.receivedAt));
  return parts.join('  ·  ');
}

/** Slack shows it in each reader's own time zone. */
const DUE_FORMAT = '{date_short_pretty} at {time}';

/** "⏱ reply due today at 15:30", ":warning:" when close, "overdue by 20m"; nothing while paused. */
function clockLine(c: ClockView | null): string | null {
  if (!c || c.state === 'paused') return null;
  if (c.state === 'overdue') return `:rotating_light: *reply overdue by ${formatDuration(c.overMs)}*`;
  return `${c.soon ? ':warning:' : ':stopwatch:'} reply due ${slackDate(c.dueAt, DUE_FORMAT)}`;
}

function actions(vm: ConversationParentVM): ActionsBlock {
  const value = String(vm.number);
  const reply: Button = { type: 'button', action_id: Actions.reply, text: plain('Reply', Limits.buttonText), value };
  if (vm.status !== 'closed') reply.style = 'primary';
  const assign: UsersSelect = {
    type: 'users_select',
    action_id: Actions.assignSelect,
    placeholder: plain(vm.status === 'closed' ? 'Assign' : 'Assign…', Limits.placeholder),
  };
  if (vm.assigneeUserId && isUserId(vm.assigneeUserId)) assign.initial_user = vm.assigneeUserId;
  const closeOrReopen: Button =
    vm.status === 'closed'
      ? { type: 'button', action_id: Actions.reopen, text: plain('Reopen', Limits.buttonText), value }
      : { type: 'button', action_id: Actions.close, text: plain('Close', Limits.buttonText), value };
  const snooze =
    vm.status === 'snoozed'
      ? [option('Unsnooze', overflowValue(OverflowChoices.unsnooze, vm.number))]
      : vm.status === 'closed'
        ? []
        : [option('Snooze or wait…', overflowValue(OverflowChoices.snooze, vm.number))];
  // Slack's overflow holds at most five: Forward is the "Forward email" shortcut on the email and
  // Show full message a button on an email whose quoted history is hidden (older parents still
  // carry both in their menu, and they still work there).
  const choices = [
    ...snooze,
    option('Tags…', overflowValue(OverflowChoices.tags, vm.number)),
    option('Customer', overflowValue(OverflowChoices.customer, vm.number)),
    ...(vm.ticket ? [] : [option('Create ticket', overflowValue(OverflowChoices.createTicket, vm.number))]),
    option('Move to another inbox', overflowValue(OverflowChoices.move, vm.number)),
  ];
  const more: Overflow = { type: 'overflow', action_id: Actions.overflow, options: choices };
  // A new block_id whenever the assignee changes: Slack clients otherwise keep showing the
  // selection a user made in the select instead of the new initial_user.
  const blockId = `${Blocks.parentActions}.${vm.number}.${isUserId(vm.assigneeUserId) ? vm.assigneeUserId : 'none'}`;
  return { type: 'actions', block_id: blockId, elements: [reply, assign, closeOrReopen, more] };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [md(text)] };
}

/** For notifications and screen readers: who and what, never a mention. */
function fallbackText(vm: ConversationParentVM): string {
  const who = addressPlain(vm.from);
  const status = vm.movedTo ? `moved to ${vm.movedTo.inboxName}` : vm.status;
  const text = `#${vm.number} ${oneLine(vm.subject) || '(no subject)'} (${who}, ${status})`;
  return esc(text, Limits.fallbackText);
}
