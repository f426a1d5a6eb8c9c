// The server renumbers the mailbox (a new UIDVALIDITY): the app rescans it and recognises what it
// already posted by Message-ID, or by a hash of the bytes when there is none. Mail that was in the
// mailbox before the app's first start stays unposted, even when the rescan is interrupted.
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { INBOX_ADDRESS, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { notExactlyOnce, quiet, taggedEmail, tally, waitAllPosted } from './tally.ts';
import { asRaw } from '../../../src/mail/raw.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;
/** The next parse of a message containing this text throws: the IMAP session ends right there. */
let failOnParseOf: string | null = null;

const HOUR = 3600_000;

beforeAll(async () => {
  rig = await startRig();
  // In the mailbox before Mailroom ever started: never posted.
  await rig.dovecot.append(INBOX_ADDRESS, 'INBOX', taggedEmail('pre0'), [], new Date(Date.now() - HOUR));
  app = rig.build({}, {
    parse: async (raw) => {
      if (failOnParseOf && asRaw(raw).head.includes(failOnParseOf)) {
        failOnParseOf = null;
        throw new Error('injected: the IMAP session ends here');
      }
      return parseEmail(raw);
    },
  });
  port = (await app.start()).port!;
  await imapUp();
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

async function imapUp(): Promise<void> {
  await waitFor(async () => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { imap: Record<string, boolean> };
    return Object.values(body.imap).every(Boolean);
  }, { timeoutMs: 10_000 });
}

async function settled(): Promise<void> {
  await waitFor(() => app.store.messages.unposted().length === 0, { timeoutMs: 10_000 });
  await app.drained();
  await quiet(rig.slack, 500);
}

const maildir = () => join(rig.dovecot.dir, 'mail', INBOX_ADDRESS, 'Maildir');

async function uidsNow(): Promise<{ uidValidity: string; bySubject: Record<string, number> }> {
  const c = await rig.dovecot.connect();
  try {
    const box = await c.mailboxOpen('INBOX', { readOnly: true });
    const bySubject: Record<string, number> = {};
    for await (const m of c.fetch('1:*', { uid: true, envelope: true })) bySubject[m.envelope?.subject ?? ''] = m.uid;
    return { uidValidity: String(box.uidValidity), bySubject };
  } finally {
    await c.logout();
  }
}

/**
 * Makes Dovecot forget its UIDs (uidlist, UIDVALIDITY and index files gone, a later UIDVALIDITY
 * seeded), as after a server migration or a restored backup. The pre-install email's file is
 * renamed to sort last, so it gets the highest new UID.
 */
async function renumber(): Promise<void> {
  const before = await uidsNow();
  await rig.dovecot.stop({ crash: true });
  const dir = maildir();
  const last = Number.parseInt(readFileSync(join(dir, 'dovecot-uidvalidity'), 'utf8').trim(), 16);
  for (const f of readdirSync(dir)) if (/^dovecot(-uidlist|-uidvalidity|\.index)/.test(f)) rmSync(join(dir, f));
  writeFileSync(join(dir, 'dovecot-uidvalidity'), (last + 100).toString(16));
  // Dovecot gives UIDs to unlisted files in the order of the time their names start with.
  for (const sub of ['new', 'cur'])
    for (const f of readdirSync(join(dir, sub)))
      if (readFileSync(join(dir, sub, f)).includes('body-pre0')) renameSync(join(dir, sub, f), join(dir, sub, f.replace(/^\d+/, (t) => String(Number(t) + 100_000))));
  await rig.dovecot.start();
  const after = await uidsNow();
  expect(after.uidValidity).not.toBe(before.uidValidity);
  const pre = after.bySubject['Question subject-pre0']!;
  expect(Object.values(after.bySubject).every((uid) => uid <= pre)).toBe(true);
}

/** The app has reconnected and finished its rescan: the sync state is back on a plain UIDVALIDITY. */
async function rescanned(): Promise<void> {
  const { uidValidity, bySubject } = await uidsNow();
  const top = Math.max(...Object.values(bySubject));
  const inbox = app.store.inboxes.all()[0]!;
  await waitFor(() => {
    const s = app.store.imapSync.get(inbox.id, 'INBOX');
    return s?.uidValidity === uidValidity && s.lastUid >= top;
  }, { timeoutMs: 10_000, description: () => `sync state at ${uidValidity}/${top}: ${JSON.stringify(app.store.imapSync.get(inbox.id, 'INBOX'))}` });
}

describe('UIDVALIDITY change', () => {
  it('posts nothing again (by Message-ID, or by hash without one), then posts new mail once', async () => {
    await rig.deliver(taggedEmail('v0'));
    await rig.deliver(taggedEmail('v1', { messageId: null }));
    await waitAllPosted(rig.slack, ['v0', 'v1'], 10_000);
    await settled();

    await renumber();
    await imapUp();
    await rescanned();
    await rig.deliver(taggedEmail('v2'));
    await rig.deliver(taggedEmail('v3', { messageId: null }));
    await waitAllPosted(rig.slack, ['v2', 'v3'], 10_000);
    await settled();
    expect(notExactlyOnce(rig.slack, ['v0', 'v1', 'v2', 'v3'])).toEqual([]);
    expect(tally(rig.slack, ['pre0']).get('pre0')).toEqual({ parents: 0, messages: 0 });
  }, 30_000);

  it('bug: a rescan interrupted half-way posted mail from before the first start', async () => {
    await renumber();
    failOnParseOf = 'body-v1';
    await imapUp();
    await waitFor(() => failOnParseOf === null, { timeoutMs: 10_000, description: 'the rescan reached v1' });
    await rescanned();
    await rig.deliver(taggedEmail('v4'));
    await waitAllPosted(rig.slack, ['v4'], 10_000);
    await settled();
    expect(tally(rig.slack, ['pre0']).get('pre0')).toEqual({ parents: 0, messages: 0 });
    expect(notExactlyOnce(rig.slack, ['v0', 'v1', 'v2', 'v3', 'v4'])).toEqual([]);
  }, 30_000);
});
