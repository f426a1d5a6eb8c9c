// Backups of a running Mailroom, against real Dovecot and the fake Slack: `mailroom backup FILE`
// taken in the middle of a burst of mail holds every conversation stored before it began, and
// restoring it (the README's steps) gives a Mailroom that carries on; the app's own daily backups
// rotate.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { backupName } from '../../../src/core/backups.ts';
import { CHANNEL, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { runMailroom } from '../../helpers/run-cli.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

type Row = { id: number; subject: string; messages: number };
/** Conversations of a database file, each with how many emails it holds, read by a connection of the test's own. */
function conversationsIn(file: string): Row[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('select c.id, c.subject, (select count(*) from messages m where m.conversation_id = c.id) as messages from conversations c order by c.id')
      .all() as Row[];
  } finally {
    db.close();
  }
}

const subjectOf = (n: number) => `Burst ${String(n).padStart(3, '0')}`;
const messageIdOf = (n: number) => `<burst-${n}@customer.example>`;

describe('mailroom backup FILE while Mailroom runs', () => {
  const BEFORE = 10;
  const BURST = 150;
  const TOTAL = BEFORE + BURST;
  let app: MailroomApp;
  let dbPath: string;
  let backupPath: string;
  let atStart: Row[];
  let atEnd: number;

  beforeAll(async () => {
    dbPath = rig.env.DATABASE_PATH!;
    backupPath = join(rig.dir, 'backup.db');
    ({ app } = await rig.start());
    for (let n = 1; n <= BEFORE; n++) await rig.deliver(email({ subject: subjectOf(n), messageId: messageIdOf(n), from: `Customer ${n} <c${n}@customer.example>` }));
    await waitFor(() => conversationsIn(dbPath).length === BEFORE, { timeoutMs: 15_000 });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('holds every conversation stored before it began, taken during a burst of mail', async () => {
    // The burst: one email every few milliseconds, for a few seconds.
    const burst = (async () => {
      for (let n = BEFORE + 1; n <= TOTAL; n++) {
        await rig.deliver(email({ subject: subjectOf(n), messageId: messageIdOf(n), from: `Customer ${n} <c${n}@customer.example>` }));
        await sleep(10);
      }
    })();
    await waitFor(() => conversationsIn(dbPath).length >= BEFORE + 20, { timeoutMs: 15_000 });
    atStart = conversationsIn(dbPath);
    const run = await runMailroom(['backup', backupPath], { cwd: rig.dir, env: { DATABASE_PATH: dbPath } });
    atEnd = conversationsIn(dbPath).length;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Backed up .+ to .+backup\.db: \d+ conversations, [\d.]+ MB, in \d+ ms\.\n$/);
    await burst;
    await waitFor(() => conversationsIn(dbPath).length === TOTAL, { timeoutMs: 30_000 });

    // The backup really was taken while mail was coming in: before it, during it and after it.
    expect(atStart.length).toBeGreaterThan(BEFORE);
    expect(atEnd).toBeLessThan(TOTAL);

    const backedUp = conversationsIn(backupPath);
    const byId = new Map(backedUp.map((r) => [r.id, r]));
    for (const c of atStart) expect(byId.get(c.id), `conversation ${c.id} (${c.subject})`).toEqual(c);
    expect(backedUp.length).toBeLessThanOrEqual(atEnd);
    // One self-contained file: checked, no -wal beside it, nothing half-written left over.
    const db = new Database(backupPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      // The IMAP high-water mark is the one of the last email in the copy (one transaction).
      const sync = db.prepare('select last_uid as lastUid from imap_sync').get() as { lastUid: number };
      expect(sync.lastUid).toBe(backedUp.length);
    } finally {
      db.close();
    }
    expect(readdirSync(rig.dir).filter((f) => f.includes('partial'))).toEqual([]);
    expect(statSync(backupPath).mode & 0o777).toBe(0o600); // like the database: tokens and mail
  });

  it('restores: Mailroom started on the backup keeps its conversations, fetches what came after it again, and threads new replies', async () => {
    const inBackup = conversationsIn(backupPath);
    await app.stop();
    // The README's steps: stop, move the database and its -wal and -shm aside, copy the backup in, start.
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, `${dbPath}.broken${suffix}`);
    copyFileSync(backupPath, dbPath);
    const parentsBefore = rig.slack.messagesIn(CHANNEL).length;
    ({ app } = await rig.start());

    // Nothing is lost: what arrived after the backup is read again from the mailbox.
    await waitFor(() => conversationsIn(dbPath).length === TOTAL, { timeoutMs: 30_000, description: 'every conversation back' });
    const restored = conversationsIn(dbPath);
    expect(restored.slice(0, inBackup.length)).toEqual(inBackup);
    expect(new Set(restored.map((r) => r.subject)).size).toBe(TOTAL);
    await app.drained();
    // …and posted again: the database no longer knew they were in Slack (README: restoring).
    expect(rig.slack.messagesIn(CHANNEL).length - parentsBefore).toBe(TOTAL - inBackup.length);

    // A customer answering a conversation from before the backup lands in its thread.
    const first = inBackup[0]!;
    await rig.deliver(email({ subject: `Re: ${first.subject}`, inReplyTo: messageIdOf(1), references: messageIdOf(1), from: 'Customer 1 <c1@customer.example>', body: 'Any news?' }));
    await waitFor(() => conversationsIn(dbPath).find((r) => r.id === first.id)?.messages === first.messages + 1, { timeoutMs: 15_000 });
    expect(conversationsIn(dbPath).length).toBe(TOTAL);
  });

  it('refuses to write over the database itself, and says when there is no database', async () => {
    const self = await runMailroom(['backup', dbPath], { cwd: rig.dir, env: { DATABASE_PATH: dbPath } });
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/is the database itself/);
    const none = await runMailroom(['backup', join(rig.dir, 'x.db')], { cwd: rig.dir, env: { DATABASE_PATH: join(rig.dir, 'nothing-here.db') } });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/there is no database at .*nothing-here\.db/);
    expect(existsSync(join(rig.dir, 'x.db'))).toBe(false);
  });
});

describe('daily backups (MAILROOM_BACKUP_DIR, MAILROOM_BACKUP_KEEP)', () => {
  it("takes today's backup soon after start, keeps the newest KEEP, and takes no second one the same day", async () => {
    const dir = join(rig.dir, 'daily');
    const db = join(rig.dir, 'daily.db');
    const extra = { DATABASE_PATH: db, MAILROOM_BACKUP_DIR: dir, MAILROOM_BACKUP_KEEP: '3' };
    // Older backups, and a file of someone else's that rotation must leave alone.
    mkdirSync(dir, { recursive: true });
    for (const day of ['2000-01-01', '2000-01-02', '2000-01-03', '2000-01-04']) writeFileSync(join(dir, `mailroom-${day}.db`), 'old');
    writeFileSync(join(dir, 'notes.txt'), 'mine');

    let { app } = await rig.start(extra, { backupFirstDelayMs: 0 });
    const today = join(dir, backupName(new Date()));
    try {
      await waitFor(() => existsSync(today), { timeoutMs: 10_000 });
      await waitFor(() => readdirSync(dir).length === 4, { timeoutMs: 5000 });
      expect(readdirSync(dir).sort()).toEqual(['mailroom-2000-01-03.db', 'mailroom-2000-01-04.db', backupName(new Date()), 'notes.txt'].sort());
      const copy = new Database(today, { readonly: true });
      expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
      expect(copy.prepare('select count(*) as n from inboxes').get()).toEqual({ n: 1 });
      copy.close();
      const written = statSync(today).mtimeMs;
      await app.stop();
      ({ app } = await rig.start(extra, { backupFirstDelayMs: 0 }));
      await sleep(1000);
      expect(statSync(today).mtimeMs).toBe(written);
      expect(readdirSync(dir)).toHaveLength(4);
    } finally {
      await app.stop();
    }
  });
});
