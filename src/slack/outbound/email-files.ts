// An email's files in its Slack thread, one upload each: its attachments (small inline images
// left out, big ones streamed out of the raw email read again from the mailbox) and, when it had
// to be cut, the full message as a text file. Files shared before an interrupted attempt are not
// shared again.
import type { WebClient } from '@slack/web-api';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { escapeMrkdwn } from '../../core/slack-text.ts';
import type { Conversation, StoredMessage } from '../../core/types.ts';
import type { RawEmail, WithRaw } from '../../mail/raw.ts';
import type { InboundEmail } from '../../mail/types.ts';
import type { Lane } from './post-queue.ts';
import { uploadToThread } from './upload.ts';
import { laneCall, noUnfurl } from './web.ts';

/** Inline parts smaller than this (logos, spacers, signature icons) are not uploaded. */
const INLINE_UPLOAD_MIN = 20 * 1024;
/** Attachments Slack would refuse, or that make no sense to upload, are listed but not uploaded. */
const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
/** Reading a big email again from its mailbox, to stream an attachment out of it. */
const READ_AGAIN_TIMEOUT_MS = 5 * 60_000;

interface FileUpload {
  filename: string;
  title: string;
  size: number;
  /** In memory; null for an attachment too big to keep, streamed out of the raw email. */
  bytes: Buffer | null;
  /** Its place among the email's attachments. */
  index: number;
}

export interface EmailFilesDeps {
  web: WebClient;
  logger: Logger;
  withRaw?: WithRaw;
  /** The `index`th attachment streamed out of a raw email (parse/mime.ts). */
  openAttachment?: (raw: RawEmail, index: number) => Promise<Readable | null>;
}

/** The email's files in the thread of `parentTs`; `fullText`: attach the whole message; `done`: file names already shared. */
export async function uploadEmailFiles(deps: EmailFilesDeps, lane: Lane, c: Conversation, parentTs: string, row: StoredMessage, email: InboundEmail | null, fullText: boolean, done: string[]): Promise<void> {
  const uploads: FileUpload[] = [];
  // A bounce's parts are the report's machinery (delivery status, the returned message): not files anyone sent.
  const attachments = row.kind === 'bounce' ? [] : (email?.attachments ?? []);
  attachments.forEach((a, index) => {
    if (a.size === 0 || a.size > MAX_UPLOAD_BYTES) return;
    if (a.inline && a.size < INLINE_UPLOAD_MIN) return;
    const name = a.filename || 'attachment';
    uploads.push({ filename: name, title: name, size: a.size, bytes: a.content, index });
  });
  if (fullText && email) {
    const bytes = Buffer.from(fullMessageText(email), 'utf8');
    uploads.push({ filename: 'full-message.txt', title: 'Full message', size: bytes.length, bytes, index: -1 });
  }
  // One upload per file: a failure is retried alone and Slack's per-call limits are not an issue.
  const already = [...done];
  for (const u of uploads) {
    // Shared before an interrupted attempt: not again.
    const i = already.indexOf(u.filename);
    if (i >= 0) {
      already.splice(i, 1);
      continue;
    }
    const sent = await laneCall(lane, () => uploadOne(deps, c, parentTs, row, u), false);
    if (!sent) {
      deps.logger.warn({ conversation: c.id, message: row.id, size: u.size }, 'an attachment could not be read again from the mailbox');
      await laneCall(lane, () =>
        deps.web.chat.postMessage({
          channel: c.channelId,
          thread_ts: parentTs,
          text: `:warning: The attachment ${escapeMrkdwn(u.filename)} could not be read again from the mailbox, so it is not attached here.`,
          ...noUnfurl,
        }),
      );
    }
  }
}

/** False when a big attachment's email can no longer be read from the mailbox. */
async function uploadOne(deps: EmailFilesDeps, c: Conversation, parentTs: string, row: StoredMessage, u: FileUpload): Promise<boolean> {
  const send = (body: Buffer | Readable) => uploadToThread(deps.web, { channel: c.channelId, threadTs: parentTs, filename: u.filename, title: u.title, size: u.size, body });
  if (u.bytes) {
    await send(u.bytes);
    return true;
  }
  const { withRaw, openAttachment } = deps;
  if (!withRaw || !openAttachment) return false;
  const sent = await withRaw(
    row,
    async (raw) => {
      const stream = await openAttachment(raw, u.index);
      if (!stream) return false;
      await send(stream);
      return true;
    },
    { timeoutMs: READ_AGAIN_TIMEOUT_MS },
  );
  return sent === true;
}

/** The whole message as a text file: the headers people care about, then the full text. */
export function fullMessageText(email: InboundEmail): string {
  const addr = (a: { name: string; address: string }) => (a.name ? `${a.name} <${a.address}>` : a.address);
  const lines = [
    `From: ${email.from ? addr(email.from) : '(unknown)'}`,
    `To: ${email.to.map(addr).join(', ')}`,
    ...(email.cc.length ? [`Cc: ${email.cc.map(addr).join(', ')}`] : []),
    `Subject: ${email.subject}`,
    `Date: ${email.date?.toISOString() ?? '(unknown)'}`,
    '',
    email.text,
  ];
  return lines.join('\n');
}
