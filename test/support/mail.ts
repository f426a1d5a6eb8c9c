/** Builds real RFC 5322 messages for tests (APPEND to Dovecot, feed to the parser) with nodemailer. */
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';

/** Composes a raw message from nodemailer mail options (from, to, subject, text, html, attachments, messageId, inReplyTo, references, headers, date). */
export async function composeEmail(mail: SendMailOptions): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail(mail);
  return info.message as Buffer;
}
