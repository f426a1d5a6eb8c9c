// A server that leaves UIDNEXT out of its EXAMINE answer (RFC 3501 allows it; Courier-IMAP does),
// on a mailbox with mail in it and on an empty one: on first start only new mail is posted, each
// email once, across restarts; and doctor says where Mailroom takes the high-water mark from.
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

async function settled(r: ServerRig, a: MailroomApp): Promise<void> {
  await waitFor(() => a.store.messages.unposted().length === 0, { timeoutMs: 10_000 });
  await a.drained();
  await quiet(r.slack, 400);
}

const nothing = { parents: 0, messages: 0 };

describe('a server without UIDNEXT in EXAMINE', () => {
  it('bug: stopped all inbound mail (NOT NULL constraint failed: imap_sync.last_uid); now takes the mark from STATUS and posts new mail once', async () => {
    rig = await startServerRig({ uidNextInSelect: false });
    rig.deliver(taggedEmail('old0'));
    rig.deliver(taggedEmail('old1'));
    ({ app } = await rig.start());
    const sync = app.store.imapSync.get(1, 'INBOX');
    expect(sync).toMatchObject({ lastUid: 2, rescanPending: false });
    expect(rig.logs.find((l) => l.msg === 'first start on this mailbox')).toMatchObject({ lastUid: 2, markFrom: 'status' });
    expect(rig.logs.find((l) => l.msg === 'IMAP connected')).toMatchObject({ uidNextFrom: 'status' });
    rig.deliver(taggedEmail('n0'));
    await waitAllPosted(rig.slack, ['n0'], 10_000);
    await settled(rig, app);
    expect(notExactlyOnce(rig.slack, ['n0'])).toEqual([]);
    expect(tally(rig.slack, ['old0', 'old1'])).toEqual(new Map([['old0', nothing], ['old1', nothing]]));
    expect(rig.logs.filter((l) => l.msg === 'IMAP session ended')).toEqual([]);
  });

  it('without UIDNEXT in STATUS either: the highest UID from UID SEARCH ALL; a restart posts nothing again', async () => {
    rig = await startServerRig({ uidNextInSelect: false, uidNextInStatus: false });
    for (const t of ['old0', 'old1', 'old2']) rig.deliver(taggedEmail(t));
    ({ app } = await rig.start());
    expect(rig.logs.find((l) => l.msg === 'first start on this mailbox')).toMatchObject({ lastUid: 3, markFrom: 'search' });
    expect(rig.imap.commands('UID SEARCH').map((c) => c.args)).toContain('ALL');
    rig.deliver(taggedEmail('n1'));
    await waitAllPosted(rig.slack, ['n1'], 10_000);
    await settled(rig, app);
    await app.stop();
    rig.deliver(taggedEmail('n2'));
    ({ app } = await rig.start());
    await waitAllPosted(rig.slack, ['n2'], 10_000);
    rig.deliver(taggedEmail('n3'));
    await waitAllPosted(rig.slack, ['n3'], 10_000);
    await settled(rig, app);
    expect(notExactlyOnce(rig.slack, ['n1', 'n2', 'n3'])).toEqual([]);
    expect([...tally(rig.slack, ['old0', 'old1', 'old2']).values()]).toEqual([nothing, nothing, nothing]);
  });

  it('on an empty mailbox (the mark is 0, asking nothing more): the first email and the next each posted once', async () => {
    rig = await startServerRig({ uidNextInSelect: false, uidNextInStatus: false });
    ({ app } = await rig.start());
    expect(app.store.imapSync.get(1, 'INBOX')).toMatchObject({ lastUid: 0, rescanPending: false });
    expect(rig.logs.find((l) => l.msg === 'first start on this mailbox')).toMatchObject({ markFrom: 'empty' });
    rig.deliver(taggedEmail('e0'));
    await waitAllPosted(rig.slack, ['e0'], 10_000);
    rig.deliver(taggedEmail('e1'));
    await waitAllPosted(rig.slack, ['e1'], 10_000);
    await settled(rig, app);
    expect(notExactlyOnce(rig.slack, ['e0', 'e1'])).toEqual([]);
    expect(app.store.imapSync.get(1, 'INBOX')).toMatchObject({ lastUid: 2 });
  });

  it('doctor says where the mark comes from, and that all is well', async () => {
    rig = await startServerRig({ uidNextInSelect: false });
    rig.deliver(taggedEmail('old0'));
    const viaStatus = await rig.doctor();
    expect(viaStatus.imap).toMatchObject({ ok: true, warning: false });
    expect(viaStatus.imap.detail).toBe('logged in, INBOX has 1 message, IDLE supported, the server leaves UIDNEXT out of EXAMINE (RFC 3501 allows it): Mailroom reads it from STATUS');
    rig.imap.set({ uidNextInStatus: false });
    const viaSearch = await rig.doctor();
    expect(viaSearch.imap).toMatchObject({ ok: true, warning: false });
    expect(viaSearch.imap.detail).toContain('the server leaves UIDNEXT out of EXAMINE (RFC 3501 allows it) and STATUS: Mailroom takes the highest UID from UID SEARCH ALL (1)');
    expect(rig.imap.mailbox('INBOX')!.messages.map((m) => [...m.flags])).toEqual([[]]);
  });
});
