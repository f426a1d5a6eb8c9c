// One long-lived IMAP connection per inbox. It catches up on whatever arrived since the last
// recorded UID, then IDLEs (re-IDLE before the 29-minute limit) and fetches each new message as
// the server announces it. Without IDLE it polls. Any drop ends the session; a new client
// reconnects with backoff and catches up again. The mailbox is opened read-only (EXAMINE), so
// `\Seen` flags are never touched; only the configured mailbox is read (never Junk/Spam). With
// OAuth2, a session the server ends (Exchange does when the token expires) gets a fresh token,
// and while the sign-in is refused the watcher waits for new credentials, losing nothing.
import type { ImapFlow } from 'imapflow';
import { SignInError } from '../auth/oauth-client.ts';
import { connectImap, type ImapAccount } from '../imap-client.ts';
import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';
import type { ImapLocation } from '../../core/types.ts';
import type { RawEmail } from '../raw.ts';
import { downloadRaw } from './download-raw.ts';

export interface ImapSettings extends ImapAccount {
  mailbox: string;
}

export interface SyncState {
  uidValidity: string;
  lastUid: number;
  /** Mail with an earlier INTERNALDATE predates Mailroom (first start minus any backfill). */
  startedAt: number;
  /** A date-filtered pass (backfill, rescan) is unfinished: it starts again with the filter. */
  rescanPending: boolean;
}

export interface SyncStateAccess {
  get(): SyncState | undefined;
  reset(state: SyncState): void;
}

export interface FetchedMessage {
  /** Valid until deliver() or skip() returns: a big email's file is closed then. */
  raw: RawEmail;
  location: ImapLocation;
  internalDate: Date | null;
  /** Announced while watching, as opposed to found when catching up. */
  live: boolean;
}

export interface ImapWatcherOptions {
  imap: ImapSettings;
  state: SyncStateAccess;
  /** Stores one message (and advances the recorded UID). Throwing ends the session; it is retried. */
  deliver(message: FetchedMessage): Promise<void>;
  /**
   * A message whose delivery failed `maxDeliveryAttempts` times in a row: record it, move past it
   * and say so, rather than hold up every later email of the inbox behind it.
   */
  skip(message: FetchedMessage, error: unknown): Promise<void>;
  /** Errors that say nothing about the message (a locked database): never counted towards a skip. */
  isTransient?: (err: unknown) => boolean;
  maxDeliveryAttempts?: number;
  /** Mail received this many days before the first start is posted too. */
  backfillDays: number;
  logger: Logger;
  pollIntervalMs?: number;
  idleRestartMs?: number;
  backoffMs?: (attempt: number) => number;
  /** While the OAuth2 sign-in is refused, look for new credentials this often (default 1 min). */
  signInRetryMs?: number;
  /** A new session is being made after one ended (counted for /metrics). */
  onReconnect?: () => void;
  now?: () => number;
}

const DAY = 24 * 60 * 60 * 1000;
const JUNK = /^(junk|spam|bulk mail|junk e-?mail|\[gmail\]\/spam)$/i;

export function defaultBackoff(attempt: number): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
  return base / 2 + Math.random() * (base / 2);
}


export function createImapWatcher(o: ImapWatcherOptions) {
  const log = o.logger;
  const now = o.now ?? Date.now;
  const pollMs = o.pollIntervalMs ?? 10_000;
  const idleRestartMs = o.idleRestartMs ?? 25 * 60_000;
  const backoff = o.backoffMs ?? defaultBackoff;
  let stopped = false;
  let client: ImapFlow | null = null;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  let connected = false;
  /** When the last catch-up (everything above the mark fetched and delivered) finished; this session's or an earlier one's. */
  let syncedAt: number | null = null;
  let caughtUp = false;
  /** Consecutive delivery failures by UID (kept across sessions). */
  const failures = new Map<number, number>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  /**
   * The sync state for this session's mailbox. A date-filtered pass (a backfill's first pass, or
   * the rescan after a UIDVALIDITY change) is recorded as pending until it is complete: the
   * recorded UID stays put meanwhile (ingest doesn't advance it), so a pass cut short by a dropped
   * connection or a crash starts again, with the date filter, instead of taking everything above
   * a half-way mark for new mail.
   */
  function syncState(uidValidity: string, uidNext: number): SyncState {
    let state = o.state.get();
    if (!state) {
      // First start: only mail from now on, unless a backfill is configured.
      const backfill = o.backfillDays > 0;
      state = backfill
        ? { uidValidity, lastUid: 0, startedAt: now() - o.backfillDays * DAY, rescanPending: true }
        : { uidValidity, lastUid: Math.max(0, uidNext - 1), startedAt: now(), rescanPending: false };
      o.state.reset(state);
      log.info({ uidValidity, lastUid: state.lastUid, backfillDays: o.backfillDays }, 'first start on this mailbox');
    } else if (state.uidValidity !== uidValidity) {
      // The server renumbered the mailbox: look at everything since we started, and let
      // Message-ID de-duplication skip what was already posted.
      log.warn({ was: state.uidValidity, now: uidValidity }, 'UIDVALIDITY changed; rescanning');
      state = { uidValidity, lastUid: 0, startedAt: state.startedAt, rescanPending: true };
      o.state.reset(state);
    } else if (state.rescanPending) {
      log.info({ uidValidity }, 'resuming an unfinished rescan');
    }
    return state;
  }

  /** Fetch and deliver every message above the recorded UID. */
  async function catchUp(c: ImapFlow, live: boolean): Promise<void> {
    const mailbox = c.mailbox;
    if (!mailbox) throw new Error('no mailbox selected');
    const uidValidity = String(mailbox.uidValidity);
    const state = syncState(uidValidity, Number(mailbox.uidNext));
    const done = (lastUid: number) => {
      if (!state.rescanPending) return;
      o.state.reset({ uidValidity, lastUid, startedAt: state.startedAt, rescanPending: false });
      log.info({ uidValidity, lastUid }, 'rescan complete');
    };
    if (mailbox.exists === 0) return done(Math.max(state.lastUid, Number(mailbox.uidNext) - 1, 0));
    const from = state.lastUid + 1;
    const uids: { uid: number; internalDate: Date | null }[] = [];
    // INTERNALDATE has whole seconds: allow one second so mail of the first second is kept.
    const since = state.startedAt - 1000;
    // Dates only matter when the UID mark can't tell: a rescan, or a backfill's first pass.
    let top = state.lastUid;
    for await (const m of c.fetch(`${from}:*`, { uid: true, internalDate: state.rescanPending }, { uid: true })) {
      if (m.uid < from) continue;
      top = Math.max(top, m.uid);
      const internalDate = m.internalDate ? new Date(m.internalDate) : null;
      if (state.rescanPending && internalDate && internalDate.getTime() < since) continue;
      uids.push({ uid: m.uid, internalDate });
    }
    uids.sort((a, b) => a.uid - b.uid);
    for (const { uid, internalDate } of uids) {
      if (stopped) return;
      const raw = await downloadRaw(c, uid);
      if (!raw) continue;
      const fetched: FetchedMessage = { raw, location: { mailbox: o.imap.mailbox, uidValidity, uid }, internalDate, live };
      try {
        await o.deliver(fetched);
        failures.delete(uid);
      } catch (err) {
        if (o.isTransient?.(err)) throw err;
        const n = (failures.get(uid) ?? 0) + 1;
        failures.set(uid, n);
        if (n < (o.maxDeliveryAttempts ?? 5)) throw err;
        failures.delete(uid);
        log.error({ uid, attempts: n, err: describeError(err) }, 'skipping an email that could not be stored');
        await o.skip(fetched, err);
      } finally {
        await raw.close();
      }
    }
    done(top);
  }

  async function session(): Promise<void> {
    // Re-IDLE before servers drop an IDLE of 29 minutes or more (RFC 2177).
    const { client: c, token } = await connectImap(o.imap, { maxIdleTimeMs: idleRestartMs }, (made) => (client = made));
    client = c;
    let newMail = false;
    c.on('exists', (e: { count: number; prevCount: number }) => {
      log.debug({ count: e.count, prevCount: e.prevCount }, 'IMAP new mail announced');
      newMail = true;
      wake?.();
    });
    c.on('close', () => wake?.());
    c.on('error', (err: Error) => log.warn({ err: describeError(err) }, 'IMAP connection error'));
    try {
      if (JUNK.test(o.imap.mailbox)) throw new Error(`refusing to read ${o.imap.mailbox}: Junk/Spam is never read`);
      await c.mailboxOpen(o.imap.mailbox, { readOnly: true });
      connected = true;
      const canIdle = c.capabilities.has('IDLE');
      log.info({ mailbox: o.imap.mailbox, idle: canIdle }, 'IMAP connected');
      attempt = 0;
      let live = false;
      while (!stopped && c.usable) {
        newMail = false;
        await catchUp(c, live);
        syncedAt = now();
        caughtUp = true;
        live = true;
        if (newMail || stopped || !c.usable) continue;
        if (canIdle) {
          // IDLE runs until a command breaks it (the next fetch does) or idleRestartMs passes.
          log.debug('IMAP idle');
          const idling = c.idle().catch(() => undefined);
          await Promise.race([idling, new Promise<void>((r) => (wake = r)), ...(newMail ? [Promise.resolve()] : [])]);
        } else {
          await sleep(pollMs);
          if (!stopped && c.usable) await c.noop();
        }
      }
    } finally {
      // The server ended the session (BYE): with OAuth2 that is how an expired token is told.
      const bye = (c as unknown as { byeReason?: string }).byeReason;
      if (bye && token && !stopped) {
        log.info({ reason: bye.slice(0, 200) }, 'IMAP session ended by the server');
        o.imap.tokens?.refused(token);
      }
      connected = false;
      caughtUp = false;
      client = null;
      wake = null;
      c.removeAllListeners();
      c.on('error', () => {});
      c.close();
    }
  }

  let attempt = 0;
  let lastError: string | null = null;
  async function run(): Promise<void> {
    while (!stopped) {
      try {
        await session();
      } catch (err) {
        if (stopped) break;
        lastError = describeError(err);
        if (err instanceof SignInError && err.permanent) {
          // Said once in the channel by the token source; look for new credentials every minute.
          log.warn({ err: lastError }, 'IMAP waiting for a new OAuth2 sign-in');
          await sleep(o.signInRetryMs ?? 60_000);
          continue;
        }
        log.warn({ err: lastError, attempt }, 'IMAP session ended');
      }
      if (stopped) break;
      const delay = backoff(attempt++);
      o.onReconnect?.();
      log.info({ delayMs: Math.round(delay) }, 'IMAP reconnecting');
      await sleep(delay);
    }
  }

  return {
    start(): void {
      if (!loop) loop = run();
    },
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      const c = client;
      if (c) {
        try {
          await Promise.race([c.logout(), new Promise((r) => setTimeout(r, 2000))]);
        } catch {
          c.close();
        }
      }
      await loop;
    },
    get connected(): boolean {
      return connected;
    },
    /** Connected, and everything that was waiting in the mailbox has been delivered. */
    get caughtUp(): boolean {
      return caughtUp;
    },
    get syncedAt(): number | null {
      return syncedAt;
    },
    /** Why the last session ended or could not start (no secrets: error text only). */
    get lastError(): string | null {
      return lastError;
    },
  };
}
export type ImapWatcher = ReturnType<typeof createImapWatcher>;
