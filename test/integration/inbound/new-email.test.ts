import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { waitFor } from '../../support/wait.ts';
import { CHANNEL, INBOX_ADDRESS, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { composeEmail } from '../../support/mail.ts';

let rig: Rig;
let app: MailroomApp;

beforeAll(async () => {
  rig = await startRig();
  app = rig.build();
  const running = await app.start();
  // Wait until the IMAP side is connected (first start: nothing old is posted).
  await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    const body = (await res.json()) as { imap: Record<string, boolean> };
    return Object.values(body.imap).every(Boolean);
  }, { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
afterEach(() => rig.slack.clearCalls());

const parents = () => rig.slack.messagesIn(CHANNEL).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
const blocksOf = (m: { blocks?: unknown[] }) => JSON.stringify(m.blocks ?? []);
const thread = (ts: string) => rig.slack.threadOf(CHANNEL, ts).slice(1);

describe('a new email becomes a conversation', () => {
  it('posts a parent message and the email in its thread, under the sender’s name', async () => {
    await rig.deliver(email({ subject: 'Order 1234 never arrived', body: 'Hello, my order never arrived.' }));
    const parent = await waitFor(() => parents().find((m) => JSON.stringify(m.blocks).includes("Order 1234 never arrived")), { timeoutMs: 10_000, description: () => JSON.stringify(rig.slack.calls().map((c) => [c.method, c.status])) });
    const replies = await waitFor(() => (thread(parent.ts).length ? thread(parent.ts) : null));
    expect(replies).toHaveLength(1);
    const msg = replies[0]!;
    expect(msg.username).toBe('Carla Cliente');
    expect(JSON.stringify(msg.blocks)).toContain('my order never arrived');
    expect(msg.metadata?.event_type).toBe('mailroom_email');
    expect(JSON.stringify(parent.blocks)).toContain('carla@customer.example');
    const conv = app.store.conversations.byParent(CHANNEL, parent.ts);
    expect(conv?.status).toBe('open');
    expect(app.store.contacts.byEmail('carla@customer.example')?.name).toBe('Carla Cliente');
  });
});

/** Delivers and waits until the email (found by a unique marker in its text) is in a thread. */
async function deliverAndFind(raw: string | Buffer, marker: string) {
  await rig.deliver(raw);
  return waitFor(
    () => {
      for (const p of parents()) {
        const reply = thread(p.ts).find((m) => JSON.stringify(m.blocks ?? []).includes(marker));
        if (reply) return { parent: p, reply };
      }
      return null;
    },
    { timeoutMs: 10_000 },
  );
}

describe('threading', () => {
  it('puts a reply with In-Reply-To, and one with only References, in the same thread', async () => {
    const first = await deliverAndFind(email({ messageId: '<first-1@customer.example>', body: 'first-marker' }), 'first-marker');
    const second = await deliverAndFind(
      email({ subject: 'Re: Order 1234 never arrived', inReplyTo: '<first-1@customer.example>', references: '<first-1@customer.example>', body: 'second-marker' }),
      'second-marker',
    );
    const third = await deliverAndFind(
      email({ subject: 'Re: Order 1234 never arrived', references: '<unknown@x.example> <first-1@customer.example>', body: 'third-marker' }),
      'third-marker',
    );
    expect(second.parent.ts).toBe(first.parent.ts);
    expect(third.parent.ts).toBe(first.parent.ts);
  });

  it('keeps two customers with the same subject apart', async () => {
    const a = await deliverAndFind(email({ from: 'Ann <ann@one.example>', subject: 'Invoice question', body: 'ann-marker' }), 'ann-marker');
    const b = await deliverAndFind(email({ from: 'Bob <bob@two.example>', subject: 'Invoice question', body: 'bob-marker' }), 'bob-marker');
    expect(a.parent.ts).not.toBe(b.parent.ts);
  });

  it('reopens a closed conversation when the customer writes again', async () => {
    const first = await deliverAndFind(email({ messageId: '<reopen-1@customer.example>', body: 'reopen-first' }), 'reopen-first');
    const conv = app.store.conversations.byParent(CHANNEL, first.parent.ts)!;
    app.store.conversations.setStatus(conv.id, 'closed', 'resolved');
    await deliverAndFind(email({ inReplyTo: '<reopen-1@customer.example>', body: 'reopen-second' }), 'reopen-second');
    expect(app.store.conversations.byId(conv.id)?.status).toBe('open');
    const update = await rig.slack.waitForCall('chat.update', (c) => c.args.ts === first.parent.ts);
    expect(JSON.stringify(update.args.blocks)).not.toContain('Closed');
    expect(thread(first.parent.ts).some((m) => /reopened/i.test(m.text))).toBe(true);
  });
});

describe('what is shown', () => {
  it('never turns <!channel>, @here or <@U…> from an email into a mention', async () => {
    const body = 'mention-marker <!channel> <!here> @here <@U0MEMBER01> <!subteam^S123|@team> <https://evil.example|click>';
    const { parent, reply } = await deliverAndFind(email({ from: '"<!channel> Eve" <eve@evil.example>', body }), 'mention-marker');
    for (const m of [parent, reply]) {
      const all = JSON.stringify([m.text, m.blocks, m.username]);
      expect(all).not.toMatch(/<!channel>|<!here>|<@U0MEMBER01>|<!subteam|<https:\/\/evil/);
      expect(all).not.toMatch(/(^|[^\u2060])@here/);
    }
    expect(reply.unfurl_links).toBe(false);
  });

  it('uploads attachments into the thread with their bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const raw = await composeEmail({
      from: 'Carla <carla@customer.example>',
      to: INBOX_ADDRESS,
      subject: 'Photo of the parcel',
      text: 'attach-marker see attached',
      attachments: [{ filename: 'parcel.bin', content: bytes, contentType: 'application/octet-stream' }],
    });
    const { parent } = await deliverAndFind(raw, 'attach-marker');
    const upload = await waitFor(() => rig.slack.uploads().find((u) => u.file.name === 'parcel.bin'));
    expect(upload.content.equals(bytes)).toBe(true);
    expect(upload.thread_ts).toBe(parent.ts);
  });

  it('reads a big email (streamed from IMAP in pieces) byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 31 + 7) % 256));
    const raw = await composeEmail({
      from: 'Carla <carla@customer.example>',
      to: INBOX_ADDRESS,
      subject: 'Big scan',
      text: 'big-attach-marker',
      attachments: [{ filename: 'scan.bin', content: bytes, contentType: 'application/octet-stream' }],
    });
    const { parent } = await deliverAndFind(raw, 'big-attach-marker');
    const upload = await waitFor(() => rig.slack.uploads().find((u) => u.file.name === 'scan.bin'), { timeoutMs: 10_000 });
    expect(upload.content.equals(bytes)).toBe(true);
    expect(upload.thread_ts).toBe(parent.ts);
  });

  it('cuts a 300 KB email and attaches the full message', async () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
    const lines = Array.from({ length: 5000 }, (_, i) => `${i} ${paragraph}`);
    const body = `big-marker\n${lines.join('\n')}\nTHE-END-LINE`;
    expect(Buffer.byteLength(body)).toBeGreaterThan(300_000);
    const { parent, reply } = await deliverAndFind(email({ subject: 'Huge log', body }), 'big-marker');
    const shown = JSON.stringify(reply.blocks);
    expect(shown).not.toContain('THE-END-LINE');
    expect((reply.blocks ?? []).length).toBeLessThanOrEqual(50);
    const file = await waitFor(() => rig.slack.uploads().find((u) => u.thread_ts === parent.ts && /full/i.test(u.file.name)));
    expect(file.content.toString()).toContain('THE-END-LINE');
  });
});

describe('noise and our own mail', () => {
  it('does not open a conversation for an out-of-office that belongs to none', async () => {
    const before = parents().length;
    await rig.deliver(email({ subject: 'Out of office: Order', headers: { 'Auto-Submitted': 'auto-replied' }, body: 'ooo-marker' }));
    await rig.deliver(email({ subject: 'after-noise', body: 'after-noise-marker' }));
    await waitFor(() => parents().find((m) => JSON.stringify(m.blocks).includes('after-noise')));
    expect(parents().length).toBe(before + 1);
    expect(JSON.stringify(rig.slack.calls('chat.postMessage').map((c) => c.args))).not.toContain('ooo-marker');
  });

  it('never posts mail from our own address as a new email', async () => {
    const before = parents().length;
    await rig.deliver(email({ from: `Support <${INBOX_ADDRESS}>`, subject: 'own-mail', body: 'own-marker' }));
    await rig.deliver(email({ subject: 'after-own', body: 'after-own-marker' }));
    await waitFor(() => parents().find((m) => JSON.stringify(m.blocks).includes('after-own')));
    expect(parents().length).toBe(before + 1);
  });
});
