// Files shared in a Slack reply become email attachments: downloaded with the bot token from
// url_private_download, checked (size, and that Slack sent the file, not a sign-in page).
import type { Logger } from 'pino';
import type { SharedFile } from '../../core/types.ts';
import { AppError } from '../../errors.ts';

/** Total attachment size an email may carry (most providers refuse more than ~25 MB). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export function fileRefs(files: unknown): SharedFile[] {
  if (!Array.isArray(files)) return [];
  return files.flatMap((f: Record<string, unknown>) =>
    typeof f.id === 'string' && typeof f.url_private_download === 'string'
      ? [
          {
            id: f.id,
            name: typeof f.name === 'string' ? f.name : 'attachment',
            mimetype: typeof f.mimetype === 'string' ? f.mimetype : 'application/octet-stream',
            size: typeof f.size === 'number' ? f.size : 0,
            url: f.url_private_download,
          },
        ]
      : [],
  );
}

export async function downloadFile(ref: SharedFile, token: string, logger: Logger): Promise<Buffer> {
  const res = await fetch(ref.url, { headers: { authorization: `Bearer ${token}` }, redirect: 'follow' });
  if (!res.ok) throw new AppError('slack.file_download', `file ${ref.id}: HTTP ${res.status}`, `Slack did not give me the file ${ref.name} (HTTP ${res.status}).`);
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // Without a valid token Slack answers 200 with its HTML sign-in page instead of the file.
  if (type === 'text/html' && !ref.mimetype.startsWith('text/html')) {
    throw new AppError('slack.file_download', `file ${ref.id}: got an HTML page instead of ${ref.mimetype}`, `Slack sent a web page instead of the file ${ref.name}: check the files:read scope.`);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    throw new AppError('email.attachment_too_large', `file ${ref.id} is ${bytes.length} bytes`, `${ref.name} is too large to send by email (over 25 MB).`);
  logger.debug({ file: ref.id, bytes: bytes.length }, 'file downloaded');
  return bytes;
}
