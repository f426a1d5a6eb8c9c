// One long-lived IMAP connection per inbox. It catches up on whatever arrived since the last
// recorded UID, then IDLEs (re-IDLE before the 29-minute limit) and fetches each new message as
// the server announces it. Some servers advertise IDLE but only look for new mail every minute or
// so: while idling, a NOOP every `idleCheckMs` makes them look. Without IDLE it polls. Any drop
// ends the session; a new client reconnects with a backoff that grows until a session stays
// healthy (reconnect.ts), and catches up again. The mailbox is opened read-only (EXAMINE), so
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
import type { LoginLimiter } from './login-limiter.ts';
import { assertStorable, emptyMark, needsHighestUid, reconcileSync, uidOf, type OpenedMailbox, type SyncState } from './mailbox-numbers.ts';
import { readHighestUid, readOpenedMailbox } from './mailbox-reads.ts';
import { FAILING_NOTE_AFTER_MS, HEALTHY, HEALTHY_AFTER_MS, reconnectDelayMs, sessionEnded, sessionHealthy, shouldNoteFailing, type ImapHealth } from './reconnect.ts';

export type { SyncState } from './mailbox-numbers.ts';

export interface ImapSettings extends ImapAccount {
  mailbox: string;
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

/**
 * What this server turned out to do: new mail while idling announced by it or found by the NOOP
 * check, and a new UIDVALIDITY on an empty mailbox or on one with mail.
 */
export type ImapObservation = 'idle-pushed' | 'idle-found-by-check' | 'renumbered-empty' | 'renumbered';

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
  /** While idling, a NOOP this often makes a lazy server look for new mail (0: never). Default 30 s. */
  idleCheckMs?: number;
  /** The wait before reconnecting after `step` failures in a row (default: reconnect.ts). */
  backoffMs?: (step: number) => number;
  /** A session up this long resets the backoff (default 1 min). */
  healthyAfterMs?: number;
  /** Failing this long calls onFailing (default 10 min). */
  failingNoteAfterMs?: number;
  /** The inbox has been failing for `failingNoteAfterMs` (said once), or works again after that. */
  onHealth?: (event: 'failing' | 'recovered', health: ImapHealth) => void;
  /** After every session end and once healthy again (kept for doctor). */
  onStatus?: (health: ImapHealth) => void;
  /** What the server turned out to do (kept for doctor). */
  onObservation?: (o: ImapObservation) => void;
  /** While the OAuth2 sign-in is refused, look for new credentials this often (default 1 min). */
  signInRetryMs?: number;
  /** Shared by every inbox: a login waits for a slot, held until the mailbox is open. */
  loginLimiter?: LoginLimiter;
  /** A new session is being made after one ended (counted for /metrics). */
  onReconnect?: () => void;
  now?: () => number;
}

/** The text of the server's BYE, if it sent one (imapflow keeps it). */
const byeOf = (c: ImapFlow | null) => {
  const bye = (c as unknown as { byeReason?: unknown } | null)?.byeReason;
  return typeof bye === 'string' && bye ? bye.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200) : null;
};

/** A session the server ends this close to its token's expiry (or later) ended with the token. */
const TOKEN_END_SLACK_MS = 5000;

const JUNK = /^(junk|spam|bulk mail|junk e-?mail|\[gmail\]\/spam)$/i;

export function createImapWatcher(o: ImapWatcherOptions) {
  const log = o.logger;
  const now = o.now ?? Date.now;
  const pollMs = o.pollIntervalMs ?? 10_000;
  const idleRestartMs = o.idleRestartMs ?? 25 * 60_000;
  const idleCheckMs = o.idleCheckMs ?? 30_000;
  const backoff = o.backoffMs ?? ((step: number) => reconnectDelayMs(step));
  let stopped = false;
  let client: ImapFlow | null = null;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  let connected = false;
  /** Aborted by stop(): a login still waiting for the limiter gives up. */
  const stopping = new AbortController();
  /** When the last catch-up (everything above the mark fetched and delivered) finished; this session's or an earlier one's. */
  let syncedAt: number | null = null;
  let caughtUp = false;
  let health: ImapHealth = HEALTHY;
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

  const store = (state: SyncState) => o.state.reset(assertStorable(state));

  /**
   * The sync state for this session's mailbox (mailbox-numbers.ts decides). A date-filtered pass
   * (a backfill's first pass, or the rescan after a UIDVALIDITY change) is recorded as pending
   * until it is complete: the recorded UID stays put meanwhile (ingest doesn't advance it), so a
   * pass cut short by a dropped connection or a crash starts again, with the date filter, instead
   * of taking everything above a half-way mark for new mail.
   */
  async function openSync(c: ImapFlow, opened: OpenedMailbox & { uidNextFrom: 'select' | 'status' | null }): Promise<void> {
    const previous = o.state.get();
    const highest = needsHighestUid(previous, opened, o.backfillDays) ? await readHighestUid(c, log) : null;
    const { state, event, source } = reconcileSync(previous, opened, { now: now(), backfillDays: o.backfillDays, highest });
    const { uidValidity } = opened;
    if (event === 'first-start' || event === 'backfill') {
      store(state);
      const markFrom = source === 'uidnext' && opened.uidNextFrom === 'status' ? 'status' : source;
      log.info({ uidValidity, lastUid: state.lastUid, backfillDays: o.backfillDays, markFrom }, 'first start on this mailbox');
    } else if (event === 'renumbered') {
      // The server renumbered the mailbox: look at everything since we started, and let
      // Message-ID de-duplication skip what was already posted.
      store(state);
      log.warn({ was: previous?.uidValidity, now: uidValidity }, 'UIDVALIDITY changed; rescanning');
      o.onObservation?.('renumbered');
    } else if (event === 'renumbered-empty') {
      store(state);
      log.info({ was: previous?.uidValidity, now: uidValidity }, 'UIDVALIDITY changed on an empty mailbox; nothing to rescan');
      o.onObservation?.('renumbered-empty');
    } else if (event === 'resumed') {
      log.info({ uidValidity }, 'resuming an unfinished rescan');
    }
  }

  /** Fetch and deliver every message above the recorded UID. */
  async function catchUp(c: ImapFlow, opened: OpenedMailbox, live: boolean): Promise<void> {
    const { uidValidity } = opened;
    const state = o.state.get();
    if (!state || state.uidValidity !== uidValidity) throw new Error('the sync state changed under this session');
    const done = (lastUid: number) => {
      if (!state.rescanPending) return;
      store({ uidValidity, lastUid, startedAt: state.startedAt, rescanPending: false });
      log.info({ uidValidity, lastUid }, 'rescan complete');
    };
    if (c.mailbox && c.mailbox.exists === 0) return done(Math.max(state.lastUid, emptyMark(opened)));
    const from = state.lastUid + 1;
    const uids: { uid: number; internalDate: Date | null }[] = [];
    // INTERNALDATE has whole seconds: allow one second so mail of the first second is kept.
    const since = state.startedAt - 1000;
    // Dates only matter when the UID mark can't tell: a rescan, or a backfill's first pass.
    let top = state.lastUid;
    for await (const m of c.fetch(`${from}:*`, { uid: true, internalDate: state.rescanPending }, { uid: true })) {
      const uid = uidOf(m.uid);
      if (uid === null) {
        log.warn({ seq: m.seq, uid: String(m.uid).slice(0, 40) }, 'IMAP server answered a FETCH without a usable UID; ignored');
        continue;
      }
      if (uid < from) continue;
      top = Math.max(top, uid);
      const internalDate = m.internalDate ? new Date(m.internalDate) : null;
      if (state.rescanPending && internalDate && internalDate.getTime() < since) continue;
      uids.push({ uid, internalDate });
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

  /** The server's reason when it ended the session (BYE): says more than the error it causes. */
  let ended: string | null = null;
  /** The server ended the session when its OAuth2 token expired. */
  let endedWithToken = false;

  async function session(): Promise<void> {
    ended = null;
    endedWithToken = false;
    const releaseLogin = o.loginLimiter ? await o.loginLimiter.acquire(stopping.signal) : () => {};
    // Re-IDLE before servers drop an IDLE of 29 minutes or more (RFC 2177).
    let made: ImapFlow | null = null;
    let connectedImap: Awaited<ReturnType<typeof connectImap>>;
    try {
      connectedImap = await connectImap(o.imap, { maxIdleTimeMs: idleRestartMs }, (m) => (client = made = m));
    } catch (err) {
      releaseLogin();
      // Some servers end the session right after the login (a locked account): say what they said.
      const bye = byeOf(made);
      if (bye) ended = `the server ended the session: ${bye}`;
      client = null;
      throw err;
    }
    const { client: c, token } = connectedImap;
    client = c;
    const tokenExpiresAt = token ? (o.imap.tokens?.expiresAt?.(token) ?? null) : null;
    // Servers end such a session at expiry or a little before (clocks differ): a tenth of the
    // token's remaining life, at most TOKEN_END_SLACK_MS.
    const tokenSlack = tokenExpiresAt === null ? 0 : Math.min(TOKEN_END_SLACK_MS, Math.max(0, tokenExpiresAt - now()) / 10);
    let newMail = false;
    /** What the session is doing when EXISTS comes: idling (the server pushed) or checking (NOOP). */
    let phase: 'idle' | 'check' | null = null;
    let observed = false;
    c.on('exists', (e: { count: number; prevCount: number }) => {
      log.debug({ count: e.count, prevCount: e.prevCount }, 'IMAP new mail announced');
      if (phase && !observed && e.count > e.prevCount) {
        observed = true;
        o.onObservation?.(phase === 'idle' ? 'idle-pushed' : 'idle-found-by-check');
        if (phase === 'check') log.info('IMAP new mail found by the idle check: the server did not announce it by itself');
      }
      newMail = true;
      wake?.();
    });
    c.on('close', () => wake?.());
    c.on('error', (err: Error) => log.warn({ err: describeError(err) }, 'IMAP connection error'));
    let healthyTimer: NodeJS.Timeout | undefined;
    try {
      if (JUNK.test(o.imap.mailbox)) throw new Error(`refusing to read ${o.imap.mailbox}: Junk/Spam is never read`);
      await c.mailboxOpen(o.imap.mailbox, { readOnly: true });
      const opened = await readOpenedMailbox(c, log);
      await openSync(c, opened);
      releaseLogin();
      connected = true;
      const canIdle = c.capabilities.has('IDLE');
      log.info({ mailbox: o.imap.mailbox, idle: canIdle, uidNextFrom: opened.uidNextFrom }, 'IMAP connected');
      healthyTimer = setTimeout(() => becameHealthy(), o.healthyAfterMs ?? HEALTHY_AFTER_MS);
      let live = false;
      let due = true;
      while (!stopped && c.usable) {
        if (due) {
          newMail = false;
          await catchUp(c, opened, live);
          syncedAt = now();
          caughtUp = true;
          live = true;
        }
        due = true;
        if (newMail || stopped || !c.usable) continue;
        if (canIdle) {
          // IDLE runs until a command breaks it (the next fetch, or the check's NOOP) or idleRestartMs passes.
          log.debug('IMAP idle');
          observed = false;
          phase = 'idle';
          const idling = c.idle().catch(() => undefined);
          let timer: NodeJS.Timeout | undefined;
          const checkDue = idleCheckMs > 0 ? new Promise<'check'>((r) => (timer = setTimeout(() => r('check'), idleCheckMs))) : null;
          const woke = new Promise<'woke'>((r) => (wake = () => r('woke')));
          const why = await Promise.race([idling.then(() => 'ended' as const), woke, ...(checkDue ? [checkDue] : []), ...(newMail ? [Promise.resolve('woke' as const)] : [])]);
          clearTimeout(timer);
          if (why === 'check' && !newMail && !stopped && c.usable) {
            phase = 'check';
            await c.noop();
            // Nothing new: straight back to IDLE, without a FETCH.
            if (!newMail) due = false;
          }
          phase = null;
        } else {
          await sleep(pollMs);
          if (!stopped && c.usable) await c.noop();
        }
      }
    } finally {
      releaseLogin();
      clearTimeout(healthyTimer);
      // The server ended the session (BYE): with OAuth2 that is how an expired token is told.
      const bye = byeOf(c);
      if (bye && !stopped) {
        ended = `the server ended the session: ${bye}`;
        log.info({ reason: bye }, 'IMAP session ended by the server');
        if (token) o.imap.tokens?.refused(token);
        // Exchange ends a session when its token expires: the session did its work for the whole
        // of the token's life, so this is no failure.
        if (tokenExpiresAt !== null && now() >= tokenExpiresAt - tokenSlack) endedWithToken = true;
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

  function becameHealthy(): void {
    const was = health;
    const { health: next, recovered } = sessionHealthy(health);
    health = next;
    if (was.failures > 0) log.info({ failures: was.failures, failingSince: was.failingSince }, 'IMAP working again');
    if (was.failures > 0) o.onStatus?.(health);
    if (recovered) o.onHealth?.('recovered', was);
  }

  let lastError: string | null = null;
  async function run(): Promise<void> {
    while (!stopped) {
      let error: unknown = null;
      try {
        await session();
      } catch (err) {
        error = err;
      }
      if (stopped) break;
      const reason = ended ?? (error ? describeError(error) : 'the connection closed');
      lastError = reason;
      if (endedWithToken) {
        becameHealthy();
        const delay = backoff(0);
        log.info({ delayMs: Math.round(delay) }, 'IMAP session ended as its OAuth2 token expired; reconnecting');
        await sleep(delay);
        continue;
      }
      // A permanent sign-in failure is said in the channel by the token source; look for new
      // credentials every minute, without backing off.
      const signIn = error instanceof SignInError && error.permanent;
      const { health: next, delayStep } = sessionEnded(health, { at: now(), error: reason, backoff: !signIn });
      health = next;
      o.onStatus?.(health);
      const failing = { failures: health.failures, failingSince: health.failingSince ? new Date(health.failingSince).toISOString() : null };
      if (!signIn && shouldNoteFailing(health, now(), o.failingNoteAfterMs ?? FAILING_NOTE_AFTER_MS)) {
        health = { ...health, noted: true };
        log.error({ err: reason, ...failing }, 'IMAP keeps failing: said in the channel');
        o.onHealth?.('failing', health);
      }
      if (delayStep === null) {
        log.warn({ err: reason, ...failing }, 'IMAP waiting for a new OAuth2 sign-in');
        await sleep(o.signInRetryMs ?? 60_000);
        continue;
      }
      const delay = backoff(delayStep);
      o.onReconnect?.();
      log.warn({ err: reason, ...failing, delayMs: Math.round(delay) }, 'IMAP session ended');
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
      stopping.abort(new Error('stopped'));
      wake?.();
      const c = client;
      if (c) {
        try {
          // unref: a logout that answered at once must not keep a stopping process alive 2 s more.
          await Promise.race([c.logout(), new Promise((r) => setTimeout(r, 2000).unref())]);
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
    /** Sessions failed in a row and since when (null: healthy), for /healthz. */
    get health(): { connected: boolean; failures: number; failingSince: number | null; lastError: string | null } {
      return { connected, failures: health.failures, failingSince: health.failingSince, lastError: health.lastError };
    },
  };
}
export type ImapWatcher = ReturnType<typeof createImapWatcher>;
