// The thread message that shows one email. The body arrives as Slack-safe mrkdwn from the parser
// (already escaped: it is not escaped again); every header shown here is escaped. A body too big
// for one Slack message is cut and `truncated` tells the caller to attach the full message.
import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Address, EmailKind } from '../../../core/types.ts';
import { isUserId, userMention } from './mentions.ts';
import { cutToBudget, splitMrkdwn } from './split.ts';
import { Limits, addressListMrkdwn, addressMrkdwn, displayName, esc, formatBytes, md, oneLine, slackDate, truncate, truncateMrkdwn } from './text.ts';
import { usernameForSlack } from '../../../core/slack-text.ts';
import { baseSubject } from '../../../core/subject.ts';
import { toFallback } from './fallback.ts';
import { Actions } from '../ids.ts';

export interface EmailAttachmentVM {
  filename: string;
  size: number;
  inline?: boolean;
}

export interface EmailMessageVM {
  direction: 'in' | 'out';
  kind: EmailKind;
  from: Address;
  to: readonly Address[];
  cc: readonly Address[];
  /** Outgoing only: we know whom we BCC'd. */
  bcc?: readonly Address[];
  subject: string;
  /** The conversation's subject: the email's own is shown only when it differs. */
  conversationSubject: string;
  /** ms since the epoch, or null when the email had no readable date. */
  date: number | null;
  /** Slack-safe mrkdwn from the parser. Not escaped again here. */
  bodyMrkdwn: string;
  /** The parser showed only the new text (quoted history or signature removed). */
  quotedHidden?: boolean;
  /** The caller already knows the full message must be attached (e.g. over 100 KB). */
  oversize?: boolean;
  attachments?: readonly EmailAttachmentVM[];
  /** Outgoing: the teammate who wrote it. */
  sentByUserId?: string | null;
}

export interface EmailMessage {
  /** Notification / fallback text; no mentions. */
  text: string;
  blocks: KnownBlock[];
  /** The body was cut to fit: the caller attaches the full message as a file. */
  truncated: boolean;
  /** For chat:write.customize on incoming mail: the sender's name, defused, ≤ 80 characters. */
  username?: string;
}

/** Total mrkdwn we put in one message; Slack renders more badly and rejects far more. */
export const MESSAGE_TEXT_BUDGET = 12_000;
const QUIET_LENGTH = 300;
const MAX_ATTACHMENTS_LISTED = 10;
const USERNAME_LENGTH = 80;

export function emailMessage(vm: EmailMessageVM): EmailMessage {
  const username = vm.direction === 'in' ? truncate(usernameForSlack(displayName(vm.from)), USERNAME_LENGTH) : undefined;
  if (vm.kind !== 'human') return { ...quietEmail(vm), truncated: false, ...(username ? { username } : {}) };

  const blocks: KnownBlock[] = [context(headerLine(vm))];
  if (differs(vm.subject, vm.conversationSubject)) blocks.push(context(`*Subject:* ${esc(oneLine(vm.subject), 500)}`));
  const tail: ContextBlock[] = [];
  const attachments = attachmentLine(vm.attachments ?? []);
  if (attachments) tail.push(context(attachments));

  const used = [...blocks, ...tail].reduce((n, b) => n + blockTextLength(b), 0) + 200; // + footer
  const body = vm.bodyMrkdwn.trim() === '' ? '_(no text)_' : vm.bodyMrkdwn;
  const budgeted = cutToBudget(body, MESSAGE_TEXT_BUDGET - used);
  let chunks = splitMrkdwn(budgeted.text, Limits.sectionText);
  const room = Limits.messageBlocks - blocks.length - tail.length - 1;
  let truncated = budgeted.cut || Boolean(vm.oversize);
  if (chunks.length > room) {
    chunks = chunks.slice(0, room);
    truncated = true;
  }
  for (const chunk of chunks) blocks.push({ type: 'section', text: md(chunk) });
  blocks.push(...tail);
  if (truncated) blocks.push(context(':scissors: This email is too long for Slack: the full message is attached as a file.'));
  else if (vm.quotedHidden) blocks.push(showFullLine());
  return { text: fallbackText(vm), blocks, truncated, ...(username ? { username } : {}) };
}

function headerLine(vm: EmailMessageVM): string {
  const parts: string[] = [];
  if (vm.direction === 'in') {
    parts.push(`:envelope_with_arrow: *From* ${addressMrkdwn(vm.from)}`);
  } else {
    const by = vm.sentByUserId && isUserId(vm.sentByUserId) ? ` by ${userMention(vm.sentByUserId)}` : '';
    parts.push(`:outbox_tray: *Sent*${by} *from* ${addressMrkdwn(vm.from)}`);
  }
  if (vm.to.length > 0) parts.push(`*To* ${addressListMrkdwn(vm.to, 600)}`);
  if (vm.cc.length > 0) parts.push(`*CC* ${addressListMrkdwn(vm.cc, 600)}`);
  if (vm.bcc && vm.bcc.length > 0) parts.push(`*BCC* ${addressListMrkdwn(vm.bcc, 600)}`);
  if (vm.date) parts.push(slackDate(vm.date));
  return parts.join('  ·  ');
}

function quietEmail(vm: EmailMessageVM): { text: string; blocks: KnownBlock[] } {
  const who = addressMrkdwn(vm.from);
  const summary = truncateMrkdwn(vm.bodyMrkdwn.replace(/\s+/g, ' ').trim(), QUIET_LENGTH);
  let line: string;
  if (vm.kind === 'auto-reply') {
    line = `:zzz: *Automatic reply* from ${who}`;
  } else if (vm.kind === 'report') {
    line = `:page_facing_up: *Report* from ${who}`;
  } else {
    line = `:mailbox_with_mail: *Bulk mail* from ${who}`;
  }
  if (summary) line += `: ${summary}`;
  const blocks: KnownBlock[] = [context(line)];
  return { text: toFallback(line), blocks };
}

function attachmentLine(list: readonly EmailAttachmentVM[]): string | null {
  if (list.length === 0) return null;
  const shown = list
    .slice(0, MAX_ATTACHMENTS_LISTED)
    .map((a) => `${esc(oneLine(a.filename) || 'unnamed', 120)} (${formatBytes(a.size)}${a.inline ? ', inline' : ''})`);
  const more = list.length > MAX_ATTACHMENTS_LISTED ? ` and ${list.length - MAX_ATTACHMENTS_LISTED} more` : '';
  const label = list.length === 1 ? '1 attachment' : `${list.length} attachments`;
  return `:paperclip: ${label}: ${shown.join(', ')}${more}`;
}

/** Quoted history and signature hidden: a button on the email itself shows it whole (the ⋯ menu has no room). */
function showFullLine(): SectionBlock {
  return {
    type: 'section',
    text: md(':speech_balloon: Showing the new text; quoted history and signature are hidden.'),
    accessory: { type: 'button', action_id: Actions.showFullEmail, text: { type: 'plain_text', text: 'Show full message', emoji: true } },
  };
}

function fallbackText(vm: EmailMessageVM): string {
  const head = vm.direction === 'in' ? `Email from ${addressMrkdwn(vm.from)}` : `Email sent to ${addressListMrkdwn(vm.to, 300)}`;
  const body = truncateMrkdwn(vm.bodyMrkdwn.replace(/\s+/g, ' ').trim(), 300);
  return toFallback(body ? `${head}: ${body}` : head);
}

/** True when the subjects differ once reply/forward prefixes and spacing are set aside. */
export function differs(subject: string, conversationSubject: string): boolean {
  const norm = (s: string) => baseSubject(s).replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(subject) !== '' && norm(subject) !== norm(conversationSubject);
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [md(text)] };
}

function blockTextLength(b: KnownBlock): number {
  if (b.type === 'context') return b.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
  if (b.type === 'section') return b.text?.text.length ?? 0;
  return 0;
}
