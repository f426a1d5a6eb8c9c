// The raw bytes of one received email, fetched again from its mailbox. Mailroom keeps no copy once
// an email is in Slack; forwarding it or showing it whole reads it back by the IMAP location
// recorded at ingestion (a short, read-only connection). When the mailbox's UIDVALIDITY changed
// since, the UID means nothing any more and the email is looked up by its Message-ID instead.
import type { ImapFlow } from 'imapflow';
import { withImap } from '../imap-client.ts';
import type { Logger } from 'pino';
import type { ImapLocation } from '../../core/types.ts';
import { describeError } from '../../errors.ts';
import type { ImapSettings } from './imap-watcher.ts';
import { rawFromBytes, type OpenRawEmail, type RawEmail, type WithRaw } from '../raw.ts';
import { downloadRaw } from './download-raw.ts';

export interface FetchOriginalInput {
  imap: Omit<ImapSettings, 'mailbox'>;
  location: ImapLocation;
  /** Bare Message-ID, for the lookup after a UIDVALIDITY change (not `hash:` keys). */
  messageId?: string | null;
  logger: Logger;
  /** The whole download, connection included (default 15 s: a person is waiting). */
  timeoutMs?: number;
}

/**
 * `use` run on the email (downloaded into a temporary file when big, which is closed after), or
 * null when the mailbox no longer has it or can't be reached (logged). The IMAP connection is
 * closed before `use` runs: uploading to Slack does not hold it open.
 */
export async function withOriginal<T>(input: FetchOriginalInput, use: (raw: RawEmail) => Promise<T>): Promise<T | null> {
  const { imap, location } = input;
  const timeoutMs = input.timeoutMs ?? 15_000;
  const log = input.logger.child({ mailbox: location.mailbox, uid: location.uid });
  let raw: OpenRawEmail | null;
  try {
    raw = await withImap(imap, timeoutMs, (client) => read(client, input));
  } catch (err) {
    log.warn({ err: describeError(err).slice(0, 300) }, 'could not fetch the original email');
    return null;
  }
  if (!raw) return null;
  try {
    return await use(raw);
  } finally {
    await raw.close();
  }
}

async function read(client: ImapFlow, { location, messageId }: FetchOriginalInput): Promise<OpenRawEmail | null> {
  const mailbox = await client.mailboxOpen(location.mailbox, { readOnly: true });
  let uid: number | null = String(mailbox.uidValidity) === location.uidValidity ? location.uid : null;
  if (uid === null && messageId && !messageId.startsWith('hash:')) {
    const found = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
    uid = Array.isArray(found) && found.length > 0 ? found[found.length - 1]! : null;
  }
  if (uid === null) return null;
  return downloadRaw(client, uid);
}

export interface RawSources {
  /** The email's bytes kept in the store (small emails, until they are in Slack). */
  spooled(messageRowId: number): Buffer | undefined;
  /** Where the email was read (inbox and IMAP location). */
  located(messageRowId: number): { inboxId: number; location: ImapLocation } | null | undefined;
  /** The inbox's mailbox account, as its other connections sign in. */
  imapOf(inboxId: number): Omit<ImapSettings, 'mailbox'> | undefined;
  logger: Logger;
}

/**
 * The one way to read a received email again (posting after a restart, forwarding, showing it
 * whole): the store's copy when there is one, else the mailbox, by its recorded location.
 */
export function createWithRaw(o: RawSources): WithRaw {
  const logger = o.logger.child({ part: 'imap-fetch' });
  return async (m, use, opts = {}) => {
    const spooled = o.spooled(m.id);
    if (spooled) return use(rawFromBytes(spooled));
    const where = o.located(m.id);
    const imap = where && o.imapOf(where.inboxId);
    if (!where || !imap) return null;
    return withOriginal({ imap, location: where.location, messageId: m.messageId, logger, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }, use);
  };
}
