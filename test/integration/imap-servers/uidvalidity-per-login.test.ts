// A server that gives a mailbox a new UIDVALIDITY at every login while it is empty (seen on
// Courier), and one that renumbers at every login even with mail in it: sessions come and go,
// and every email is posted exactly once, with no rescan of an empty mailbox.
import { afterEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { waitFor } from '../../support/wait.ts';
import { notExactlyOnce, quiet, taggedEmail, tally, waitAllPosted } from '../inbound-faults/tally.ts';
import { startServerRig, type ServerRig } from './rig.ts';

let rig: ServerRig | undefined;
let app: MailroomApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await rig?.close();
  rig = undefined;
});

/** Ends the app's session and waits until it is back (a new login, so a new UIDVALIDITY). */
async function newSession(r: ServerRig): Promise<void> {
  const before = r.imap.logins().length;
  r.imap.endSessions();
  await waitFor(() => r.imap.logins().length > before && r.imap.openSessions() > 0 && r.logs.filter((l) => l.msg === 'IMAP connected').length > before, {
    timeoutMs: 10_000,
    description: 'the app logged in again',
  });
}

async function settled(r: ServerRig, a: MailroomApp): Promise<void> {
  await waitFor(() => a.store.messages.unposted().length === 0, { timeoutMs: 10_000 });
  await a.drained();
  await quiet(r.slack, 400);
}

describe('a new UIDVALIDITY at every login', () => {
  it('while the mailbox is empty: taken without a rescan, and the mail that comes later posted once', async () => {
    rig = await startServerRig({ newUidValidity: 'while-empty', uidNextInSelect: false });
    ({ app } = await rig.start());
    const seen = new Set([rig.imap.mailbox('INBOX')!.uidValidity]);
    for (let i = 0; i < 3; i++) {
      await newSession(rig);
      seen.add(rig.imap.mailbox('INBOX')!.uidValidity);
    }
    expect(seen.size).toBe(4);
    expect(app.store.imapSync.get(1, 'INBOX')).toMatchObject({ uidValidity: String(rig.imap.mailbox('INBOX')!.uidValidity), lastUid: 0, rescanPending: false });
    expect(rig.logs.filter((l) => l.msg === 'UIDVALIDITY changed; rescanning')).toEqual([]);
    expect(rig.logs.filter((l) => l.msg === 'UIDVALIDITY changed on an empty mailbox; nothing to rescan')).toHaveLength(3);

    rig.deliver(taggedEmail('u0'));
    await waitAllPosted(rig.slack, ['u0'], 10_000);
    // With mail in it the UIDVALIDITY stays: later sessions post nothing again, and new mail once.
    await newSession(rig);
    rig.deliver(taggedEmail('u1'));
    await waitAllPosted(rig.slack, ['u1'], 10_000);
    await newSession(rig);
    await settled(rig, app);
    expect(notExactlyOnce(rig.slack, ['u0', 'u1'])).toEqual([]);

    const doctor = await rig.doctor();
    expect(doctor.imap.detail).toContain('the server gave the empty mailbox a new UIDVALIDITY 3 times: harmless, Mailroom takes it without a rescan');
  });

  it('even with mail in the mailbox: each rescan skips what was posted (by Message-ID, or by hash without one)', async () => {
    rig = await startServerRig({ newUidValidity: 'always' });
    // In the mailbox an hour before the first start: never posted, however often it is rescanned.
    rig.imap.append('INBOX', taggedEmail('pre'), { date: new Date(Date.now() - 3600_000) });
    ({ app } = await rig.start());
    rig.deliver(taggedEmail('a0'));
    rig.deliver(taggedEmail('a1', { messageId: null }));
    await waitAllPosted(rig.slack, ['a0', 'a1'], 10_000);
    for (let i = 0; i < 3; i++) await newSession(rig);
    rig.deliver(taggedEmail('a2'));
    await waitAllPosted(rig.slack, ['a2'], 10_000);
    await waitFor(() => app!.store.imapSync.get(1, 'INBOX')?.rescanPending === false, { timeoutMs: 10_000 });
    await settled(rig, app);
    expect(notExactlyOnce(rig.slack, ['a0', 'a1', 'a2'])).toEqual([]);
    expect(tally(rig.slack, ['pre']).get('pre')).toEqual({ parents: 0, messages: 0 });
    expect(rig.logs.filter((l) => l.msg === 'UIDVALIDITY changed; rescanning').length).toBeGreaterThanOrEqual(3);
  });
});
