// The IMAP server going away and coming back: the app notices, reconnects with a new client, and
// posts what arrived meanwhile (delivered into the Maildir while the server was down, or appended
// before the app got back in) exactly once. The mailbox's \Seen flags are never touched.
import { chownSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { INBOX_ADDRESS, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { appendAll, notExactlyOnce, quiet, tags, taggedEmail, tally, waitAllPosted } from './tally.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  // Longer than an APPEND right after the restart takes, so that mail lands before the app is back.
  app = rig.build({}, { imapBackoffMs: () => 400 });
  port = (await app.start()).port!;
  await imapUp(true);
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

async function imapUp(up: boolean): Promise<void> {
  await waitFor(async () => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { imap: Record<string, boolean> };
    return Object.values(body.imap).every((c) => c === up);
  }, { timeoutMs: 25_000, description: `IMAP ${up ? 'connected' : 'disconnected'} in /healthz` });
}

async function settled(): Promise<void> {
  await waitFor(() => app.store.messages.unposted().length === 0, { timeoutMs: 20_000 });
  await app.drained();
  await quiet(rig.slack, 300);
}

/** What a mail delivery agent does while the IMAP server is down: a file in Maildir/new. */
function deliverIntoMaildir(raw: string, name: string): void {
  const maildir = join(rig.dovecot.dir, 'mail', INBOX_ADDRESS, 'Maildir');
  const path = join(maildir, 'new', `${Math.floor(Date.now() / 1000)}.${name}.mailroom-test`);
  writeFileSync(path, raw);
  const owner = statSync(maildir);
  chownSync(path, owner.uid, owner.gid);
}

describe('IMAP server outage', () => {
  it('leaves \\Seen alone on the emails it posts', async () => {
    await rig.deliver(taggedEmail('s0'));
    await waitAllPosted(rig.slack, ['s0'], 10_000);
    const c = await rig.dovecot.connect();
    try {
      await c.mailboxOpen('INBOX', { readOnly: true });
      const flags = [];
      for await (const m of c.fetch('1:*', { flags: true, envelope: true })) flags.push({ subject: m.envelope?.subject, seen: m.flags?.has('\\Seen') });
      expect(flags).toEqual([{ subject: 'Question subject-s0', seen: false }]);
    } finally {
      await c.logout();
    }
  });

  it('reconnects after a graceful stop and posts mail delivered while it was down, and mail appended right after, once', async () => {
    await rig.dovecot.stop();
    await imapUp(false);
    deliverIntoMaildir(taggedEmail('g1'), 'g1');
    await rig.dovecot.start();
    await rig.deliver(taggedEmail('g2'));
    await imapUp(true);
    await waitAllPosted(rig.slack, ['g1', 'g2'], 10_000);
    await settled();
    expect(notExactlyOnce(rig.slack, ['s0', 'g1', 'g2'])).toEqual([]);
  }, 60_000);

  it('reconnects after the server is killed, and again after a second outage', async () => {
    for (const round of ['k1', 'k2']) {
      await rig.dovecot.stop({ crash: true });
      await imapUp(false);
      deliverIntoMaildir(taggedEmail(`${round}a`), `${round}a`);
      await rig.dovecot.start();
      await rig.deliver(taggedEmail(`${round}b`));
      await imapUp(true);
      await waitAllPosted(rig.slack, [`${round}a`, `${round}b`], 10_000);
    }
    // Live mail after the reconnects goes through the new session's IDLE.
    await rig.deliver(taggedEmail('k3'));
    await waitAllPosted(rig.slack, ['k3'], 10_000);
    await settled();
    expect(notExactlyOnce(rig.slack, ['s0', 'g1', 'g2', 'k1a', 'k1b', 'k2a', 'k2b', 'k3'])).toEqual([]);
  }, 60_000);

  it('loses and doubles nothing when the server dies in the middle of a burst', async () => {
    const burst = tags('m', 30);
    const c = await rig.dovecot.connect();
    await appendAll(c, burst.map((t) => taggedEmail(t)));
    await c.logout();
    const burstPosts = () => rig.slack.calls('chat.postMessage').filter((call) => /(subject|body)-m\d/.test(JSON.stringify(call.args))).length;
    await waitFor(() => burstPosts() > 0, { timeoutMs: 10_000 });
    const postedAtKill = burstPosts();
    await rig.dovecot.stop({ crash: true });
    await imapUp(false);
    await rig.dovecot.start();
    await imapUp(true);
    await waitAllPosted(rig.slack, burst, 15_000);
    await settled();
    expect(postedAtKill).toBeLessThan(60);
    expect(notExactlyOnce(rig.slack, burst)).toEqual([]);
  }, 60_000);
});
