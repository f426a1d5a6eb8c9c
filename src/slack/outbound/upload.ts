// Uploading a file into a thread with Slack's current API: files.getUploadURLExternal, the bytes
// POSTed to the URL it returns, files.completeUploadExternal. (@slack/web-api's filesUploadV2
// does the same but copies the bytes twice into a Blob first: for a 25 MB attachment that is
// 50 MB more at peak.) A big attachment is streamed, never in memory whole.
import type { Readable } from 'node:stream';
import type { WebClient } from '@slack/web-api';
import { AppError } from '../../errors.ts';

export interface ThreadUpload {
  channel: string;
  threadTs: string;
  filename: string;
  title: string;
  size: number;
  /** The bytes, or a stream of exactly `size` bytes (an attachment streamed out of a big email). */
  body: Buffer | Readable;
}

export async function uploadToThread(web: WebClient, u: ThreadUpload): Promise<string> {
  const target = await web.files.getUploadURLExternal({ filename: u.filename, length: u.size });
  if (!target.upload_url || !target.file_id) throw new AppError('slack.upload_failed', 'files.getUploadURLExternal gave no upload_url');
  const res = await fetch(target.upload_url, {
    method: 'POST',
    // A stream is sent as it is read, not gathered first, with its length said up front (a
    // Buffer's length fetch says itself).
    headers: { 'content-type': 'application/octet-stream', ...(Buffer.isBuffer(u.body) ? {} : { 'content-length': String(u.size) }) },
    body: u.body,
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw new AppError('slack.upload_failed', `upload of ${u.size} bytes answered HTTP ${res.status}`);
  await res.arrayBuffer().catch(() => undefined);
  await web.files.completeUploadExternal({ files: [{ id: target.file_id, title: u.title }], channel_id: u.channel, thread_ts: u.threadTs });
  return target.file_id;
}
