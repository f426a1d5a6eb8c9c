// A copy of each sent reply goes to the mailbox's Sent folder, so the team's mail client shows
// the whole conversation. SMTP servers don't do this (Gmail and Microsoft 365 are exceptions, and
// are configured off). The copy is a nicety: failures are reported as values, never thrown.

import type { ImapFlow, ListResponse } from 'imapflow';
import { withImap, type ImapAccount } from '../imap-client.ts';
import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';

/** The mailbox account (kept as a name: callers and tests use it). */
export type SentFolderImapOptions = ImapAccount;

export interface AppendToSentInput {
  imap: SentFolderImapOptions;
  /** The exact bytes that were sent. */
  raw: Buffer;
  /** Internal date of the copy (the send time); now when omitted. */
  date?: Date;
  logger: Logger;
  /** Give up after this long (default 30 s): a slow IMAP server must not hold up the outbox. */
  timeoutMs?: number;
}

export type AppendToSentResult = { ok: true; mailbox: string; created: boolean; uid?: number } | { ok: false; error: string };

/** Names that mean "Sent" when the server advertises no special-use flags (RFC 6154). */
const SENT_NAMES = ['sent', 'sent items', 'sent messages', 'sent mail', '[gmail]/sent mail', 'inbox.sent', 'inbox/sent', 'inbox.sent items'];

type MailboxInfo = Pick<ListResponse, 'path' | 'flags' | 'specialUse' | 'specialUseSource'>;

/**
 * The Sent mailbox from a LIST: the one the server flags `\Sent`; else one imapflow recognised by
 * a localized name; else a common name. Null when there is none (the caller creates one).
 */
export function chooseSentMailbox(list: readonly MailboxInfo[]): string | null {
  const selectable = list.filter((m) => !hasFlag(m, '\\Noselect') && !hasFlag(m, '\\NonExistent'));
  const flagged = selectable.find((m) => hasFlag(m, '\\Sent') || (m.specialUse === '\\Sent' && m.specialUseSource === 'extension'));
  if (flagged) return flagged.path;
  const byLocalName = selectable.find((m) => m.specialUse === '\\Sent');
  if (byLocalName) return byLocalName.path;
  for (const name of SENT_NAMES) {
    const found = selectable.find((m) => m.path.toLowerCase() === name);
    if (found) return found.path;
  }
  return null;
}

function hasFlag(mailbox: MailboxInfo, flag: string): boolean {
  for (const f of mailbox.flags) if (f.toLowerCase() === flag.toLowerCase()) return true;
  return false;
}

interface SentSession {
  imap: SentFolderImapOptions;
  logger: Logger;
  timeoutMs?: number;
}

/** Connects, runs `fn` with the Sent mailbox's path (null when there is none), logs out; bounded in time. */
function withSentMailbox<T>({ imap, timeoutMs = 30_000 }: SentSession, fn: (client: ImapFlow, mailbox: string | null) => Promise<T>): Promise<T> {
  return withImap(imap, timeoutMs, async (client) => fn(client, chooseSentMailbox(await client.list())));
}

const oneLine = (err: unknown) => describeError(err).replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 500);

/** Connects, finds (or creates) the Sent mailbox, APPENDs `raw` as \Seen, and logs out. */
export async function appendToSent({ imap, raw, date, logger, timeoutMs = 30_000 }: AppendToSentInput): Promise<AppendToSentResult> {
  const log = logger.child({ host: imap.host });
  try {
    const result = await withSentMailbox({ imap, logger, timeoutMs }, async (client, found) => {
      let mailbox = found;
      let created = false;
      if (!mailbox) {
        // In the personal namespace: on servers like Courier everything lives under "INBOX.".
        mailbox = `${client.namespace?.prefix ?? ''}Sent`;
        await client.mailboxCreate(mailbox);
        created = true;
      }
      const appended = await client.append(mailbox, raw, ['\\Seen'], date ?? new Date());
      if (!appended) throw new Error(`APPEND to ${mailbox} was refused`);
      return { mailbox, created, uid: appended.uid };
    });
    log.info({ mailbox: result.mailbox, created: result.created, uid: result.uid }, 'copy appended to Sent folder');
    return { ok: true, ...result };
  } catch (err) {
    // The caller logs a failure once, with what it was filing.
    return { ok: false, error: oneLine(err) };
  }
}

/**
 * Is an email with this Message-ID in the Sent folder? After a crash mid-send, this tells an
 * email the server accepted (filed by us or by the provider itself) from one it never got.
 * Throws when the folder can't be searched: the caller decides what that means.
 */
export async function findInSent({ imap, messageId, logger, timeoutMs = 30_000 }: SentSession & { messageId: string }): Promise<boolean> {
  return withSentMailbox({ imap, logger, timeoutMs }, async (client, mailbox) => {
    if (!mailbox) return false;
    await client.mailboxOpen(mailbox, { readOnly: true });
    const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
    return Array.isArray(uids) && uids.length > 0;
  });
}
