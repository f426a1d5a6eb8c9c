// System notes in a conversation's thread: short, quiet context lines saying what happened and
// who did it. Text typed by teammates (a close note) and text from servers (an SMTP error) is
// escaped like email text: neither may ping or inject formatting tokens.
import type { KnownBlock } from '@slack/types';
import { RESOLUTION_LABELS, isResolution, type Resolution, type TicketPriority } from '../../../core/conversation-status.ts';
import type { Address } from '../../../core/types.ts';
import { toFallback } from './fallback.ts';
import { channelMention, isUserId, link, userMention } from './mentions.ts';
import { addressMrkdwn, esc, md, slackDate } from './text.ts';
import { formatDuration } from '../../../core/stats.ts';

export type NoteVM =
  | { kind: 'assigned'; assigneeUserId: string; byUserId?: string | null; automatic?: boolean; rule?: string }
  | {
      kind: 'routed';
      rules: readonly string[];
      assigneeUserId: string | null;
      tags: readonly string[];
      ticket: { id: number; priority: string } | null;
      closed: string | null;
      waiting?: boolean;
      sla?: string | null;
      movedFrom: string | null;
      notApplied: readonly string[];
      skippedTags?: readonly string[];
    }
  | { kind: 'rule-note'; rule: string; text: string }
  | { kind: 'unassigned'; byUserId?: string | null }
  | { kind: 'closed'; byUserId?: string | null; resolution?: Resolution | null; note?: string | null; ticketId?: number | null }
  | { kind: 'reopened'; byUserId?: string | null; reason: 'manual' | 'customer-wrote' }
  | { kind: 'moved-out'; byUserId?: string | null; toInboxName: string; toChannelId: string; permalink?: string | null }
  | { kind: 'moved-in'; byUserId?: string | null; fromInboxName: string; fromChannelId: string; permalink?: string | null }
  | { kind: 'ticket-created'; byUserId?: string | null; ticketId: number; priority: TicketPriority }
  | { kind: 'ticket-closed'; byUserId?: string | null; ticketId: number }
  | { kind: 'forwarded'; byUserId?: string | null; to: readonly string[]; note?: string | null }
  | { kind: 'auto-reply'; from: Address }
  | { kind: 'send-failed'; reason: string; byUserId?: string | null; willRetry?: boolean }
  | { kind: 'internal-note'; byUserId: string; text: string }
  | { kind: 'sla-warning'; assigneeUserId: string | null; dueAt: number }
  | { kind: 'sla-breached'; assigneeUserId: string | null; dueAt: number; targetMs: number; first: boolean }
  | { kind: 'snoozed'; byUserId: string; until: number }
  | { kind: 'woke'; assigneeUserId: string | null; reason: 'time' | 'customer-wrote' | 'manual'; byUserId?: string | null }
  | { kind: 'waiting'; byUserId: string }
  | { kind: 'auto-closed'; afterMs: number }
  | { kind: 'reminder'; forUserId: string; setAt: number }
  | { kind: 'reminder-set'; byUserId: string; dueAt: number }
  | { kind: 'sent-late'; scheduledFor: number }
  | { kind: 'tagged'; added: readonly string[]; removed: readonly string[]; byUserId?: string | null; rule?: string | null };

export type NoteKind = NoteVM['kind'];

const REASON_LENGTH = 500;
const NOTE_LENGTH = 1500;

export function noteMessage(vm: NoteVM): { text: string; blocks: KnownBlock[] } {
  const line = noteLine(vm);
  return { text: toFallback(line), blocks: [{ type: 'context', elements: [md(line)] }] };
}

/** Slack shows these in each reader's own time zone. */
const SOON = '{date_short_pretty} at {time}';

/** Whose it is: the assignee, mentioned, or that nobody is. */
function owner(assigneeUserId: string | null): string {
  return isUserId(assigneeUserId) ? `${userMention(assigneeUserId)}, this is yours.` : 'Nobody is assigned.';
}

function by(userId: string | null | undefined): string {
  return userId && isUserId(userId) ? ` by ${userMention(userId)}` : '';
}

/** Tags are normalised words (a-z, 0-9, -), shown as code; escaped all the same. */
function tagList(tags: readonly string[]): string {
  return tags.map((t) => `\`${esc(t, 40)}\``).join(', ');
}

function noteLine(vm: NoteVM): string {
  switch (vm.kind) {
    case 'assigned': {
      const how = vm.rule ? ` (rule _${esc(vm.rule, 100)}_)` : vm.automatic ? ' (automatic assignment)' : by(vm.byUserId);
      return `:bust_in_silhouette: Assigned to ${userMention(vm.assigneeUserId)}${how}`;
    }
    case 'unassigned':
      return `:bust_in_silhouette: Unassigned${by(vm.byUserId)}`;
    case 'closed': {
      const resolution = vm.resolution ? ` as _${RESOLUTION_LABELS[vm.resolution]}_` : '';
      const ticket = vm.ticketId ? `, with ticket #${vm.ticketId}` : '';
      const note = vm.note?.trim() ? `\n>${esc(vm.note.trim(), NOTE_LENGTH).replace(/\n/g, '\n>')}` : '';
      return `:white_check_mark: Closed${resolution}${ticket}${by(vm.byUserId)}${note}`;
    }
    case 'reopened':
      return vm.reason === 'customer-wrote'
        ? ':leftwards_arrow_with_hook: Reopened: the customer wrote again'
        : `:leftwards_arrow_with_hook: Reopened${by(vm.byUserId)}`;
    case 'moved-out':
      return `:arrow_right: Moved to *${esc(vm.toInboxName, 100)}* (${channelMention(vm.toChannelId)})${by(vm.byUserId)}: ${link(vm.permalink, 'continue there')}`;
    case 'moved-in':
      return `:arrow_left: Moved here from *${esc(vm.fromInboxName, 100)}* (${channelMention(vm.fromChannelId)})${by(vm.byUserId)}: ${link(vm.permalink, 'earlier thread')}`;
    case 'ticket-created':
      return `:ticket: Ticket #${vm.ticketId} created (${vm.priority} priority)${by(vm.byUserId)}`;
    case 'ticket-closed':
      return `:ticket: Ticket #${vm.ticketId} closed${by(vm.byUserId)}`;
    case 'forwarded': {
      const note = vm.note?.trim() ? `\n>${esc(vm.note.trim(), NOTE_LENGTH).replace(/\n/g, '\n>')}` : '';
      return `:arrow_heading_up: Forwarded to ${esc(vm.to.join(', '), 500)}${by(vm.byUserId)}${note}`;
    }
    case 'auto-reply':
      return `:zzz: Automatic reply from ${addressMrkdwn(vm.from)} (out of office or similar)`;
    case 'send-failed': {
      const retry = vm.willRetry ? ' Mailroom will try again.' : '';
      return `:warning: Could not send the reply${by(vm.byUserId)}. The mail server said: ${esc(vm.reason.trim() || 'no reason given', REASON_LENGTH)}.${retry}`;
    }
    case 'tagged': {
      const parts = [];
      if (vm.added.length) parts.push(`Tagged ${tagList(vm.added)}`);
      if (vm.removed.length) parts.push(`${vm.added.length ? 'untagged' : 'Untagged'} ${tagList(vm.removed)}`);
      const how = vm.rule ? ` by rule _${esc(vm.rule, 100)}_` : by(vm.byUserId);
      return `:label: ${parts.join(', ') || 'Tags unchanged'}${how}`;
    }
    case 'routed': {
      const did: string[] = [];
      if (vm.movedFrom) did.push(`started it here instead of *${esc(vm.movedFrom, 100)}*`);
      if (vm.assigneeUserId && isUserId(vm.assigneeUserId)) did.push(`assigned it to ${userMention(vm.assigneeUserId)}`);
      if (vm.tags.length) did.push(`tagged it ${tagList(vm.tags)}`);
      if (vm.ticket) did.push(`opened ticket #${vm.ticket.id} (${esc(vm.ticket.priority, 20)} priority)`);
      if (vm.waiting) did.push('set it waiting on the customer');
      if (vm.sla && !vm.notApplied.some((n) => n.startsWith('response target'))) did.push(`set its first-response target to ${esc(vm.sla, 20)}`);
      if (vm.closed) did.push(`closed it as _${isResolution(vm.closed) ? RESOLUTION_LABELS[vm.closed] : esc(vm.closed, 40)}_`);
      const names = vm.rules.map((r) => `_${esc(r, 100)}_`).join(', ');
      let skipped = vm.notApplied.length ? ` Not done: ${esc(vm.notApplied.join('; '), 300)}.` : '';
      if (vm.skippedTags?.length) skipped += ` Not tagged ${tagList(vm.skippedTags)}: not a tag of this inbox.`;
      return `:gear: Routing ${vm.rules.length === 1 ? 'rule' : 'rules'} ${names}${did.length ? `: ${did.join(', ')}` : ''}.${skipped}`;
    }
    case 'rule-note':
      return `:memo: Note from rule _${esc(vm.rule, 100)}_: ${esc(vm.text, NOTE_LENGTH)}`;
    case 'internal-note':
      return `:memo: Note from ${userMention(vm.byUserId)}: ${esc(vm.text, NOTE_LENGTH)}`;
    case 'sla-warning':
      return `:hourglass: Reply due ${slackDate(vm.dueAt, SOON)}: ${owner(vm.assigneeUserId)}`;
    case 'sla-breached': {
      const target = `${vm.first ? 'first' : 'next'}-response target (${formatDuration(vm.targetMs)})`;
      return `:rotating_light: Reply overdue: the ${target} passed ${slackDate(vm.dueAt, SOON)}. ${owner(vm.assigneeUserId)}`;
    }
    case 'snoozed':
      return `:zzz: Snoozed until ${slackDate(vm.until, SOON)}${by(vm.byUserId)}`;
    case 'woke': {
      const why = vm.reason === 'customer-wrote' ? ': the customer wrote' : vm.reason === 'manual' ? `${by(vm.byUserId)}` : '';
      return `:alarm_clock: Back from snooze${why}. ${owner(vm.assigneeUserId)}`;
    }
    case 'waiting':
      return `:hourglass_flowing_sand: Waiting on the customer${by(vm.byUserId)}`;
    case 'auto-closed':
      return `:white_check_mark: Closed automatically: no answer from the customer for ${formatDuration(vm.afterMs)}`;
    case 'reminder':
      return `:bell: ${userMention(vm.forUserId)}, your reminder: the customer has not written since you asked, ${slackDate(vm.setAt, SOON)}.`;
    case 'reminder-set':
      return `:bell: Reminder for ${userMention(vm.byUserId)} ${slackDate(vm.dueAt, SOON)} if the customer has not written by then`;
    case 'sent-late':
      return `:hourglass: This email was scheduled for ${slackDate(vm.scheduledFor, SOON)}, while Mailroom was stopped: it goes out now, late.`;
  }
}
