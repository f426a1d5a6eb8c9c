// Bounce details: permanent or not, the enhanced status code (RFC 3463), the failed recipients
// and the Message-ID of the returned message. Standard DSNs (RFC 3464) say it in fields; the
// many MTAs that don't (Exim, qmail, Postfix without DSN, Exchange 2003, Domino, carriers…)
// say it in prose with an SMTP reply, so the text is read for codes in a known order.

import type { BounceInfo } from '../types.ts';
import { messageIds, parseHeaderBlock, first } from './headers.ts';
import { sesNotification } from './bounce-ses.ts';
import { statusFromReason, statusFromReplyCode, statusFromText } from './bounce-text.ts';

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
}

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const ENHANCED_ALL = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)/g;

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
      diagnostic,
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
  if (ses?.type === 'bounce') {
    return { permanent: ses.permanent, status: ses.status, recipients: ses.recipients, originalMessageId: null };
  }
  const recipients = input.deliveryStatus.flatMap(parseDeliveryStatus);
  const failed = recipients.filter((r) => !/^(?:delivered|relayed|expanded)/.test(r.action));
  const primary = failed[0] ?? recipients[0];

  let status: string | null = null;
  if (primary) {
    // The remote server's own code (the last one in the diagnostic, after any relay's) is
    // more specific than the reporting MTA's summary in Status (often x.0.0 or 4.4.7).
    const diag = [...primary.diagnostic.matchAll(ENHANCED_ALL)].map((m) => m[0]).filter((c) => !/\.0\.0$/.test(c)).pop() ?? null;
    status = diag ?? primary.status;
    // A generic x.0.0 says only "failed": the prose may name the precise code.
    const prose = `${primary.diagnostic}\n${input.text}`;
    if (status && /\.0\.0$/.test(status)) status = statusFromText(prose) ?? status;
    if (!status) status = statusFromText(prose) ?? statusFromReason(prose) ?? statusFromReplyCode(prose);
  }
  status ??= statusFromText(input.text) ?? statusFromReason(input.text) ?? statusFromReplyCode(input.text);

  const list = failed.length ? failed.map((r) => r.recipient) : recipients.map((r) => r.recipient);
  if (!list.length && input.failedRecipientsHeader) {
    list.push(...input.failedRecipientsHeader.split(/[,\s]+/).filter((a) => a.includes('@')));
  }
  if (!list.length) list.push(...recipientsFromText(input.text));

  const action = primary?.action ?? '';
  const permanent = status ? status.startsWith('5') : !/delayed|delivered|relayed/.test(action);
  return {
    permanent,
    status,
    recipients: [...new Set(list.map((a) => a.replace(/^<|>$/g, '').trim()).filter(Boolean))].slice(0, 100),
    originalMessageId: originalMessageId(input),
  };
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
  for (const m of head.matchAll(/<?([A-Za-z0-9._%+'=-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})>?[^\n]{0,20}\n?[^\n]{0,200}?(?:\b[45]\d\d\b|unknown|does not exist|not found|rejected|refused|unavailable|invalid|disabled|full|quota|blocked|failed)/gi)) {
    found.push(m[1]!);
    if (found.length >= 10) break;
  }
  return found;
}
