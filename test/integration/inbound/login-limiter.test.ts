// Many inboxes in one process log in through one limiter: against a real Dovecot, six watchers
// sharing a limiter of two at a time, 200 ms apart, connect one after another, not all at once,
// and every one of them gets to IDLE; stopping while some still wait for their turn is prompt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createImapWatcher, type ImapWatcher, type SyncState } from '../../../src/mail/inbound/imap-watcher.ts';
import { createLoginLimiter } from '../../../src/mail/inbound/login-limiter.ts';
import { startDovecot, type TestDovecot } from '../../support/dovecot.ts';
import { waitFor } from '../../support/wait.ts';

const USERS = Array.from({ length: 6 }, (_, i) => ({ user: `inbox${i}@example.com`, password: `pw-${i}` }));

interface Line {
  time: number;
  msg: string;
  inbox: string;
}

function watchersOn(dovecot: TestDovecot, spacingMs: number) {
  const lines: Line[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  const limiter = createLoginLimiter({ concurrency: 2, spacingMs });
  const watchers: ImapWatcher[] = USERS.map((u) => {
    let state: SyncState | undefined;
    return createImapWatcher({
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: u.user, password: u.password, mailbox: 'INBOX' },
      state: { get: () => state, reset: (s) => (state = s) },
      deliver: async () => {},
      skip: async () => {},
      backfillDays: 0,
      logger: logger.child({ inbox: u.user }),
      loginLimiter: limiter,
    });
  });
  const first = (msg: string) => USERS.map((u) => lines.find((l) => l.msg === msg && l.inbox === u.user)?.time);
  return { watchers, limiter, first };
}

describe('IMAP logins of many inboxes', () => {
  let dovecot: TestDovecot;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: USERS });
    // Logging in once creates each Maildir.
    for (const u of USERS) await (await dovecot.connect(u.user)).logout();
  });
  afterAll(async () => {
    await dovecot?.destroy();
  });

  it('go through the limiter one spacing apart, and every inbox reaches IDLE', async () => {
    const { watchers, limiter, first } = watchersOn(dovecot, 200);
    const started = Date.now();
    for (const w of watchers) w.start();
    try {
      const idle = await waitFor(() => (first('IMAP idle').every(Boolean) ? (first('IMAP idle') as number[]) : undefined), { timeoutMs: 10_000, description: 'every inbox in IDLE' });
      const connected = (first('IMAP connected') as number[]).sort((a, b) => a - b);
      // Six logins 200 ms apart: the last connects a second or more after the first; without the
      // limiter all six connect within a few tens of milliseconds.
      expect(connected.at(-1)! - connected[0]!).toBeGreaterThanOrEqual(900);
      expect(Math.max(...idle) - started).toBeLessThan(10_000);
      expect(watchers.every((w) => w.connected)).toBe(true);
      expect(limiter.held).toBe(0);
      expect(limiter.waiting).toBe(0);
    } finally {
      await Promise.all(watchers.map((w) => w.stop()));
    }
  });

  it('stop while inboxes still wait for their turn returns at once and opens nothing more', async () => {
    const { watchers, limiter, first } = watchersOn(dovecot, 2000);
    for (const w of watchers) w.start();
    await waitFor(() => first('IMAP connected')[0] ?? first('IMAP connected')[1], { timeoutMs: 5000, description: 'the first inbox connected' });
    expect(limiter.waiting).toBeGreaterThan(0);
    const t0 = Date.now();
    await Promise.all(watchers.map((w) => w.stop()));
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(first('IMAP connected').filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(limiter.waiting).toBe(0);
  });
});
