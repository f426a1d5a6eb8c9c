// Raw RFC 5322 bytes → InboundEmail. Never throws, always returns: whatever could not be read
// is noted in `problems` and the rest is still filled in.

import type { InboundAttachment, InboundEmail } from '../types.ts';
import type { Address } from '../../core/types.ts';
import { baseSubject } from '../../core/subject.ts';
import { readMime, splitRaw, type MimeMessage } from './mime.ts';
import { asRaw, rawFromBytes, type RawEmail } from '../raw.ts';
import { first, messageIds, parseHeaderBlock, parseMailDate, rawHeaderMap, type RawHeaders } from './headers.ts';
import { readBody } from './read-body.ts';
import { classifyKind } from './kind.ts';
import { bounceDetails, isDeliveredOnly, parseDeliveryStatus } from './bounce.ts';

/** Bytes of the raw message scanned as text for returned headers of non-standard bounces. */
const MAX_RAW_SCAN = 1_000_000;

/** The email, from its bytes or (a big one) from the file it was downloaded into. */
export async function parseEmail(raw: Buffer | RawEmail): Promise<InboundEmail> {
  // Anything else (a careless caller's string) is read as its text.
  const input = raw && typeof raw === 'object' ? asRaw(raw) : rawFromBytes(Buffer.from(String(raw ?? '')));
  try {
    const mime = await readMime(input);
    return buildEmail(input, mime);
  } catch (err) {
    // Defence in depth: nothing above should throw, but an email must never take the app down.
    return emptyEmail(input, [`parse: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200)]);
  }
}

function buildEmail(raw: RawEmail, mime: MimeMessage): InboundEmail {
  const problems = [...mime.problems];
  const headers = rawHeaderMap(mime.headerLines);
  const subject = mime.subject || '';

  const from = mime.from[0] ?? fallbackAddress(first(headers, 'from'));
  if (!from) problems.push('no From address');
  const dateHeader = first(headers, 'date');
  const date = parseMailDate(dateHeader);
  if (!dateHeader) problems.push('no Date header');
  else if (!date) problems.push('unreadable Date header');

  const body = readBody({ text: mime.text, html: mime.html, subject });
  const partTypes = mime.attachments.map((a) => a.contentType);
  const deliveryStatus = mime.attachments
    .filter((a) => /delivery-status$/.test(a.contentType))
    .map((a) => a.head.toString('utf8').slice(0, 200_000));
  // Bounces forwarded or pasted as text still carry the DSN fields in their body.
  // A bounce of a bounce carries the DSN inside its returned message.
  const texts = [mime.text ?? '', ...mime.attachments.filter((a) => a.contentType === 'message/rfc822').map((a) => a.head.subarray(0, 500_000).toString('latin1'))];
  for (const text of texts) {
    if (deliveryStatus.length) break;
    const inline = inlineDeliveryStatus(text);
    if (inline) deliveryStatus.push(inline);
  }
  const dsnRecipients = deliveryStatus.flatMap(parseDeliveryStatus);
  const messageId = messageIds(first(headers, 'message-id'))[0] ?? null;

  const kind = classifyKind({
    headers,
    fromAddress: from?.address ?? '',
    fromName: from?.name ?? '',
    subject,
    partTypes,
    text: body.text,
    deliveredOnly: isDeliveredOnly(dsnRecipients),
  });

  const bounce =
    kind === 'bounce'
      ? bounceDetails({
          deliveryStatus,
          returnedHeaders: returnedHeaderBlocks(mime),
          text: body.text,
          raw: raw.head.subarray(0, MAX_RAW_SCAN).toString('latin1'),
          ownMessageId: messageId,
          failedRecipientsHeader: first(headers, 'x-failed-recipients'),
        })
      : null;

  return {
    messageId,
    inReplyTo: messageIds(first(headers, 'in-reply-to'))[0] ?? null,
    references: messageIds((headers.get('references') ?? []).join(' ')),
    from,
    to: mime.to,
    cc: mime.cc,
    replyTo: mime.replyTo,
    subject,
    baseSubject: baseSubject(subject),
    date,
    kind,
    bounce,
    forwarded: body.forwarded,
    text: body.text,
    reply: body.reply,
    textMrkdwn: body.textMrkdwn,
    replyMrkdwn: body.replyMrkdwn,
    html: mime.html,
    attachments: mime.attachments.map(
      (a): InboundAttachment => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        inline: a.inline,
        contentId: a.contentId,
        content: a.content,
      }),
    ),
    size: raw.size,
    problems,
  };
}

/** Header blocks of the returned message in a bounce: message/rfc822 or text/rfc822-headers. */
function returnedHeaderBlocks(mime: MimeMessage): string[] {
  return mime.attachments
    .filter((a) => /^(?:message\/(?:global|rfc822)|text\/rfc822-headers|message\/global-headers)/.test(a.contentType))
    .map((a) => splitRaw(a.head.subarray(0, 256 * 1024)).head.toString('latin1'));
}

function inlineDeliveryStatus(text: string): string | null {
  const m = /^(?:reporting-mta|final-recipient|original-recipient)\s*:/im.exec(text.slice(0, 500_000));
  return m ? text.slice(m.index, m.index + 50_000) : null;
}

/** A From header mailparser could not read: take an address out of it by hand. */
function fallbackAddress(value: string | null): Address | null {
  if (!value) return null;
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>"(),;:]+@[^\s<>"(),;:]+)/.exec(value);
  if (!m) return null;
  const name = value.slice(0, m.index).replace(/["<>]/g, '').trim();
  return { name, address: m[1]! };
}

function emptyEmail(raw: RawEmail, problems: string[]): InboundEmail {
  const headers: RawHeaders = parseHeaderBlock(splitRaw(raw.head).head.subarray(0, 65_536).toString('latin1'));
  const subject = first(headers, 'subject') ?? '';
  return {
    messageId: messageIds(first(headers, 'message-id'))[0] ?? null,
    inReplyTo: messageIds(first(headers, 'in-reply-to'))[0] ?? null,
    references: messageIds(first(headers, 'references')),
    from: fallbackAddress(first(headers, 'from')),
    to: [],
    cc: [],
    replyTo: [],
    subject,
    baseSubject: baseSubject(subject),
    date: parseMailDate(first(headers, 'date')),
    kind: 'human',
    bounce: null,
    forwarded: null,
    text: '',
    reply: '',
    textMrkdwn: '',
    replyMrkdwn: '',
    html: null,
    attachments: [],
    size: raw.size,
    problems,
  };
}
