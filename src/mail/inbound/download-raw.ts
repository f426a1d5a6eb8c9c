// One email's raw bytes out of the open mailbox, by UID, in 1 MB pieces (not as one literal that
// imapflow would gather and copy): held in memory when small, written into an unlinked temporary
// file when big (mail/raw.ts). The watcher reads new mail this way; so does reading an email again.
import type { ImapFlow } from 'imapflow';
import { readRawEmail, type OpenRawEmail } from '../raw.ts';

const PIECE_BYTES = 1024 * 1024;

/** The email, to be closed when done with; null when the mailbox has no such UID. */
export async function downloadRaw(client: ImapFlow, uid: number): Promise<OpenRawEmail | null> {
  const { content } = await client.download(String(uid), undefined, { uid: true, chunkSize: PIECE_BYTES });
  if (!content) return null;
  return readRawEmail(content as AsyncIterable<Buffer>);
}
