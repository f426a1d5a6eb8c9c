// Scheduled send against the real app: "Send at" in the Reply and Compose modals stores the email
// with its time; the thread shows "⏳ Scheduled for …" with a Cancel button; it goes out exactly
// once at its time with the headers, receipt and Sent copy of any reply — also across a restart
// that spans its time (said late when it is) — and Cancel or deleting its message cancels it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Blocks, Fields, Views } from '../../../src/slack/ui/ids.ts';
import { closeDb, createStore, openDb } from '../../../src/store/index.ts';
import { CHANNEL, MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { blockActions, messageEvent } from '../../support/slack-requests.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { blocksText, interact, postedConversation, submit } from '../actions/actions-rig.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start({ MAILROOM_MEMBERS: MEMBER }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

const text = (value: string | null) => ({ type: 'plain_text_input', value });
const at = (ms: number | null) => ({ type: 'datetimepicker', selected_date_time: ms === null ? null : Math.floor(ms / 1000) });

function replyValues(body: string, sendAt: number | null) {
  return {
    [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: '1:0' } } },
    [Fields.to.block]: { [Fields.to.action]: text(null) },
    [Fields.cc.block]: { [Fields.cc.action]: text(null) },
    [Fields.bcc.block]: { [Fields.bcc.action]: text(null) },
    [Fields.body.block]: { [Fields.body.action]: text(body) },
    [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [] } },
    [Fields.sendAt.block]: { [Fields.sendAt.action]: at(sendAt) },
    [Fields.remind.block]: { [Fields.remind.action]: { type: 'static_select', selected_option: null } },
  };
}

async function scheduleReply(c: { id: number; parentTs: string }, body: string, sendAt: number) {
  const res = await submit(port, { callbackId: Views.reply, user: MEMBER, values: replyValues(body, sendAt), privateMetadata: JSON.stringify({ conversationNumber: c.id, bodyRevision: 0 }) });
  expect(res.body).toBe('');
  const shown = await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => blocksText(m).includes(body)));
  return shown;
}
const message = (parentTs: string, ts: string) => rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.ts === ts)!;
const sentWith = (body: string) => rig.smtp.messages.filter((m) => (m.parsed.text ?? '').includes(body));

describe('scheduled send', () => {
  it('shows it scheduled with Cancel, sends it once at its time like any reply, then drops the button', async () => {
    const c = await postedConversation(rig, app);
    const due = Date.now() + 4_000;
    const shown = await scheduleReply(c, 'Scheduled hello', due);
    const blocks = blocksText(shown);
    expect(blocks).toContain(`:hourglass_flowing_sand: Scheduled for <!date^${Math.floor(due / 1000)}^`);
    expect(blocks).toContain(Actions.cancelScheduled);
    const row = app.store.outbox.bySlackMessage(CHANNEL, shown.ts)!;
    expect(row.status).toBe('scheduled');

    await sleep(2_000);
    expect(sentWith('Scheduled hello')).toHaveLength(0);
    const [sent] = await rig.smtp.waitForMessages(1, 8_000);
    expect(Date.now()).toBeGreaterThanOrEqual(due - 1_000);
    expect(sent!.parsed.inReplyTo).toBe(`<${c.messageId}>`);
    expect(sent!.parsed.subject).toMatch(/^Re: /);
    expect(sent!.parsed.messageId).toBe(`<${row.messageId}>`);
    expect(sent!.parsed.date!.getTime()).toBeGreaterThanOrEqual(due - 1_000);
    await waitFor(() => (message(c.parentTs, shown.ts).reactions ?? []).some((r) => r.name === 'white_check_mark'), { description: '✅ on it' });
    await waitFor(() => blocksText(message(c.parentTs, shown.ts)).includes('Sent at its scheduled time'));
    expect(blocksText(message(c.parentTs, shown.ts))).not.toContain(Actions.cancelScheduled);
    await sleep(1_000);
    expect(sentWith('Scheduled hello')).toHaveLength(1);
    expect(app.store.conversations.byId(c.id)?.status).toBe('pending');
  });

  it('is cancelled by its Cancel button, and by deleting its message', async () => {
    const c = await postedConversation(rig, app);
    const a = await scheduleReply(c, 'Cancel me', Date.now() + 3_000);
    await interact(port, blockActions({ actionId: Actions.cancelScheduled, user: MEMBER, value: String(app.store.outbox.bySlackMessage(CHANNEL, a.ts)!.id), channel: CHANNEL, message: { type: 'message', ts: a.ts, thread_ts: c.parentTs } }));
    await waitFor(() => blocksText(message(c.parentTs, a.ts)).includes(`Cancelled by <@${MEMBER}>: not sent.`));
    expect(blocksText(message(c.parentTs, a.ts))).not.toContain(Blocks.scheduledActions);

    const b = await scheduleReply(c, 'Delete me', Date.now() + 3_000);
    const previous = message(c.parentTs, b.ts);
    // A workspace admin deletes the bot's message: Slack sends message_deleted with it as previous_message.
    await rig.event(port, { ...messageEvent({ channel: CHANNEL, user: MEMBER, text: '' }), subtype: 'message_deleted', deleted_ts: b.ts, previous_message: previous, hidden: true });
    await waitFor(() => app.store.outbox.bySlackMessage(CHANNEL, b.ts)?.status === 'cancelled');
    await sleep(4_000);
    expect(sentWith('Cancel me')).toHaveLength(0);
    expect(sentWith('Delete me')).toHaveLength(0);
  });

  it('goes out once at start when its time passed while Mailroom was stopped, with a note saying it is late', async () => {
    const c = await postedConversation(rig, app);
    const shown = await scheduleReply(c, 'Across the stop', Date.now() + 3_000);
    const row = app.store.outbox.bySlackMessage(CHANNEL, shown.ts)!;
    await app.stop();
    // Stopped for longer than its time: as if it had been due five minutes ago.
    const fiveMinutesAgo = Date.now() - 5 * 60_000;
    const file = openDb(rig.config().databasePath);
    const db = createStore(file);
    expect(db.timers.ofOutbox(row.id)?.status).toBe('waiting');
    db.timers.set({ kind: 'send', conversationId: c.id, refId: row.id }, fiveMinutesAgo);
    closeDb(file);
    ({ app, port } = await rig.start({ MAILROOM_MEMBERS: MEMBER }));
    await rig.smtp.waitForMessages(1, 8_000);
    await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).some((m) => blocksText(m).includes('while Mailroom was stopped: it goes out now, late.')));
    await sleep(1_500);
    expect(sentWith('Across the stop')).toHaveLength(1);
  });

  it('schedules a composed email: the conversation starts now, the email goes at its time', async () => {
    const due = Date.now() + 3_000;
    const values = {
      [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: '1:0' } } },
      [Fields.to.block]: { [Fields.to.action]: text('dora@customer.example') },
      [Fields.toContacts.block]: { [Fields.toContacts.action]: { type: 'multi_external_select', selected_options: [] } },
      [Fields.cc.block]: { [Fields.cc.action]: text(null) },
      [Fields.bcc.block]: { [Fields.bcc.action]: text(null) },
      [Fields.subject.block]: { [Fields.subject.action]: text('Your renewal') },
      [Fields.body.block]: { [Fields.body.action]: text('Composed for later') },
      [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [] } },
      [Fields.sendAt.block]: { [Fields.sendAt.action]: at(due) },
    };
    const res = await submit(port, { callbackId: Views.compose, user: MEMBER, values, privateMetadata: JSON.stringify({ bodyRevision: 0, channelId: CHANNEL }) });
    expect(res.body).toBe('');
    await waitFor(() => rig.slack.messagesIn(CHANNEL).some((m) => blocksText(m).includes('Your renewal')));
    await sleep(1_000);
    expect(sentWith('Composed for later')).toHaveLength(0);
    const [sent] = await rig.smtp.waitForMessages(1, 8_000);
    expect(sent!.parsed.subject).toBe('Your renewal');
    expect(Date.now()).toBeGreaterThanOrEqual(due - 1_000);
  });

  it('refuses a Send at in the past', async () => {
    const c = await postedConversation(rig, app);
    const res = await submit(port, { callbackId: Views.reply, user: MEMBER, values: replyValues('Too late', Date.now() - 3_600_000), privateMetadata: JSON.stringify({ conversationNumber: c.id, bodyRevision: 0 }) });
    expect(JSON.parse(res.body).errors[Fields.sendAt.block]).toContain('That time has passed');
  });
});
