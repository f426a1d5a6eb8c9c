// A bounce about one of our replies, end to end (real Dovecot, real SMTP server, the Bolt
// receiver with signed requests): the thread note says why in words with the right advice, the
// reply gets ⚠️ (and the reason under it when Mailroom posted it), "Send again" sends the same
// email once, and /mailroom stats counts bounces by reason.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Blocks, Fields, Views } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, INBOX_ADDRESS, MEMBER, SIGNING_SECRET, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { blockActions, sendCommand, sendInteraction, slashCommand, viewSubmission } from '../../support/slack-requests.ts';
import { deliveryReport } from '../../support/dsn.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;
let url: string;
const OUTSIDER = 'U0OUTSIDE1';

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  rig.slack.state.channels.get(CHANNEL)!.members.push(OUTSIDER);
  ({ app, port } = await rig.start({ MAILROOM_MEMBERS: MEMBER }));
  url = `http://127.0.0.1:${port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

const parents = () => rig.slack.messagesIn(CHANNEL).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
const thread = (parentTs: string) => rig.slack.threadOf(CHANNEL, parentTs);
const findIn = (parentTs: string, re: RegExp) => thread(parentTs).find((m) => re.test(JSON.stringify([m.text, m.blocks ?? []])));
const reactionsOf = (parentTs: string, ts: string) => (thread(parentTs).find((m) => m.ts === ts)?.reactions ?? []).map((r) => r.name);

let n = 0;
/** A customer email and our typed reply to it, sent; returns the thread, our message and the email as sent. */
async function conversationWithReply(customer: string) {
  const marker = `bounce-case-${++n}`;
  await rig.deliver(email({ from: `Customer <${customer}>`, subject: `About ${marker}`, body: marker }));
  const parent = await waitFor(() => parents().find((p) => findIn(p.ts, new RegExp(marker))), { timeoutMs: 10_000 });
  const text = `Our answer about ${marker}`;
  const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text, thread_ts: parent.ts });
  await rig.event(port, threadReply({ threadTs: parent.ts, text, ts: msg.ts }));
  const [sent] = await rig.smtp.waitForMessages(1, 10_000);
  rig.smtp.clear();
  return { parentTs: parent.ts, replyTs: msg.ts, sent: sent!, text };
}

/** A Postfix-style DSN about `originalId`. */
function bounce(recipient: string, originalId: string, o: { status: string; diagnostic: string; action?: string }): string {
  return deliveryReport({ to: INBOX_ADDRESS, recipient, originalId, ...o });
}

/** How many messages with this Message-ID the mailbox's Sent folder holds. */
async function copiesInSent(messageId: string): Promise<number> {
  const client = await rig.dovecot.connect();
  try {
    const lock = await client.getMailboxLock('Sent');
    try {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      return Array.isArray(uids) ? uids.length : 0;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

function sendAgainButton(parentTs: string) {
  const note = findIn(parentTs, /was not delivered/)!;
  const actions = (note.blocks ?? []).find((b) => (b as { block_id?: string }).block_id === Blocks.sendAgain) as { elements: { action_id: string; value: string }[] } | undefined;
  return { note, button: actions?.elements.find((e) => e.action_id === Actions.sendAgain) };
}

function click(parentTs: string, user: string) {
  const { note, button } = sendAgainButton(parentTs);
  return sendInteraction(
    url,
    SIGNING_SECRET,
    blockActions({
      actionId: Actions.sendAgain,
      user,
      value: button?.value ?? '0',
      blockId: Blocks.sendAgain,
      channel: CHANNEL,
      message: { type: 'message', ts: note.ts, thread_ts: parentTs, text: note.text, blocks: note.blocks },
    }),
  );
}

describe('a bounced reply, said in words', () => {
  it('an unknown address: ⚠️ on the reply, the note says why and to check the address, no Send again', async () => {
    const { parentTs, replyTs, sent } = await conversationWithReply('gone@customer.example');
    const before = parents().length;
    await rig.deliver(bounce('gone@customer.example', `<${sent.parsed.messageId!.replace(/[<>]/g, '')}>`, { status: '5.1.1', diagnostic: '550 5.1.1 <gone@customer.example>: Recipient address rejected: User unknown' }));
    const note = await waitFor(() => findIn(parentTs, /was not delivered/), { timeoutMs: 10_000 });
    const text = JSON.stringify(note.blocks);
    expect(text).toContain(`The email by <@${MEMBER}>`);
    expect(text).toContain("was not delivered to gone@customer.example*: the address doesn't exist.");
    expect(text).toContain('Check the address with the customer');
    expect(text).toContain('Status 5.1.1');
    expect(text).toContain('550 5.1.1 &lt;gone@customer.example&gt;: Recipient address rejected: User unknown');
    expect(sendAgainButton(parentTs).button).toBeUndefined();
    await waitFor(() => reactionsOf(parentTs, replyTs).includes('warning'), { timeoutMs: 10_000 });
    expect(parents().length).toBe(before);
    const row = app.store.messages.byMessageId(sent.parsed.messageId!.replace(/[<>]/g, ''))!;
    expect(row.deliveryState).toBe('undelivered');
    const stored = app.store.messages.ofConversation(row.conversationId).find((m) => m.kind === 'bounce')!;
    expect(stored.bounce).toEqual({ reason: 'userunknown', status: '5.1.1', retryable: false, of: row.id });
  });

  it('a full mailbox: Send again sends the same email once, the note says who did it, ✅ comes back; a second click sends nothing', async () => {
    const { parentTs, replyTs, sent, text } = await conversationWithReply('full@customer.example');
    const messageId = sent.parsed.messageId!;
    await rig.deliver(bounce('full@customer.example', messageId, { status: '5.2.2', diagnostic: '552 5.2.2 <full@customer.example>: Mailbox full' }));
    await waitFor(() => sendAgainButton(parentTs).button, { timeoutMs: 10_000 });
    expect(JSON.stringify(sendAgainButton(parentTs).note.blocks)).toContain('their mailbox is full');
    await waitFor(() => reactionsOf(parentTs, replyTs).includes('warning'), { timeoutMs: 10_000 });

    // Someone who is not a member of the inbox is told no, privately, and nothing is sent.
    expect((await click(parentTs, OUTSIDER)).status).toBe(200);
    await waitFor(() => rig.slack.ephemerals().some((e) => e.user === OUTSIDER && /Only members/.test(e.text ?? '')));

    expect((await click(parentTs, MEMBER)).status).toBe(200);
    const [again] = await rig.smtp.waitForMessages(1, 10_000);
    expect(again!.parsed.messageId).toBe(messageId);
    expect(again!.to).toEqual(['full@customer.example']);
    expect(again!.parsed.inReplyTo).toBe(sent.parsed.inReplyTo);
    expect(again!.parsed.text).toContain(text);
    await waitFor(() => !sendAgainButton(parentTs).button && /Sent again by/.test(JSON.stringify(sendAgainButton(parentTs).note.blocks)), { timeoutMs: 10_000 });
    await waitFor(() => reactionsOf(parentTs, replyTs).includes('white_check_mark') && !reactionsOf(parentTs, replyTs).includes('warning'), { timeoutMs: 10_000 });
    const row = app.store.messages.byMessageId(messageId.replace(/[<>]/g, ''))!;
    expect(row.deliveryState).toBe('sent');
    // One row for the email, not a second one for its resend, and one copy in the Sent folder.
    expect(app.store.messages.ofConversation(row.conversationId).filter((m) => m.direction === 'out')).toHaveLength(1);
    expect(await copiesInSent(messageId)).toBe(1);

    // A second click (a stale button, or another teammate): told it already went, nothing sent.
    rig.smtp.clear();
    const note = sendAgainButton(parentTs).note;
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.sendAgain, user: MEMBER, value: String(app.store.messages.ofConversation(row.conversationId).find((m) => m.kind === 'bounce')!.id), blockId: Blocks.sendAgain, channel: CHANNEL, message: { type: 'message', ts: note.ts, thread_ts: parentTs, text: note.text, blocks: note.blocks } }));
    await waitFor(() => rig.slack.ephemerals().some((e) => e.user === MEMBER && /already sent again once/.test(e.text ?? '')));
    await sleep(500);
    expect(rig.smtp.messages).toHaveLength(0);

    // It bounces again: a new note, and no button this time.
    await rig.deliver(bounce('full@customer.example', messageId, { status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full, still' }));
    await waitFor(() => thread(parentTs).filter((m) => /was not delivered/.test(JSON.stringify(m.blocks ?? []))).length === 2, { timeoutMs: 10_000 });
    const last = thread(parentTs).filter((m) => /was not delivered/.test(JSON.stringify(m.blocks ?? []))).pop()!;
    expect(JSON.stringify(last.blocks)).not.toContain(Actions.sendAgain);
    expect(JSON.stringify(last.blocks)).toContain(`Sent again by <@${MEMBER}>`);
  });

  it('a delay warning is not a failure: no ⚠️, the note says nothing to do yet', async () => {
    const { parentTs, replyTs, sent } = await conversationWithReply('slow@customer.example');
    await rig.deliver(bounce('slow@customer.example', sent.parsed.messageId!, { status: '4.4.1', action: 'delayed', diagnostic: '421 4.4.1 Connection timed out' }));
    const note = await waitFor(() => findIn(parentTs, /Delivery delayed/), { timeoutMs: 10_000 });
    expect(JSON.stringify(note.blocks)).toContain('nothing to do yet');
    expect(JSON.stringify(note.blocks)).not.toContain(Actions.sendAgain);
    await sleep(300);
    expect(reactionsOf(parentTs, replyTs)).not.toContain('warning');
    expect(app.store.messages.byMessageId(sent.parsed.messageId!.replace(/[<>]/g, ''))!.deliveryState).not.toBe('undelivered');
  });

  it('an email Mailroom posted (the Reply modal) gets the reason under it, in words', async () => {
    const marker = `bounce-modal-${++n}`;
    await rig.deliver(email({ from: 'Customer <spam@customer.example>', subject: `About ${marker}`, body: marker }));
    const parent = await waitFor(() => parents().find((p) => findIn(p.ts, new RegExp(marker))), { timeoutMs: 10_000 });
    const c = await waitFor(() => app.store.conversations.byParent(CHANNEL, parent.ts));
    const t = (value: string | null) => ({ type: 'plain_text_input', value });
    await sendInteraction(
      url,
      SIGNING_SECRET,
      viewSubmission({
        callbackId: Views.reply,
        user: MEMBER,
        values: {
          [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: '1:0' } } },
          [Fields.to.block]: { [Fields.to.action]: t(null) },
          [Fields.cc.block]: { [Fields.cc.action]: t(null) },
          [Fields.bcc.block]: { [Fields.bcc.action]: t(null) },
          [Fields.body.block]: { [Fields.body.action]: t('Great offer inside!') },
          [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [] } },
        },
        privateMetadata: JSON.stringify({ conversationNumber: c.id, bodyRevision: 0 }),
      }),
    );
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    const shown = await waitFor(() => thread(parent.ts).find((m) => m.metadata?.event_type === 'mailroom_email' && /Great offer inside/.test(JSON.stringify(m.blocks ?? []))), { timeoutMs: 10_000 });
    await rig.deliver(bounce('spam@customer.example', sent!.parsed.messageId!, { status: '5.7.1', diagnostic: '550 5.7.1 Message rejected as spam by content filtering' }));
    await waitFor(() => /Not delivered\*: it was rejected as spam by their server \(5\.7\.1\)/.test(JSON.stringify(thread(parent.ts).find((m) => m.ts === shown.ts)?.blocks ?? [])), { timeoutMs: 10_000 });
    expect(reactionsOf(parent.ts, shown.ts)).toContain('warning');
  });

  it('/mailroom stats counts the bounces by reason', async () => {
    const res = await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/mailroom', text: 'stats', user: MEMBER, channel: CHANNEL, responseUrl: rig.slack.responseUrl('stats') }));
    expect(res.status).toBe(200);
    const answer = await waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === 'stats')?.args);
    // Two full mailboxes (the second one after Send again), one unknown address, one spam; the delay warning is not one.
    expect(JSON.stringify(answer.blocks).match(/\*Bounced\*[^"]*/)?.[0]).toBe("*Bounced*\\n4 emails: 2 mailbox full, 1 taken for spam, 1 address doesn't exist");
  });
});
