// Snooze and waiting, and follow-up reminders, against the real app: a snoozed conversation wakes
// by itself and when the customer writes (a note mentions the assignee, the SLA clock resumes);
// waiting on the customer goes back to open when they write and can close by itself; a reminder
// fires only without a customer reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, OverflowChoices, Shortcuts, Views, overflowValue } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { sendCommand, slashCommand } from '../../support/slack-requests.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { blocksText, interact, latestView, parentAction, parentOf, postedConversation, shortcutOn, submit } from '../actions/actions-rig.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;
const ENV = { MAILROOM_MEMBERS: MEMBER, MAILROOM_ASSIGN: 'round-robin', MAILROOM_SLA_FIRST_RESPONSE: '1h', MAILROOM_AUTO_CLOSE_WAITING_AFTER: '3s', MAILROOM_TIMEZONE: 'Europe/Madrid' };

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start(ENV));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

let n = 0;
async function mailroom(text: string, user = MEMBER) {
  const name = `time-${++n}`;
  await sendCommand(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, slashCommand({ command: '/mailroom', text, user, channel: CHANNEL, responseUrl: rig.slack.responseUrl(name) }));
  return waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === name)?.args as { text: string });
}
const noteText = (parentTs: string) => rig.slack.threadOf(CHANNEL, parentTs).filter((m) => m.metadata?.event_type === 'mailroom_note').map(blocksText).join('\n');
const status = (id: number) => app.store.conversations.byId(id)?.status;

async function customerWrites(c: { messageId: string }, body: string) {
  await rig.deliver(email({ messageId: `<again-${++n}-${Date.now()}@customer.example>`, inReplyTo: `<${c.messageId}>`, subject: 'Re: it', body }));
}

describe('snooze', () => {
  it('/mailroom snooze #N 3s puts it away (the clock pauses, the parent says until when), and it wakes by itself', async () => {
    const c = await postedConversation(rig, app);
    await waitFor(() => app.store.slaClocks.current(c.id)?.runningSince);
    const said = await mailroom(`snooze #${c.id} 3s`);
    expect(said.text).toContain(`#${c.id} is snoozed until <!date^`);
    expect(status(c.id)).toBe('snoozed');
    expect(app.store.slaClocks.current(c.id)).toMatchObject({ runningSince: null, dueAt: null });
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes(':zzz: Snoozed until <!date^'), { description: 'the parent says snoozed until' });
    await waitFor(() => noteText(c.parentTs).includes(':zzz: Snoozed until'));

    await waitFor(() => status(c.id) === 'open', { timeoutMs: 8_000, description: 'it wakes by itself' });
    await waitFor(() => noteText(c.parentTs).includes(`:alarm_clock: Back from snooze. <@${MEMBER}>, this is yours.`));
    expect(app.store.slaClocks.current(c.id)?.runningSince).not.toBeNull();
    await waitFor(() => !blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes('Snoozed'));
  });

  it('wakes at once when the customer writes, from a snooze set in the modal from the ⋯ menu', async () => {
    const c = await postedConversation(rig, app);
    await interact(port, parentAction({ actionId: Actions.overflow, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.snooze, c.id) } } }));
    const view = await waitFor(() => latestView(rig, Views.snooze));
    expect(blocksText(view)).toContain("the inbox's time zone (Europe/Madrid)");
    const res = await submit(port, { callbackId: Views.snooze, user: MEMBER, privateMetadata: view.private_metadata, values: { [Fields.snoozeWhen.block]: { [Fields.snoozeWhen.action]: { type: 'radio_buttons', selected_option: { value: 'tomorrow' } } }, [Fields.snoozeAt.block]: { [Fields.snoozeAt.action]: { type: 'datetimepicker', selected_date_time: null } } } });
    expect(res.body).toBe('');
    const until = app.store.conversations.byId(c.id)!.snoozedUntil!;
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' }).format(until)).toBe('09:00');
    expect(until - Date.now()).toBeLessThan(34 * 3_600_000);

    await customerWrites(c, 'Any news?');
    await waitFor(() => status(c.id) === 'open', { timeoutMs: 10_000 });
    await waitFor(() => noteText(c.parentTs).includes(':alarm_clock: Back from snooze: the customer wrote.'));
    expect(app.store.timers.waitingFor(c.id, ['snooze-wake'])).toEqual([]);
  });

  it('refuses a date and time in the past in the modal, and unsnoozes from the shortcut-opened modal and the command', async () => {
    const c = await postedConversation(rig, app);
    await interact(port, shortcutOn({ callbackId: Shortcuts.snooze, user: MEMBER, ts: c.emailTs, threadTs: c.parentTs }));
    const view = await waitFor(() => latestView(rig, Views.snooze));
    const res = await submit(port, { callbackId: Views.snooze, user: MEMBER, privateMetadata: view.private_metadata, values: { [Fields.snoozeWhen.block]: { [Fields.snoozeWhen.action]: { type: 'radio_buttons', selected_option: { value: 'at' } } }, [Fields.snoozeAt.block]: { [Fields.snoozeAt.action]: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) - 3600 } } } });
    expect(JSON.parse(res.body).errors[Fields.snoozeAt.block]).toContain('already passed');
    expect(status(c.id)).toBe('open');
    expect((await mailroom(`snooze #${c.id} monday 10:00`)).text).toContain('snoozed until');
    expect((await mailroom(`unsnooze #${c.id}`)).text).toBe(`#${c.id} is back from snooze.`);
    expect(status(c.id)).toBe('open');
    expect((await mailroom(`snooze #${c.id} someday`)).text).toContain("I can't read");
    expect((await mailroom('snooze 2h')).text).toContain('Which conversation?');
  });
});

describe('waiting on the customer', () => {
  it('goes back to open when the customer writes, and closes by itself after autoCloseWaitingAfter with a note', async () => {
    const a = await postedConversation(rig, app);
    expect((await mailroom(`wait #${a.id}`)).text).toContain('waiting on the customer');
    expect(status(a.id)).toBe('pending');
    await customerWrites(a, 'Here is the tracking number.');
    await waitFor(() => status(a.id) === 'open', { timeoutMs: 10_000 });

    const b = await postedConversation(rig, app);
    await mailroom(`wait #${b.id}`);
    await waitFor(() => status(b.id) === 'closed', { timeoutMs: 8_000, description: 'auto-closed' });
    await waitFor(() => noteText(b.parentTs).includes('Closed automatically: no answer from the customer for 3s'));
    // The one that went back to open was not closed.
    expect(status(a.id)).toBe('open');
  });
});

describe('follow-up reminders', () => {
  it('fires only if the customer has not written since, mentioning whoever asked', async () => {
    const quiet = await postedConversation(rig, app);
    const answered = await postedConversation(rig, app);
    expect((await mailroom(`remind #${quiet.id} 3s`)).text).toContain("I'll remind you");
    await mailroom(`remind #${answered.id} 3s`);
    await customerWrites(answered, 'Never mind, found it.');
    await waitFor(() => app.store.messages.ofConversation(answered.id).filter((m) => m.direction === 'in').length === 2, { timeoutMs: 10_000 });
    await waitFor(() => noteText(quiet.parentTs).includes(`:bell: <@${MEMBER}>, your reminder`), { timeoutMs: 8_000 });
    await sleep(1_000);
    expect(noteText(answered.parentTs)).not.toContain('your reminder');
    expect(noteText(quiet.parentTs).match(/your reminder/g)).toHaveLength(1);
  });
});
