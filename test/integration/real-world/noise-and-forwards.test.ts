import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, INBOX_ADDRESS, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { deliveryReport } from '../../support/dsn.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start());
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const parents = () => rig.slack.messagesIn(CHANNEL).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
const inThread = (ts: string, re: RegExp) => rig.slack.threadOf(CHANNEL, ts).find((m) => re.test(JSON.stringify([m.text, m.blocks ?? []])));

/** A customer email and our reply to it; returns the parent, our Slack message and the sent email. */
async function conversationWithReply(from: string, marker: string) {
  await rig.deliver(email({ from, subject: `About ${marker}`, body: marker }));
  const parent = await waitFor(() => parents().find((p) => inThread(p.ts, new RegExp(marker))), { timeoutMs: 10_000 });
  rig.smtp.clear();
  const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: `Our answer about ${marker}`, thread_ts: parent.ts });
  await rig.event(port, threadReply({ threadTs: parent.ts, text: `Our answer about ${marker}`, ts: msg.ts }));
  const [sent] = await rig.smtp.waitForMessages(1, 10_000);
  return { parent, replyTs: msg.ts, sentId: sent!.parsed.messageId! };
}

function outOfOffice(to: string, inReplyTo: string): string {
  return [
    `From: Quinn Customer <${to}>`,
    `To: ${INBOX_ADDRESS}`,
    'Subject: Automatic reply: About the order',
    `Message-ID: <ooo-${Date.now()}@customer.example>`,
    `In-Reply-To: ${inReplyTo}`,
    `References: ${inReplyTo}`,
    'Auto-Submitted: auto-replied',
    'X-Auto-Response-Suppress: All',
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'I am out of the office until Monday. ooo-body-marker',
    '',
  ].join('\r\n');
}

function hardBounce(recipient: string, originalId: string): string {
  return deliveryReport({ to: INBOX_ADDRESS, recipient, originalId, status: '5.1.1', diagnostic: `550 5.1.1 <${recipient}>: Recipient address rejected: User unknown` });
}

describe('noise about our replies', () => {
  it('files an out-of-office reply to our email as a quiet note in that thread: no new conversation, nothing sent', async () => {
    const { parent, sentId } = await conversationWithReply('Quinn <quinn@customer.example>', 'ooo-case');
    const before = parents().length;
    rig.smtp.clear();
    await rig.deliver(outOfOffice('quinn@customer.example', sentId));
    const note = await waitFor(() => inThread(parent.ts, /Automatic reply/), { timeoutMs: 10_000 });
    expect(note.blocks?.length).toBe(1);
    await sleep(500);
    expect(parents().length).toBe(before);
    expect(rig.smtp.messages).toHaveLength(0);
    const conv = app.store.conversations.byParent(CHANNEL, parent.ts)!;
    expect(conv.status).toBe('pending'); // an auto-reply changes nothing
  });

  it('puts ⚠️ on our reply when it bounces hard, and says why in the thread', async () => {
    const { parent, replyTs, sentId } = await conversationWithReply('Gone <gone@customer.example>', 'bounce-case');
    const before = parents().length;
    await rig.deliver(hardBounce('gone@customer.example', sentId));
    await waitFor(() => (rig.slack.threadOf(CHANNEL, parent.ts).find((m) => m.ts === replyTs)?.reactions ?? []).some((r) => r.name === 'warning'), { timeoutMs: 10_000 });
    const note = await waitFor(() => inThread(parent.ts, /was not delivered/));
    expect(JSON.stringify(note.blocks)).toContain('5.1.1');
    expect(parents().length).toBe(before);
    const sent = app.store.messages.byMessageId(sentId.replace(/[<>]/g, ''));
    expect(sent?.deliveryState).toBe('undelivered');
  });
});

describe('forwards', () => {
  it('credits a teammate’s forward to the original sender', async () => {
    const body = [
      'Can someone help this customer? fwd-marker',
      '',
      '---------- Forwarded message ---------',
      'From: Rita Rossi <rita@customer.example>',
      'Date: Mon, 16 Nov 2026 at 10:00',
      'Subject: Broken hinge',
      `To: <sales@example.com>`,
      '',
      'Hello, the hinge of my cabinet broke after a week.',
    ].join('\r\n');
    await rig.deliver(email({ from: 'Tom Teammate <tom@example.com>', subject: 'Fwd: Broken hinge', body }));
    const parent = await waitFor(() => parents().find((p) => JSON.stringify(p.blocks).includes('Broken hinge')), { timeoutMs: 10_000 });
    expect(JSON.stringify(parent.blocks)).toContain('rita@customer.example');
    // The fake Slack has the post before the app has stored its ts from chat.postMessage's answer.
    const conv = await waitFor(() => app.store.conversations.byParent(CHANNEL, parent.ts), { timeoutMs: 5000 });
    expect(app.store.contacts.byId(conv.contactId!)?.email).toBe('rita@customer.example');
    expect(conv.forwardedBy).toBe('tom@example.com');
  });

  it('keeps a customer who forwards something as the customer', async () => {
    const body = ['See below, fwd2-marker', '', '---------- Forwarded message ---------', 'From: Shop <noreply@shop.example>', 'Subject: Your order', '', 'Order confirmed.'].join('\r\n');
    await rig.deliver(email({ from: 'Uma <uma@customer.example>', subject: 'Fwd: Your order', body }));
    const parent = await waitFor(() => parents().find((p) => JSON.stringify(p.blocks).includes('uma@customer.example')), { timeoutMs: 10_000 });
    const conv = await waitFor(() => app.store.conversations.byParent(CHANNEL, parent.ts), { timeoutMs: 5000 });
    expect(app.store.contacts.byId(conv.contactId!)?.email).toBe('uma@customer.example');
  });
});
