import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, IMAP_PASSWORD, INBOX_ADDRESS, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { waitFor, sleep } from '../../support/wait.ts';
import { uidThread } from '../mail-outbound/imap-thread.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;
const OUTSIDER = 'U0OUTSIDE1';

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  rig.slack.state.channels.get(CHANNEL)!.members.push(OUTSIDER);
  // Olga is in the channel but not a member of the inbox.
  ({ app, port } = await rig.start({ MAILROOM_MEMBERS: MEMBER }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

let n = 0;
/** A customer email, posted in Slack; returns the parent ts and the email's Message-ID. */
async function conversation(o: { cc?: string; subject?: string } = {}) {
  const id = `<cust-${++n}-${Date.now()}@customer.example>`;
  const marker = `conv-marker-${n}`;
  await rig.deliver(email({ messageId: id, body: marker, subject: o.subject ?? `AW: Re: [EXT] Order ${n}`, ...(o.cc ? { cc: o.cc } : {}) }));
  const parent = await waitFor(
    () =>
      rig.slack
        .messagesIn(CHANNEL)
        .find((m) => m.metadata?.event_type === 'mailroom_conversation' && rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker))),
    { timeoutMs: 10_000 },
  );
  return { parentTs: parent.ts, messageId: id.slice(1, -1) };
}

/** A teammate types in the thread: the message exists in Slack, and Slack sends the event. */
async function reply(parentTs: string, text: string, user = MEMBER, opts: { eventId?: string; files?: unknown[] } = {}) {
  const msg = rig.slack.postAsUser(CHANNEL, { user, text, thread_ts: parentTs });
  const res = await rig.event(port, threadReply({ threadTs: parentTs, text, user, ts: msg.ts, ...(opts.files ? { files: opts.files } : {}) }), opts);
  expect(res.status).toBe(200);
  return msg.ts;
}

const reactionsOn = (parentTs: string, ts: string) =>
  (rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.ts === ts)?.reactions ?? []).map((r) => r.name);

describe('a reply typed in the thread', () => {
  it('goes out as a real email reply with every header right', async () => {
    const c = await conversation({ cc: 'Dan <dan@customer.example>, support@example.com' });
    const ts = await reply(c.parentTs, 'Hello *Carla*, we shipped it again :tada:\n• tracking <https://track.example/1|here>');
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    const p = sent!.parsed;
    expect(p.from?.value[0]).toEqual({ name: 'Ana Lima (Acme Support)', address: INBOX_ADDRESS });
    expect(p.to && !Array.isArray(p.to) ? p.to.value.map((a) => a.address) : []).toEqual(['carla@customer.example']);
    expect(p.cc && !Array.isArray(p.cc) ? p.cc.value.map((a) => a.address) : []).toEqual(['dan@customer.example']);
    expect(p.subject).toBe(`Re: Order ${n}`);
    expect(p.inReplyTo).toBe(`<${c.messageId}>`);
    expect([p.references].flat()).toEqual([`<${c.messageId}>`]);
    const conv = app.store.conversations.byParent(CHANNEL, c.parentTs)!;
    expect(p.messageId).toMatch(new RegExp(`^<mr\\.${conv.token}\\.[A-Za-z0-9_-]+@example\\.com>$`));
    expect(p.text).toContain('Hello *Carla*, we shipped it again 🎉');
    expect(p.html).toContain('<strong>Carla</strong>');
    expect(p.html).toContain('href="https://track.example/1"');
    expect(sent!.to.sort()).toEqual(['carla@customer.example', 'dan@customer.example']);
    await waitFor(() => reactionsOn(c.parentTs, ts).includes('white_check_mark'));
    expect(app.store.conversations.byId(conv.id)?.status).toBe('pending');
  });

  it('is sent once when Slack delivers the same event twice', async () => {
    const c = await conversation();
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'only once please', thread_ts: c.parentTs });
    const event = threadReply({ threadTs: c.parentTs, text: 'only once please', ts: msg.ts });
    await rig.event(port, event, { eventId: 'EvSAME0001' });
    await rig.event(port, event, { eventId: 'EvSAME0001' });
    await rig.event(port, event, { eventId: 'EvOTHER002' }); // a redelivery under another id: same Slack message
    await rig.smtp.waitForMessages(1, 10_000);
    await sleep(500);
    expect(rig.smtp.messages).toHaveLength(1);
  });

  it('keeps notes, outsiders and bots out of email', async () => {
    const c = await conversation();
    await reply(c.parentTs, 'note: customer is VIP');
    await reply(c.parentTs, ';; internal only');
    await reply(c.parentTs, 'I am not in the inbox', OUTSIDER);
    await rig.event(port, { ...threadReply({ threadTs: c.parentTs, text: 'a bot speaks' }), bot_id: 'B0OTHER001', user: undefined });
    await reply(c.parentTs, 'the real reply');
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    await sleep(300);
    expect(rig.smtp.messages).toHaveLength(1);
    expect(sent!.parsed.text).toContain('the real reply');
    const told = rig.slack.ephemerals().find((e) => e.user === OUTSIDER);
    expect(told?.text).toMatch(/Only members of the \*Acme Support\* inbox/);
  });
});

describe('when sending fails', () => {
  it('shows ⚠️ and the reason while the SMTP server refuses connections, then sends once when it is back', async () => {
    const c = await conversation();
    await rig.smtp.refuseConnections();
    const ts = await reply(c.parentTs, 'sent after the outage');
    await waitFor(() => reactionsOn(c.parentTs, ts).includes('warning'), { timeoutMs: 10_000 });
    const note = await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => m.metadata?.event_type === 'mailroom_note' && /ECONNREFUSED|connect|refused/i.test(m.text)));
    expect(note.text).not.toContain(IMAP_PASSWORD);
    await rig.smtp.acceptConnections();
    const [sent] = await rig.smtp.waitForMessages(1, 15_000);
    expect(sent!.parsed.text).toContain('sent after the outage');
    await waitFor(() => reactionsOn(c.parentTs, ts).includes('white_check_mark'));
    expect(reactionsOn(c.parentTs, ts)).not.toContain('warning');
    await sleep(800);
    expect(rig.smtp.messages).toHaveLength(1);
  });

  it('does not retry a permanent refusal (5xx) and says why in the thread', async () => {
    const c = await conversation();
    rig.smtp.failNext(1, 550, '5.1.1 Mailbox unavailable');
    const ts = await reply(c.parentTs, 'refused for good');
    await waitFor(() => reactionsOn(c.parentTs, ts).includes('warning'), { timeoutMs: 10_000 });
    const note = await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => m.metadata?.event_type === 'mailroom_note' && /Mailbox unavailable/.test(m.text)));
    expect(note).toBeTruthy();
    await sleep(1000);
    expect(rig.smtp.messages).toHaveLength(0);
  });
});

describe('the thread as the customer’s mail client sees it', () => {
  it('threads our reply under the original, and the customer’s answer back into the Slack thread', async () => {
    const c = await conversation({ subject: 'Thread check' });
    await reply(c.parentTs, 'our answer for threading');
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    // The mail client's view: the original and our reply in one mailbox, threaded by Dovecot.
    await rig.dovecot.createMailbox(INBOX_ADDRESS, 'ClientView');
    const original = email({ messageId: `<${c.messageId}>`, subject: 'Thread check', body: 'original' });
    await rig.dovecot.append(INBOX_ADDRESS, 'ClientView', original);
    await rig.dovecot.append(INBOX_ADDRESS, 'ClientView', sent!.raw);
    await rig.dovecot.append(INBOX_ADDRESS, 'ClientView', email({ subject: 'Unrelated', body: 'other' }));
    const threads = await uidThread({ host: rig.dovecot.host, port: rig.dovecot.port, user: INBOX_ADDRESS, password: IMAP_PASSWORD, mailbox: 'ClientView', algorithm: 'REFERENCES' });
    expect(threads.map((t) => JSON.stringify(t))).toEqual(['[1,2]', '[3]']);
    // The customer answers our reply: it lands in the same Slack thread.
    await rig.deliver(email({ subject: 'Re: Thread check', inReplyTo: sent!.parsed.messageId!, references: sent!.parsed.messageId!, body: 'customer-answer-marker' }));
    await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => JSON.stringify(m.blocks ?? []).includes('customer-answer-marker')), { timeoutMs: 10_000 });
  });

  it('files a copy in the Sent folder', async () => {
    const c = await conversation();
    await reply(c.parentTs, 'copy me to Sent');
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    const found = await waitFor(async () => {
      const client = await rig.dovecot.connect();
      try {
        await client.mailboxOpen('Sent');
        const uids = await client.search({ header: { 'message-id': sent!.parsed.messageId! } }, { uid: true });
        return Array.isArray(uids) && uids.length ? uids : null;
      } finally {
        await client.logout();
      }
    });
    expect(found).toHaveLength(1);
  });
});
