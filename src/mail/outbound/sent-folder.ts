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

/** The usual names of a Sent mailbox, in order of preference, when none is flagged `\Sent`. */
const SENT_NAMES = ['Sent', 'Sent Items', 'Sent Messages', 'Sent Mail', '[Gmail]/Sent Mail', 'INBOX.Sent', 'INBOX/Sent', 'INBOX.Sent Items'];

type MailboxInfo = Pick<ListResponse, 'path' | 'flags' | 'specialUse' | 'specialUseSource'>;

/** Where copies of replies go: a mailbox that is there (how it was found), or the one to create. */
export type SentFolderPlan = { kind: 'existing'; path: string; by: 'flag' | 'name' } | { kind: 'create'; path: string; specialUse: boolean };

/**
 * The Sent mailbox from a LIST: the one the server flags `\Sent` (RFC 6154); else one of the usual
 * names, as it is or under the personal namespace (`INBOX.Sent Items`), case-insensitively; else
 * one imapflow recognised by a localized name. Null when there is none.
 */
export function findSentMailbox(list: readonly MailboxInfo[], prefix = ''): { path: string; by: 'flag' | 'name' } | null {
  const selectable = list.filter((m) => !hasFlag(m, '\\Noselect') && !hasFlag(m, '\\NonExistent'));
  const flagged = selectable.find((m) => hasFlag(m, '\\Sent') || (m.specialUse === '\\Sent' && m.specialUseSource === 'extension'));
  if (flagged) return { path: flagged.path, by: 'flag' };
  for (const name of SENT_NAMES.flatMap((n) => (prefix && !n.toLowerCase().startsWith(prefix.toLowerCase()) ? [n, prefix + n] : [n]))) {
    const found = selectable.find((m) => m.path.toLowerCase() === name.toLowerCase());
    if (found) return { path: found.path, by: 'name' };
  }
  const byLocalName = selectable.find((m) => m.specialUse === '\\Sent');
  return byLocalName ? { path: byLocalName.path, by: 'name' } : null;
}

/** The Sent mailbox's path, or null (kept for callers that only need the path). */
export function chooseSentMailbox(list: readonly MailboxInfo[], prefix = ''): string | null {
  return findSentMailbox(list, prefix)?.path ?? null;
}

/**
 * What Mailroom will do for the first copy: use the Sent mailbox there is, or create `Sent` in the
 * personal namespace (`INBOX.Sent` on servers that keep everything under INBOX), flagged `\Sent`
 * where the server takes CREATE-SPECIAL-USE. Doctor says exactly this.
 */
export function planSentFolder(o: { list: readonly MailboxInfo[]; prefix: string; capabilities: { has(name: string): boolean } }): SentFolderPlan {
  const found = findSentMailbox(o.list, o.prefix);
  if (found) return { kind: 'existing', ...found };
  return { kind: 'create', path: `${o.prefix}Sent`, specialUse: o.capabilities.has('CREATE-SPECIAL-USE') };
}

function hasFlag(mailbox: MailboxInfo, flag: string): boolean {
  for (const f of mailbox.flags) if (f.toLowerCase() === flag.toLowerCase()) return true;
  return false;
}

/** The personal namespace's prefix ("INBOX." on Courier-like servers, "" on most). */
export const personalPrefix = (client: ImapFlow) => client.namespace?.prefix ?? '';

type Exec = (command: string, attributes: unknown[]) => Promise<{ next(): void }>;
const responseCode = (err: unknown) => {
  const section = (err as { response?: { attributes?: { section?: { value?: unknown }[] }[] } } | null)?.response?.attributes?.[0]?.section;
  const code = section?.[0]?.value;
  return typeof code === 'string' ? code.toUpperCase() : '';
};

/**
 * Creates the planned Sent mailbox and subscribes to it. With CREATE-SPECIAL-USE the CREATE
 * carries `(USE (\Sent))` (imapflow's mailboxCreate takes no parameters, so the command goes out
 * through its command queue); a server that refuses the use (NO [USEATTR]) gets a plain CREATE.
 */
export async function createSentFolder(client: ImapFlow, plan: Extract<SentFolderPlan, { kind: 'create' }>, log: Logger): Promise<{ specialUse: boolean }> {
  if (plan.specialUse) {
    const exec = (client as unknown as { exec: Exec }).exec.bind(client);
    try {
      const response = await exec('CREATE', [{ type: 'ATOM', value: plan.path }, [{ type: 'ATOM', value: 'USE' }, [{ type: 'ATOM', value: '\\Sent' }]]]);
      response.next();
      await client.mailboxSubscribe(plan.path).catch(() => undefined);
      return { specialUse: true };
    } catch (err) {
      const code = responseCode(err);
      if (code === 'ALREADYEXISTS') return { specialUse: false };
      if (code !== 'USEATTR') throw err;
      log.warn({ mailbox: plan.path }, 'the server refused to mark the new Sent folder \\Sent; creating it without the flag');
    }
  }
  await client.mailboxCreate(plan.path);
  return { specialUse: false };
}

interface SentSession {
  imap: SentFolderImapOptions;
  logger: Logger;
  timeoutMs?: number;
}

/** Connects, runs `fn` with the Sent mailbox's path (null when there is none), logs out; bounded in time. */
function withSentMailbox<T>({ imap, timeoutMs = 30_000 }: SentSession, fn: (client: ImapFlow, plan: SentFolderPlan) => Promise<T>): Promise<T> {
  return withImap(imap, timeoutMs, async (client) => fn(client, planSentFolder({ list: await client.list(), prefix: personalPrefix(client), capabilities: client.capabilities })));
}

const oneLine = (err: unknown) => describeError(err).replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 500);

/** Connects, finds (or creates) the Sent mailbox, APPENDs `raw` as \Seen, and logs out. */
export async function appendToSent({ imap, raw, date, logger, timeoutMs = 30_000 }: AppendToSentInput): Promise<AppendToSentResult> {
  const log = logger.child({ host: imap.host });
  try {
    const result = await withSentMailbox({ imap, logger, timeoutMs }, async (client, plan) => {
      const mailbox = plan.path;
      const created = plan.kind === 'create';
      if (plan.kind === 'create') {
        const { specialUse } = await createSentFolder(client, plan, log);
        log.info({ mailbox, specialUse }, 'created the Sent folder');
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
  return withSentMailbox({ imap, logger, timeoutMs }, async (client, plan) => {
    if (plan.kind === 'create') return false;
    await client.mailboxOpen(plan.path, { readOnly: true });
    const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
    return Array.isArray(uids) && uids.length > 0;
  });
}
