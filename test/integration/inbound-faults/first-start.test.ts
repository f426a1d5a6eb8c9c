// First start on a mailbox: mail already there is not posted, unless a backfill of N days is
// configured, in which case mail of those days is posted (once) and older mail never, even when
// the backfill is cut short half-way.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { INBOX_ADDRESS, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { notExactlyOnce, ownChannel, quiet, taggedEmail, tally, waitAllPosted } from './tally.ts';
import { asRaw } from '../../../src/mail/raw.ts';

const DAY = 24 * 3600_000;
let rig: Rig;
let app: MailroomApp | undefined;
/** The next parse of a message containing this text throws: the IMAP session ends right there. */
let failOnParseOf: string | null = null;

beforeAll(async () => {
  rig = await startRig();
  // Already in the mailbox before Mailroom ever runs, in UID order: recent, 10 days old, recent.
  await rig.dovecot.append(INBOX_ADDRESS, 'INBOX', taggedEmail('r0'), [], new Date(Date.now() - 3600_000));
  await rig.dovecot.append(INBOX_ADDRESS, 'INBOX', taggedEmail('o0'), [], new Date(Date.now() - 10 * DAY));
  await rig.dovecot.append(INBOX_ADDRESS, 'INBOX', taggedEmail('r1'), [], new Date(Date.now() - 2 * 3600_000));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(async () => {
  await rig?.close();
});

/** An app on its own database and channel, started, with IMAP connected. */
async function startApp(name: string, env: Record<string, string> = {}): Promise<string> {
  const own = ownChannel(rig.slack, name);
  app = rig.build({ ...own.env, ...env, DATABASE_PATH: `${rig.dir}/${name}.db` }, {
    parse: async (raw) => {
      if (failOnParseOf && asRaw(raw).head.includes(failOnParseOf)) {
        failOnParseOf = null;
        throw new Error('injected: the IMAP session ends here');
      }
      return parseEmail(raw);
    },
  });
  const { port } = await app.start();
  await waitFor(async () => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { imap: Record<string, boolean> };
    return Object.values(body.imap).every(Boolean);
  }, { timeoutMs: 10_000 });
  return own.channel;
}

async function settled(): Promise<void> {
  await waitFor(() => app!.store.messages.unposted().length === 0, { timeoutMs: 10_000 });
  await app!.drained();
  await quiet(rig.slack, 500);
}

const nothing = { parents: 0, messages: 0 };

describe('first start', () => {
  it('posts nothing that was already in the mailbox, and new mail once', async () => {
    const channel = await startApp('nobackfill');
    await rig.deliver(taggedEmail('n0'));
    await waitAllPosted(rig.slack, ['n0'], 10_000, channel);
    await settled();
    expect(notExactlyOnce(rig.slack, ['n0'], channel)).toEqual([]);
    const t = tally(rig.slack, ['r0', 'o0', 'r1'], channel);
    expect([...t.values()]).toEqual([nothing, nothing, nothing]);
  });

  it('with MAILROOM_BACKFILL_DAYS=2 posts the recent mail once and never the 10-day-old one', async () => {
    const channel = await startApp('backfill', { MAILROOM_BACKFILL_DAYS: '2' });
    await waitAllPosted(rig.slack, ['r0', 'r1', 'n0'], 10_000, channel);
    await settled();
    expect(notExactlyOnce(rig.slack, ['r0', 'r1', 'n0'], channel)).toEqual([]);
    expect(tally(rig.slack, ['o0'], channel).get('o0')).toEqual(nothing);
  });

  it('bug: a backfill cut short half-way posted the mail older than the backfill', async () => {
    failOnParseOf = 'body-r1';
    const channel = await startApp('backfillcut', { MAILROOM_BACKFILL_DAYS: '2' });
    await waitAllPosted(rig.slack, ['r0', 'r1', 'n0'], 10_000, channel);
    await settled();
    expect(failOnParseOf).toBeNull();
    expect(notExactlyOnce(rig.slack, ['r0', 'r1', 'n0'], channel)).toEqual([]);
    expect(tally(rig.slack, ['o0'], channel).get('o0')).toEqual(nothing);
    // New mail after the backfill is still posted.
    await rig.deliver(taggedEmail('n1'));
    await waitAllPosted(rig.slack, ['n1'], 10_000, channel);
    await settled();
    expect(notExactlyOnce(rig.slack, ['n1'], channel)).toEqual([]);
  });
});
