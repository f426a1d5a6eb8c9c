import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { messageEvent } from '../../support/slack-requests.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  // A 1.5 s undo window, and at most 2 emails per recipient per hour.
  ({ app, port } = await rig.start({ MAILROOM_SEND_DELAY_SECONDS: '1', MAILROOM_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: '2' }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

let n = 0;
async function conversation(from = `Cleo ${++n} <cleo${n}@customer.example>`) {
  const marker = `undo-marker-${++n}`;
  await rig.deliver(email({ from, body: marker, subject: `Question ${n}` }));
  const parent = await waitFor(
    () => rig.slack.messagesIn(CHANNEL).find((m) => rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker))),
    { timeoutMs: 10_000 },
  );
  return parent.ts;
}

const reactions = (parentTs: string, ts: string) => (rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.ts === ts)?.reactions ?? []).map((r) => r.name);

describe('the undo window', () => {
  it('shows a pending reaction, sends the edited text, and only once the window is over', async () => {
    const parentTs = await conversation();
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'first draft', thread_ts: parentTs });
    const sentAt = Date.now();
    await rig.event(port, threadReply({ threadTs: parentTs, text: 'first draft', ts: msg.ts }));
    await waitFor(() => reactions(parentTs, msg.ts).includes('hourglass_flowing_sand'));
    await rig.event(port, {
      ...messageEvent({ channel: CHANNEL, user: MEMBER, text: '' }),
      subtype: 'message_changed',
      message: { type: 'message', user: MEMBER, text: 'final words', ts: msg.ts, thread_ts: parentTs },
      previous_message: { type: 'message', user: MEMBER, text: 'first draft', ts: msg.ts, thread_ts: parentTs },
    });
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1000);
    expect(sent!.parsed.text).toContain('final words');
    expect(sent!.parsed.text).not.toContain('first draft');
    await waitFor(() => reactions(parentTs, msg.ts).includes('white_check_mark'));
    expect(reactions(parentTs, msg.ts)).not.toContain('hourglass_flowing_sand');
  });

  it('cancels the email when the message is deleted in the window', async () => {
    const parentTs = await conversation();
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'oops, wrong thread', thread_ts: parentTs });
    await rig.event(port, threadReply({ threadTs: parentTs, text: 'oops, wrong thread', ts: msg.ts }));
    await rig.event(port, {
      ...messageEvent({ channel: CHANNEL, user: MEMBER, text: '' }),
      subtype: 'message_deleted',
      deleted_ts: msg.ts,
      previous_message: { type: 'message', user: MEMBER, text: 'oops, wrong thread', ts: msg.ts, thread_ts: parentTs },
    });
    await sleep(2000);
    expect(rig.smtp.messages).toHaveLength(0);
  });

  it('tells the author privately when they edit a reply that has already gone', async () => {
    const parentTs = await conversation();
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'gone already', thread_ts: parentTs });
    await rig.event(port, threadReply({ threadTs: parentTs, text: 'gone already', ts: msg.ts }));
    await rig.smtp.waitForMessages(1, 10_000);
    await rig.event(port, {
      ...messageEvent({ channel: CHANNEL, user: MEMBER, text: '' }),
      subtype: 'message_changed',
      message: { type: 'message', user: MEMBER, text: 'gone already (typo fixed)', ts: msg.ts, thread_ts: parentTs },
      previous_message: { type: 'message', user: MEMBER, text: 'gone already', ts: msg.ts, thread_ts: parentTs },
    });
    const told = await waitFor(() => rig.slack.ephemerals().find((e) => e.user === MEMBER && /already been emailed/.test(e.text)));
    expect(told.thread_ts).toBe(parentTs);
    await sleep(300);
    expect(rig.smtp.messages).toHaveLength(1);
  });
});

describe('files and limits', () => {
  it('attaches files shared in the reply with their names, types and bytes', async () => {
    const parentTs = await conversation();
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const file = rig.slack.addFile({ name: 'label.pdf', mimetype: 'application/pdf', content: bytes, user: MEMBER });
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'here is the label', thread_ts: parentTs, files: [file] });
    await rig.event(port, threadReply({ threadTs: parentTs, text: 'here is the label', ts: msg.ts, files: [file] }));
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    const att = sent!.parsed.attachments.find((a) => a.filename === 'label.pdf');
    expect(att?.contentType).toBe('application/pdf');
    expect(att?.content.equals(bytes)).toBe(true);
  });

  it('holds a reply to a recipient who already got the hourly maximum, with ⚠️ and a note', async () => {
    const parentTs = await conversation('Loop <loop@customer.example>');
    for (const text of ['one', 'two']) {
      const m = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text, thread_ts: parentTs });
      await rig.event(port, threadReply({ threadTs: parentTs, text, ts: m.ts }));
    }
    await rig.smtp.waitForMessages(2, 10_000);
    const third = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'three', thread_ts: parentTs });
    await rig.event(port, threadReply({ threadTs: parentTs, text: 'three', ts: third.ts }));
    await waitFor(() => reactions(parentTs, third.ts).includes('warning'), { timeoutMs: 10_000 });
    await waitFor(() => rig.slack.threadOf(CHANNEL, parentTs).find((m) => /mail-loop guard/.test(m.text)));
    expect(rig.smtp.messages).toHaveLength(2);
  });
});
