// OutgoingEmail → the raw RFC 5322 bytes, built once so that exactly these bytes are sent and
// appended to the Sent folder. Header values are checked, not repaired: a subject, name or
// address holding a line break means something upstream let hostile or broken input through, and
// silently changing who an email goes to (or what it says) is worse than refusing it with a
// stable code the outbox can show (`email.header_injection`). Attachment names, which come from
// whatever file someone uploaded to Slack, are cleaned instead (safeFilename).

import MailComposer from 'nodemailer/lib/mail-composer';
import { AppError } from '../../errors.ts';
import { assertHeaderSafe, isValidAddress } from '../../core/addresses.ts';
import { normaliseMessageId } from '../../core/message-id.ts';
import type { Address } from '../../core/types.ts';
import type { OutgoingEmail } from './mail-sender.ts';

export interface ComposedEmail {
  raw: Buffer;
  /** SMTP envelope: MAIL FROM and every RCPT TO (To, Cc and Bcc; Bcc is not in `raw`). */
  envelope: { from: string; to: string[] };
}

export async function composeEmail(email: OutgoingEmail): Promise<ComposedEmail> {
  checkAddress(email.from, 'From');
  for (const [field, list] of [['To', email.to], ['Cc', email.cc], ['Bcc', email.bcc]] as const) {
    for (const address of list) checkAddress(address, field);
  }
  const recipients = uniqueAddresses([...email.to, ...email.cc, ...email.bcc]);
  if (recipients.length === 0) throw new AppError('email.no_recipients', 'The email has no recipients', 'This email has no recipients.');
  assertHeaderSafe(email.subject, 'subject');
  const messageId = checkId(email.messageId, 'Message-ID');
  const inReplyTo = email.inReplyTo ? checkId(email.inReplyTo, 'In-Reply-To') : undefined;
  const references = (email.references ?? []).map((id) => checkId(id, 'References'));

  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    subject: email.subject,
    messageId: `<${messageId}>`,
    inReplyTo: inReplyTo ? `<${inReplyTo}>` : undefined,
    references: references.length > 0 ? references.map((id) => `<${id}>`) : undefined,
    date: email.date ?? new Date(),
    text: email.text,
    html: email.html,
    attachments: email.attachments.map((a) => ({
      filename: safeFilename(a.filename),
      contentType: safeContentType(a.contentType),
      content: a.content,
      // nodemailer shows message/rfc822 parts inline unless told; everything we send is an attachment.
      contentDisposition: 'attachment' as const,
    })),
    // Content only ever comes from the buffers above, never from a path or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
    // CRLF throughout, as on the wire: SMTP would turn bare LFs into CRLF anyway, and then the
    // Sent copy would differ from what the recipient got.
    newline: '\r\n',
  });
  const raw = await composer.compile().build();
  return { raw, envelope: { from: email.from.address, to: recipients } };
}

function checkAddress(address: Address, field: string): void {
  assertHeaderSafe(address.name, `${field} name`);
  assertHeaderSafe(address.address, `${field} address`);
  if (!isValidAddress(address.address)) {
    throw new AppError('email.invalid_address', `Invalid ${field} address`, `"${address.address}" is not a valid email address.`);
  }
}

function checkId(id: string, field: string): string {
  assertHeaderSafe(id, field);
  const bare = normaliseMessageId(id);
  if (!bare) throw new AppError('email.invalid_message_id', `Invalid ${field} value`);
  return bare;
}

function uniqueAddresses(list: Address[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { address } of list) {
    const key = address.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(address);
    }
  }
  return out;
}

const MAX_FILENAME = 180;

/**
 * A file name safe to put in a MIME header and to save as-is: no directories (`../../etc/passwd`
 * → `passwd`), no control or invisible reordering characters, no leading dots, bounded length
 * with the extension kept.
 */
export function safeFilename(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let clean = base
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\s\x00-\x1f\x7f\u0085\u2028\u2029]+/g, ' ')
    .replace(/^[\s.]+/, '')
    .trim();
  const chars = Array.from(clean);
  if (chars.length > MAX_FILENAME) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = chars.slice(0, MAX_FILENAME - Array.from(ext).length).join('') + ext;
  }
  return clean || 'attachment';
}

/** A `type/subtype` media type (parameters dropped), or application/octet-stream. */
export function safeContentType(value: string): string {
  const type = value.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type) ? type : 'application/octet-stream';
}
