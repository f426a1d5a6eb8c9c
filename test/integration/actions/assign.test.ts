// Assigning from Slack: the parent's users select, the /assign modal with its conversation
// picker, and who may do it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, Views } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import {
  blocksText, command, dmsTo, fieldErrors, interact, latestView, optionsRequest, parentAction, parentOf, postedConversation, submit,
} from './actions-rig.ts';

const BOB = 'U0BOB00001';
const OUTSIDER = 'U0OUTSIDE1';
const OTHER_BOT = 'U0OTHERBOT';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: BOB, name: 'bob', real_name: 'Bob Baker' });
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  rig.slack.addUser({ id: OTHER_BOT, name: 'otherbot', is_bot: true });
  rig.slack.state.channels.get(CHANNEL)!.members.push(BOB, OUTSIDER, OTHER_BOT);
  // Members: Ana, Bob and the other bot; Olga is in the channel but not in the inbox.
  ({ app, port } = await rig.start({ MAILROOM_MEMBERS: [MEMBER, BOB, OTHER_BOT].join(',') }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

describe('the Assign select on the parent message', () => {
  it('assigns, redraws the parent, notes it in the thread and DMs the assignee a link', async () => {
    const c = await postedConversation(rig, app, { subject: 'Broken zipper' });
    const res = await interact(port, parentAction({ actionId: Actions.assignSelect, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'users_select', selected_user: BOB } }));
    expect(res.status).toBe(200);
    expect(app.store.conversations.byId(c.id)?.assigneeUserId).toBe(BOB);
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes(`Assigned to <@${BOB}>`));
    const note = await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => m.metadata?.event_type === 'mailroom_note' && blocksText(m).includes('Assigned to')));
    expect(blocksText(note)).toContain(`Assigned to <@${BOB}> by <@${MEMBER}>`);
    const [dm] = dmsTo(rig, BOB);
    expect(blocksText(dm)).toContain('Broken zipper');
    expect(blocksText(dm)).toContain(`<https://mailroom-test.slack.com/archives/${CHANNEL}/p${c.parentTs.replace('.', '')}|Open the conversation>`);
    expect(dm!.text).not.toContain('<@');
    const events = app.store.events.between(0, Date.now() + 1).filter((e) => e.type === 'conversation.assigned' && e.conversationId === c.id);
    expect(events).toEqual([expect.objectContaining({ actorUserId: MEMBER, data: expect.objectContaining({ assigneeUserId: BOB, automatic: false }) })]);
  });

  it('refuses privately a teammate who is not a member of the inbox, and puts the select back', async () => {
    const c = await postedConversation(rig, app);
    rig.slack.clearCalls();
    await interact(port, parentAction({ actionId: Actions.assignSelect, user: OUTSIDER, parentTs: c.parentTs, number: c.id, action: { type: 'users_select', selected_user: OUTSIDER } }));
    expect(app.store.conversations.byId(c.id)?.assigneeUserId).toBeNull();
    const told = rig.slack.ephemerals().find((e) => e.user === OUTSIDER);
    expect(told?.text).toMatch(/Only members of the \*Acme Support\* inbox can assign/);
    await rig.slack.waitForCall('chat.update', (call) => call.args.ts === c.parentTs);
    expect(dmsTo(rig, OUTSIDER)).toEqual([]);
  });

  it('will not give a conversation to a bot', async () => {
    const c = await postedConversation(rig, app);
    await interact(port, parentAction({ actionId: Actions.assignSelect, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'users_select', selected_user: OTHER_BOT } }));
    expect(app.store.conversations.byId(c.id)?.assigneeUserId).toBeNull();
    expect(rig.slack.ephemerals().some((e) => e.user === MEMBER && /only be assigned to people/.test(e.text))).toBe(true);
  });
});

describe('/assign', () => {
  it('opens a modal whose picker defaults to the newest open conversation of the channel', async () => {
    const older = await postedConversation(rig, app, { subject: 'Older one' });
    const newer = await postedConversation(rig, app, { subject: 'Newest one' });
    const res = await command(port, { command: '/assign', user: MEMBER, channel: CHANNEL });
    expect(res.status).toBe(200);
    const view = latestView(rig, Views.assign)!;
    const picker = (view.blocks as { block_id?: string; element?: { type: string; initial_option?: { value: string } } }[]).find((b) => b.block_id === Fields.conversation.block);
    expect(picker?.element?.type).toBe('external_select');
    expect(picker?.element?.initial_option?.value).toBe(String(newer.id));
    expect(older.id).toBeLessThan(newer.id);
  });

  it('serves picker options by number, subject or sender, newest first, only from inboxes the person is in', async () => {
    const a = await postedConversation(rig, app, { subject: 'Invoice copy please', from: 'Dora Diaz <dora@customer.example>' });
    const b = await postedConversation(rig, app, { subject: 'Second invoice question' });
    const req = (user: string, value: string) =>
      interact(port, optionsRequest({ user, value, actionId: Fields.conversation.action, blockId: Fields.conversation.block, callbackId: Views.assign, privateMetadata: JSON.stringify({ channelId: CHANNEL }) }));
    const values = async (user: string, value: string) => (JSON.parse((await req(user, value)).body) as { options: { value: string; text: { text: string } }[] }).options;
    expect((await values(MEMBER, 'invoice')).map((o) => o.value)).toEqual([String(b.id), String(a.id)]);
    expect((await values(MEMBER, 'dora')).map((o) => o.value)).toEqual([String(a.id)]);
    expect((await values(MEMBER, `#${b.id}`)).map((o) => o.value)).toEqual([String(b.id)]);
    expect((await values(MEMBER, 'invoice'))[0]!.text.text).toBe(`#${b.id} · Second invoice question · Carla Cliente`);
    expect(await values(OUTSIDER, 'invoice')).toEqual([]);
    app.store.conversations.setStatus(b.id, 'closed', 'resolved');
    expect((await values(MEMBER, 'invoice')).map((o) => o.value)).toEqual([String(a.id)]);
  });

  it('assigns on submit, and shows field errors for a missing or wrong choice', async () => {
    const c = await postedConversation(rig, app);
    const pick = { [Fields.conversation.block]: { [Fields.conversation.action]: { type: 'external_select', selected_option: { value: String(c.id), text: { type: 'plain_text', text: 'x' } } } } };
    const who = (u: string | null) => ({ [Fields.assignee.block]: { [Fields.assignee.action]: { type: 'users_select', selected_user: u } } });
    const noConversation = fieldErrors(await submit(port, { callbackId: Views.assign, user: MEMBER, values: { ...who(BOB) }, privateMetadata: '{}' }));
    expect(noConversation[Fields.conversation.block]).toBe('Choose a conversation.');
    const outsider = fieldErrors(await submit(port, { callbackId: Views.assign, user: MEMBER, values: { ...pick, ...who(OUTSIDER) }, privateMetadata: '{}' }));
    expect(outsider[Fields.assignee.block]).toBe('That person is not a member of the Acme Support inbox.');
    const notMember = fieldErrors(await submit(port, { callbackId: Views.assign, user: OUTSIDER, values: { ...pick, ...who(BOB) }, privateMetadata: '{}' }));
    expect(notMember[Fields.conversation.block]).toMatch(/Only members of the Acme Support inbox/);
    expect(app.store.conversations.byId(c.id)?.assigneeUserId).toBeNull();

    const ok = await submit(port, { callbackId: Views.assign, user: MEMBER, values: { ...pick, ...who(BOB) }, privateMetadata: '{}' });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('');
    expect(app.store.conversations.byId(c.id)?.assigneeUserId).toBe(BOB);
    await waitFor(() => dmsTo(rig, BOB).some((m) => blocksText(m).includes(`*#${c.id}*`)));
  });
});
