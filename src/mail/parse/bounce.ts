// Bounce details: permanent or not, the enhanced status code (RFC 3463), the failed recipients
// and the Message-ID of the returned message. Standard DSNs (RFC 3464) say it in fields; the
// many MTAs that don't (Exim, qmail, Postfix without DSN, Exchange 2003, Domino, carriers…)
// say it in prose with an SMTP reply, so the text is read for codes in a known order.

import type { BounceInfo } from '../types.ts';
import { messageIds, parseHeaderBlock, first } from './headers.ts';
import { sesNotification } from './bounce-ses.ts';
import { errorPart, recipientLine, refusedCommand, serverLine, statusFromReplyCode, statusFromText } from './bounce-text.ts';
import type { BounceReason } from '../../core/types.ts';
import { bounceReason, isRetryable, pseudoStatus } from './bounce-reason.ts';

export interface BounceInput {
  /** Contents of message/delivery-status parts (may be empty). */
  deliveryStatus: string[];
  /** Header blocks of returned messages (message/rfc822 or text/rfc822-headers parts). */
  returnedHeaders: string[];
  /** The human-readable text of the bounce. */
  text: string;
  /** The raw message as Latin-1 text (capped), for returned headers inlined in the body. */
  raw: string;
  ownMessageId: string | null;
  failedRecipientsHeader: string | null;
}

export interface DsnRecipient {
  recipient: string;
  action: string;
  status: string | null;
  diagnostic: string;
  /** The Diagnostic-Code's type (smtp, x-unix, …), lower-cased. */
  diagnosticType: string | null;
}

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const ENHANCED_ALL = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)/g;
const REPLY = /(?<![\d.])[45]\d\d(?![\d.])/;

export function parseDeliveryStatus(dsn: string): DsnRecipient[] {
  const blocks = dsn.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  const out: DsnRecipient[] = [];
  for (const block of blocks.slice(0, 200)) {
    const fields = parseHeaderBlock(block);
    const recipient = first(fields, 'final-recipient') ?? first(fields, 'original-recipient');
    if (!recipient) continue;
    const statusField = first(fields, 'status') ?? '';
    const diagnostic = first(fields, 'diagnostic-code') ?? '';
    out.push({
      recipient: recipient.replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '').trim(),
      action: (first(fields, 'action') ?? '').toLowerCase().trim(),
      status: ENHANCED.exec(statusField)?.[0] ?? null,
      diagnostic: diagnostic.replace(/^\s*[\w-]+\s*;\s*/, ''),
      diagnosticType: /^\s*([\w-]+)\s*;/.exec(diagnostic)?.[1]?.toLowerCase() ?? null,
    });
  }
  return out;
}

/** True when a DSN reports only successful deliveries (a delivery-success notice). */
export function isDeliveredOnly(recipients: DsnRecipient[]): boolean {
  return recipients.length > 0 && recipients.every((r) => /^(?:delivered|relayed|expanded)/.test(r.action) || r.status?.startsWith('2.'));
}

export function bounceDetails(input: BounceInput): BounceInfo {
  const ses = sesNotification(input.text);
  const part = errorPart(input.text);
  if (ses?.type === 'bounce') {
    const reason = bounceReason({ status: ses.status, diagnostic: ses.diagnostic, text: part, command: null, replied: REPLY.test(ses.diagnostic ?? ''), diagnosticType: null });
    return withReason({ permanent: ses.permanent, status: ses.status, recipients: ses.recipients, originalMessageId: null, diagnostic: ses.diagnostic, delayed: false }, reason);
  }
  const recipients = input.deliveryStatus.flatMap(parseDeliveryStatus);
  const failed = recipients.filter((r) => !/^(?:delivered|relayed|expanded)/.test(r.action));
  const primary = failed[0] ?? recipients[0];
  const firstRecipient = failed[0]?.recipient ?? input.failedRecipientsHeader?.split(/[,\s]+/).find((a) => a.includes('@')) ?? null;
  const serverSaid = primary?.diagnostic || serverLine(input.text);
  const diagnostic = tidyServerLine(serverSaid || recipientLine(part, firstRecipient ?? recipientsFromText(input.text)[0] ?? null) || '');

  let status: string | null = null;
  if (primary) {
    // The remote server's own code (the last one in the diagnostic, after any relay's) against
    // the reporting MTA's summary in Status.
    const inMessage = [...primary.diagnostic.matchAll(ENHANCED_ALL)].map((m) => m[0]).filter((c) => !/\.0\.0$/.test(c)).pop() ?? null;
    const reply = /(?<![\d.])([45])\d\d(?![\d.])/.exec(primary.diagnostic)?.[1] ?? null;
    status = preferStatus(primary.status, inMessage, reply);
    // A generic x.0.0 says only "failed": the prose may name the precise code.
    const prose = `${primary.diagnostic}\n${input.text}`;
    if (status && /\.0\.0$/.test(status)) status = statusFromText(prose) ?? status;
    // "Expired" should give way to the code of the problem that kept it from going (RFC 3463).
    if (status && /^[45]\.4\.7$/.test(status)) status = statusFromText(prose, (c) => !/\.(?:4\.7|0\.0)$/.test(c)) ?? status;
    status ??= statusFromText(prose);
  }
  status ??= statusFromText(input.text);

  const reason = bounceReason({
    status,
    diagnostic,
    text: part,
    command: refusedCommand(`${primary?.diagnostic ?? ''}\n${input.text}`),
    replied: REPLY.test(diagnostic ?? ''),
    diagnosticType: primary?.diagnosticType ?? null,
  });
  // A delay warning's Status, and a bare x.0.0 with no server line, are the reporting MTA's
  // placeholders: the reason's own code says more.
  const placeholder = !!primary && !serverSaid && (primary.action.startsWith('delayed') || /\.0\.0$/.test(status ?? ''));
  if (placeholder && reason !== 'undefined') status = pseudoStatus(reason);
  // No code at all: the class of the SMTP reply, or the reason's own code.
  if (!status) {
    const reply = statusFromReplyCode(`${diagnostic ?? ''}\n${part}`);
    status = reason !== 'undefined' || !reply ? pseudoStatus(reason, reply?.startsWith('4') || TEMPORARY_WORDS.test(diagnostic ?? part)) : reply;
  }

  const list = failed.length ? failed.map((r) => r.recipient) : recipients.map((r) => r.recipient);
  if (!list.length && input.failedRecipientsHeader) {
    list.push(...input.failedRecipientsHeader.split(/[,\s]+/).filter((a) => a.includes('@')));
  }
  if (!list.length) list.push(...recipientsFromText(input.text));

  const action = primary?.action ?? '';
  const delayed = /^delayed/.test(action) || (!primary && DELAY_WORDS.test(part) && !FINAL_WORDS.test(part));
  const permanent = !delayed && (status ? status.startsWith('5') : !/delivered|relayed/.test(action));
  return withReason(
    {
      permanent,
      status,
      recipients: [...new Set(list.map((a) => a.replace(/^<|>$/g, '').trim()).filter(Boolean))].slice(0, 100),
      originalMessageId: originalMessageId(input),
      diagnostic,
      delayed,
    },
    reason,
  );
}

/**
 * Which of two codes says more: the Status field or the code in the server's message. Generic
 * and ambiguous codes give way to the other one; when their classes disagree, the class of the
 * SMTP reply decides.
 */
export function preferStatus(field: string | null, inMessage: string | null, replyClass: string | null): string | null {
  if (!field || !inMessage) return field ?? inMessage;
  if (field === inMessage) return field;
  if (replyClass && field[0] !== inMessage[0]) {
    if (replyClass === field[0]) return field;
    if (replyClass === inMessage[0]) return inMessage;
  }
  if (/\.0\.0$/.test(field)) return inMessage;
  if (/\.0(?:\.|$)|\.\d+\.0$/.test(field) && !/\.0(?:\.|$)/.test(inMessage.slice(1))) return inMessage;
  // Codes that only say "expired", "too many errors", "system error" or "bad command".
  if (/^(?:4\.4\.7|4\.7\.0|5\.3\.\d+|[45]\.5\.[1245])$/.test(field)) return inMessage;
  if (field === '5.1.1') return /\.0/.test(inMessage.slice(1)) || inMessage.startsWith('5.5.') ? field : inMessage;
  if (field === '5.1.3' && inMessage.startsWith('5.7.')) return inMessage;
  return field;
}

/** Words that say the failures were temporary ones, until the sending side gave up. */
const TEMPORARY_WORDS = /\bretry timeout exceeded\b/i;

/** The sending side has given up: whatever else the text says, this is the failure. */
const FINAL_WORDS = /\b(?:gave up|giving up|permanent(?:ly)? (?:error|failure|failed)|this is a permanent error|has been returned|could not be delivered to (?:one or more|the following))\b/i;

/** Warnings that the message is still queued and being retried (not a failure yet). */
const DELAY_WORDS = /\b(?:will (?:be retried|continue to (?:try|attempt))|still (?:trying|retrying)|not yet been delivered|delivery (?:is )?delayed|has been delayed|this is a warning|warning: message .* delayed|no action is required)/i;

/**
 * The server's answer on one line: a reply spread over several lines repeats its codes on each
 * ("550-5.7.1 … 550-5.7.1 … 550 5.7.1 …"); they are kept once, at the start.
 */
export function tidyServerLine(s: string): string | null {
  let line = s.replace(/\s+/g, ' ').trim().replace(/^\(reason: (.*)\)$/i, '$1');
  const head = /^(\d{3})[ -](?:#?(\d\.\d{1,3}\.\d{1,3}) )?/.exec(line);
  if (head) {
    const again = new RegExp(`\\s${head[1]}[ -]${head[2] ? `#?${head[2].replace(/\./g, '\\.')}\\s` : ''}`, 'g');
    line = head[0].replace('-', ' ') + line.slice(head[0].length).replace(again, ' ');
  }
  return line.slice(0, 1000) || null;
}

function withReason(b: Omit<BounceInfo, 'reason' | 'retryable'>, reason: BounceReason): BounceInfo {
  return { ...b, reason, retryable: isRetryable(reason, b.status) };
}

function originalMessageId(input: BounceInput): string | null {
  for (const block of input.returnedHeaders) {
    const id = messageIds(first(parseHeaderBlock(block), 'message-id'))[0];
    if (id) return id;
  }
  // Returned headers pasted into the body (Exim, qmail, Exchange 2003, most carriers).
  const pattern = /^[ \t>]*(?:message-id|x-original-message-id|original-message-id)\s*:\s*(<?[^\s<>]{1,500}@[^\s<>]{1,500}>?)/gim;
  for (const source of [input.text, input.raw]) {
    for (const m of source.slice(0, 2_000_000).matchAll(pattern)) {
      const id = messageIds(m[1])[0];
      if (id && id !== input.ownMessageId) return id;
    }
  }
  return null;
}

function recipientsFromText(text: string): string[] {
  const found: string[] = [];
  const head = text.slice(0, 20_000);
  for (const m of head.matchAll(/<?([A-Za-z0-9._%+'=-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})>?[^\n]{0,20}\n?[^\n]{0,200}?(?:\b[45]\d\d\b|unknown|does not exist|doesn't have|not found|rejected|refused|unavailable|invalid|disabled|discontinued|suspended|full|quota|blocked|failed)/gi)) {
    found.push(m[1]!);
    if (found.length >= 10) break;
  }
  return found;
}
