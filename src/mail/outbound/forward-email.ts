// The email that forwards one of a conversation's emails to someone else: the teammate's note,
// the usual "Forwarded message" header block, and the original attached whole as message/rfc822
// (its own headers, text and attachments intact). When the original could not be fetched from the
// mailbox, its text is put inline instead and the email says so. Pure.
import { formatAddress } from '../../core/addresses.ts';
import { forwardSubject } from '../../core/subject.ts';
import type { Address } from '../../core/types.ts';
import type { OutgoingEmail } from './mail-sender.ts';

export interface ForwardedOriginal {
  from: Address | null;
  to: readonly Address[];
  cc: readonly Address[];
  subject: string;
  date: Date | null;
}

export interface BuildForwardInput {
  from: Address;
  to: Address[];
  /** What the teammate wrote above the forwarded email (plain text, may be empty). */
  note: string;
  original: ForwardedOriginal;
  /** The original's raw bytes, attached as message/rfc822; null when they could not be had. */
  raw: Buffer | null;
  /** The original's text, shown inline when `raw` is null. */
  fallbackText: string | null;
  messageId: string;
  date: Date;
}

export const NOT_FETCHED =
  'The original email could not be fetched from the mailbox, so its text is included below (without its attachments).';
const NO_TEXT = '(The text of the original email is no longer available.)';

function headerLines(o: ForwardedOriginal): string[] {
  return [
    '---------- Forwarded message ----------',
    `From: ${o.from ? formatAddress(o.from) : '(unknown)'}`,
    ...(o.date ? [`Date: ${o.date.toUTCString()}`] : []),
    `Subject: ${o.subject}`,
    ...(o.to.length ? [`To: ${o.to.map(formatAddress).join(', ')}`] : []),
    ...(o.cc.length ? [`Cc: ${o.cc.map(formatAddress).join(', ')}`] : []),
  ];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const htmlLines = (s: string) => escapeHtml(s).replace(/\r?\n/g, '<br>\n');

/** A file name for the attached original, from its subject. */
export function originalFilename(subject: string): string {
  const base = subject.replace(/[\\/:*?"<>|\x00-\x1f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return `${base || 'forwarded message'}.eml`;
}

export function buildForwardEmail(input: BuildForwardInput): OutgoingEmail {
  const note = input.note.replace(/\r\n?/g, '\n').trim();
  const head = headerLines(input.original);
  const tail = input.raw ? ['', 'The original email is attached.'] : ['', NOT_FETCHED, '', input.fallbackText?.trim() || NO_TEXT];
  const text = [...(note ? [note, ''] : []), ...head, ...tail].join('\n') + '\n';
  const html = [
    '<!DOCTYPE html><html><body>',
    ...(note ? [`<p>${htmlLines(note)}</p>`] : []),
    `<p style="color:#555">${head.map(escapeHtml).join('<br>\n')}</p>`,
    input.raw
      ? '<p>The original email is attached.</p>'
      : `<p><em>${escapeHtml(NOT_FETCHED)}</em></p>\n<div>${htmlLines(input.fallbackText?.trim() || NO_TEXT)}</div>`,
    '</body></html>',
  ].join('\n');
  return {
    from: input.from,
    to: input.to,
    cc: [],
    bcc: [],
    subject: forwardSubject(input.original.subject),
    text,
    html,
    messageId: input.messageId,
    attachments: input.raw ? [{ filename: originalFilename(input.original.subject), contentType: 'message/rfc822', content: input.raw }] : [],
    date: input.date,
  };
}
