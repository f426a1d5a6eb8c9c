// Reading a mailbox's numbers from whatever the server gives, every one checked (mailbox-numbers.ts):
// UIDVALIDITY and UIDNEXT from SELECT/EXAMINE, else from STATUS; the highest UID from UID SEARCH
// ALL, else FETCH *. The watcher and doctor read them the same way.
import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { countOf, uidOf, uidValidityOf, type HighestUid, type OpenedMailbox } from './mailbox-numbers.ts';

export class MailboxNumbersError extends Error {
  readonly code = 'imap.no_uidvalidity';
}

const shown = (v: unknown) => (v === undefined ? 'nothing' : `"${String(v).slice(0, 40)}"`);

async function statusOf(c: ImapFlow, path: string, log: Logger | null): Promise<{ uidNext: number | null; uidValidity: string | null }> {
  try {
    const s = await c.status(path, { uidNext: true, uidValidity: true });
    return s ? { uidNext: uidOf(s.uidNext), uidValidity: uidValidityOf(s.uidValidity) } : { uidNext: null, uidValidity: null };
  } catch (err) {
    log?.warn({ mailbox: path, err: (err as Error).message }, 'IMAP STATUS failed');
    return { uidNext: null, uidValidity: null };
  }
}

/** The selected mailbox's numbers. Throws MailboxNumbersError when no UIDVALIDITY can be had. */
export async function readOpenedMailbox(c: ImapFlow, log: Logger | null): Promise<OpenedMailbox & { uidNextFrom: 'select' | 'status' | null }> {
  const box = c.mailbox;
  if (!box) throw new Error('no mailbox selected');
  let uidValidity = uidValidityOf(box.uidValidity);
  let uidNext = uidOf(box.uidNext);
  let uidNextFrom: 'select' | 'status' | null = uidNext === null ? null : 'select';
  const exists = countOf(box.exists);
  if (exists === null) log?.warn({ mailbox: box.path, exists: shown(box.exists) }, 'IMAP server gave no usable message count (EXISTS)');
  if (uidValidity === null || uidNext === null) {
    if (uidValidity === null) log?.warn({ mailbox: box.path, uidValidity: shown(box.uidValidity) }, 'IMAP server gave no usable UIDVALIDITY when opening the mailbox; asking STATUS');
    if (uidNext === null && box.uidNext !== undefined) log?.warn({ mailbox: box.path, uidNext: shown(box.uidNext) }, 'IMAP server gave an unusable UIDNEXT; asking STATUS');
    const s = await statusOf(c, box.path, log);
    uidValidity ??= s.uidValidity;
    if (uidNext === null && s.uidNext !== null) {
      uidNext = s.uidNext;
      uidNextFrom = 'status';
    }
  }
  if (uidValidity === null) throw new MailboxNumbersError(`the server gives no usable UIDVALIDITY for ${box.path} (neither when opening it nor in STATUS), so Mailroom can't tell which emails it has seen`);
  return { uidValidity, exists, uidNext, uidNextFrom };
}

/**
 * The highest UID in the selected mailbox, when no UIDNEXT was given: UID SEARCH ALL, else FETCH *.
 * `uid: null` when neither tells (the caller then goes by dates, which posts nothing old).
 */
export async function readHighestUid(c: ImapFlow, log: Logger | null): Promise<HighestUid> {
  try {
    const found = await c.search({ all: true }, { uid: true });
    if (Array.isArray(found)) {
      const uids = found.map(uidOf).filter((u): u is number => u !== null);
      // An empty answer proves nothing when the mailbox said it has mail: FETCH * is asked then.
      if (uids.length && uids.length === found.length) return { uid: Math.max(...uids), source: 'search' };
      if (uids.length !== found.length) log?.warn({ bad: found.length - uids.length }, 'IMAP UID SEARCH ALL answered numbers that are not UIDs; trying FETCH *');
    }
  } catch (err) {
    log?.warn({ err: (err as Error).message }, 'IMAP UID SEARCH ALL failed; trying FETCH *');
  }
  try {
    let top: number | null = null;
    for await (const m of c.fetch('*', { uid: true })) {
      const uid = uidOf(m.uid);
      if (uid !== null) top = Math.max(top ?? 0, uid);
    }
    if (top !== null) return { uid: top, source: 'fetch' };
  } catch (err) {
    log?.warn({ err: (err as Error).message }, 'IMAP FETCH * failed');
  }
  return { uid: null, source: 'dates' };
}
