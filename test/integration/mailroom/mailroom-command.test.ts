// `/mailroom help|mine|stats|templates` and the App Home, through the real receiver with signed
// requests; answers read from the fake Slack (response_url, views) and the store.
import type { EventType } from '../../../src/core/event-types.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, Views } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, startRig, type Rig } from '../../helpers/mailroom.ts';
import { blockActions, sendCommand, sendEvent, sendInteraction, slashCommand, viewSubmission } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let url: string;
const OUTSIDER = 'U0OUTSIDE1';
const UA = 'U0AAAAAAA1';
const UB = 'U0BBBBBBB2';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  app = rig.build();
  url = `http://127.0.0.1:${(await app.start()).port!}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

let n = 0;
/** Sends /mailroom and returns what the app answered on the command's response_url. */
async function mailroom(text: string, user = MEMBER, channel = CHANNEL) {
  const name = await sendMailroom(text, user, channel);
  return waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === name)?.args);
}

async function sendMailroom(text: string, user = MEMBER, channel = CHANNEL) {
  const name = `mailroom-${++n}`;
  const res = await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/mailroom', text, user, channel, responseUrl: rig.slack.responseUrl(name) }));
  expect(res.status).toBe(200);
  return name;
}

const json = (x: unknown) => JSON.stringify(x);

function conversation(o: { subject: string; contact: string; status: 'open' | 'pending' | 'closed'; assignee?: string | null }) {
  const { store } = app;
  const contact = store.contacts.upsert(o.contact, o.contact.split('@')[0]!.replace(/^./, (c) => c.toUpperCase())).contact;
  const c = store.conversations.create({ inboxId: 1, contactId: contact.id, subject: o.subject, channelId: CHANNEL, ourAddress: 'support@example.com', assigneeUserId: o.assignee ?? null });
  if (o.status !== 'open') store.conversations.setStatus(c.id, o.status);
  return c.id;
}

describe('/mailroom help', () => {
  it('lists every command under its configured name, privately; an unknown word gets the help too', async () => {
    const help = await mailroom('');
    expect(help.response_type).toBe('ephemeral');
    const text = json(help.blocks);
    for (const cmd of ['/compose', '/assign', '/close', '/mailroom mine', '/mailroom stats [7d|30d]', '/mailroom templates']) expect(text).toContain(cmd);
    const unknown = await mailroom('frobnicate');
    expect(unknown.text).toMatch(/^I don't know `frobnicate`\./);
    expect(json(unknown.blocks)).toContain('/mailroom templates');
  });
});

describe('/mailroom stats and mine, App Home', () => {
  let pendingMine: number;
  beforeAll(() => {
    const now = Date.now();
    const ev = (at: number, type: EventType, conversationId: number, actorUserId: string | null = null, data: Record<string, unknown> = {}) =>
      app.store.events.record({ at, type, inboxId: 1, conversationId, actorUserId, data });
    // Conversation ids far from the real ones: the log is about conversations, not rows.
    const t1 = now - 3 * DAY;
    ev(t1, 'conversation.created', 901, null, { origin: 'email' });
    ev(t1 + 30 * MIN, 'reply.sent', 901, UA, { kind: 'reply' });
    ev(t1 + 2 * HOUR, 'reply.sent', 901, UB, { kind: 'reply' });
    ev(now - 2 * DAY, 'conversation.closed', 901, UA, { resolution: 'resolved' });
    const t2 = now - 2 * DAY;
    ev(t2, 'conversation.created', 902);
    ev(t2 + 2 * HOUR, 'reply.sent', 902, UB, { kind: 'reply' });
    const t3 = now - DAY;
    ev(t3, 'conversation.created', 903, null, { origin: 'email' });
    ev(t3 + 10 * MIN, 'conversation.closed', 903, UA, { resolution: 'spam' });
    ev(now - 10 * DAY, 'conversation.created', 904, null, { origin: 'email' }); // before the 7-day window
    ev(now - DAY, 'reply.sent', 904, UA, { kind: 'reply' });
    ev(now - 5 * HOUR, 'conversation.created', 905, UB, { origin: 'compose' });
    ev(now - 5 * HOUR, 'reply.sent', 905, UB, { kind: 'compose' });
    ev(now - HOUR, 'conversation.created', 906, null, { origin: 'email' });
    // The backlog as it is now: one open unassigned, one pending of mine, one closed of mine.
    conversation({ subject: 'Unassigned question', contact: 'dora@customer.example', status: 'open' });
    pendingMine = conversation({ subject: 'Waiting on Erik', contact: 'erik@customer.example', status: 'pending', assignee: MEMBER });
    conversation({ subject: 'Done already', contact: 'finn@customer.example', status: 'closed', assignee: MEMBER });
  });

  it('/mailroom stats: the figures of the last 7 days, worked out by hand', async () => {
    const r = await mailroom('stats');
    expect(r.response_type).toBe('ephemeral');
    const text = json(r.blocks);
    // Received: 901, 902, 903, 906 (904 began before the window; 905 was composed by us).
    expect(text).toContain('*Received*\\n4');
    // Replied: 901, 902, 904, 905 — five emails in all.
    expect(text).toContain('*Replied*\\n4 (5 emails sent)');
    expect(text).toContain('*Closed*\\n2');
    // First responses: 30 min (901) and 2 h (902); median 75 min, p90 (nearest rank 2 of 2) 2 h.
    expect(text).toContain('median 1h 15m · p90 2h');
    expect(text).toContain('2 conversations timed; 2 without reply');
    expect(text).toContain('1 open · 1 pending · 1 unassigned');
    // UA: replies in 901 and 904, closed 901 and 903; UB: replies in 901, 902, 905.
    expect(text).toContain(`<@${UA}>: 2 replies, 2 closes`);
    expect(text).toContain(`<@${UB}>: 3 replies, 0 closes`);
    expect(text.indexOf(`<@${UA}>`)).toBeLessThan(text.indexOf(`<@${UB}>`));
  });

  it('/mailroom stats 30d takes the older conversation in', async () => {
    const r = await mailroom('stats 30d');
    const text = json(r.blocks);
    expect(text).toContain('last 30 days');
    expect(text).toContain('*Received*\\n5');
    // 904 was first answered 9 days after it began: durations 30 min, 2 h, 9 d.
    expect(text).toContain('median 2h · p90 9d');
    const bad = await mailroom('stats forever');
    expect(bad.text).toMatch(/I read periods like `7d`/);
  });

  it('/mailroom mine lists my open and pending conversations only', async () => {
    const r = await mailroom('mine');
    const text = json(r.blocks);
    expect(text).toContain(`#${pendingMine} Waiting on Erik`);
    expect(text).toContain('Acme Support');
    expect(text).not.toContain('Done already');
    expect(text).not.toContain('Unassigned question');
    const other = await mailroom('mine', UA);
    expect(other.text).toBe('You have no open conversations.');
  });

  it('publishes the App Home with my conversations and the stats, and switches the period', async () => {
    const res = await sendEvent(url, SIGNING_SECRET, { type: 'app_home_opened', user: MEMBER, channel: 'D0MEMBER01', tab: 'home' });
    expect(res.status).toBe(200);
    const first = await waitFor(() => rig.slack.calls('views.publish').find((c) => c.args.user_id === MEMBER));
    const home = json(first.args.view);
    expect(home).toContain('Your open conversations (1)');
    expect(home).toContain('Waiting on Erik');
    expect(home).toContain('Stats · Last 7 days');
    expect(home).toContain('*Received*\\n4');

    const published = rig.slack.calls('views.publish').length;
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.homeStatsWindow, user: MEMBER, action: { type: 'static_select', selected_option: { value: '30d', text: { type: 'plain_text', text: 'Last 30 days' } } } }));
    const second = await waitFor(() => rig.slack.calls('views.publish')[published]);
    expect(json(second.args.view)).toContain('Stats · Last 30 days');
    expect(json(second.args.view)).toContain('*Received*\\n5');
    const home30 = rig.slack.views().find((v) => v.kind === 'home' && v.user_id === MEMBER)!;
    expect(json(home30.blocks)).toContain('Stats · Last 30 days');

    // Refresh keeps the period its button carries; a conversation assigned meanwhile shows up.
    conversation({ subject: 'Fresh one', contact: 'gina@customer.example', status: 'open', assignee: MEMBER });
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.homeRefresh, user: MEMBER, value: '24h' }));
    const third = await waitFor(() => rig.slack.calls('views.publish')[published + 1]);
    expect(json(third.args.view)).toContain('Stats · Last 24 hours');
    expect(json(third.args.view)).toContain('Your open conversations (2)');
    expect(json(third.args.view)).toContain('*Received*\\n1');
  });
});

describe('/mailroom templates', () => {
  const openedList = () => rig.slack.calls('views.open').filter((c) => (c.args.view as { callback_id?: string }).callback_id === Views.templatesList);

  async function submitEdit(view: { id: string; private_metadata?: string }, listId: string, values: { name?: string; body?: string; remove?: boolean }) {
    const payload = viewSubmission({
      callbackId: Views.templateEdit,
      user: MEMBER,
      viewId: view.id,
      privateMetadata: view.private_metadata ?? '',
      values: {
        [Fields.templateName.block]: { [Fields.templateName.action]: { type: 'plain_text_input', value: values.name ?? null } },
        [Fields.templateBody.block]: { [Fields.templateBody.action]: { type: 'plain_text_input', value: values.body ?? null } },
        ...(values.remove ? { [Fields.templateDelete.block]: { [Fields.templateDelete.action]: { type: 'checkboxes', selected_options: [{ value: 'delete' }] } } } : {}),
      },
    });
    (payload.view as Record<string, unknown>).previous_view_id = listId;
    return sendInteraction(url, SIGNING_SECRET, payload);
  }

  it('adds, edits and deletes a template, redrawing the list each time', async () => {
    const name = await sendMailroom('templates');
    const opened = await waitFor(() => openedList()[0]);
    expect(rig.slack.calls('response_url').filter((c) => c.args.response_url_name === name)).toEqual([]);
    const list = (opened.response as { view: { id: string } }).view;
    expect(json(opened.args.view)).toContain('No templates yet');
    expect(json(opened.args.view)).toContain('{{first_name}}');

    // Add: the edit modal is pushed on top of the list.
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.templateAdd, user: MEMBER, value: '1', view: { id: list.id } }));
    const pushed = await waitFor(() => rig.slack.calls('views.push').at(-1));
    const editor = (pushed.response as { view: { id: string; private_metadata: string } }).view;
    expect((pushed.args.view as { callback_id: string }).callback_id).toBe(Views.templateEdit);

    const empty = await submitEdit(editor, list.id, { name: '  ', body: 'x' });
    expect(JSON.parse(empty.body)).toEqual({ response_action: 'errors', errors: { [Fields.templateName.block]: 'Give the template a name.' } });

    const saved = await submitEdit(editor, list.id, { name: 'Refund', body: 'Hi {{first_name}}, your refund for #{{conversation_number}} is on its way.' });
    expect(saved.body).toBe('');
    const [t] = app.store.templates.list(1);
    expect(t).toMatchObject({ name: 'Refund', updatedBy: MEMBER, body: 'Hi {{first_name}}, your refund for #{{conversation_number}} is on its way.' });
    const redrawn = await waitFor(() => rig.slack.calls('views.update').find((c) => c.args.view_id === list.id && json(c.args.view).includes('Refund')));
    expect(json(redrawn.args.view)).toContain('your refund for');

    // A second one may not take the same name, whatever the case.
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.templateAdd, user: MEMBER, value: '1', view: { id: list.id } }));
    const second = ((await waitFor(() => rig.slack.calls('views.push')[1])).response as { view: { id: string; private_metadata: string } }).view;
    const clash = await submitEdit(second, list.id, { name: 'refund', body: 'other' });
    expect(JSON.parse(clash.body).errors[Fields.templateName.block]).toBe('This inbox already has a template called "refund".');

    // Edit: the editor shows the template; the new name and text are saved.
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.templateEdit, user: MEMBER, value: String(t!.id), view: { id: list.id } }));
    const editPush = await waitFor(() => rig.slack.calls('views.push')[2]);
    expect(json(editPush.args.view)).toContain('your refund for');
    const editView = (editPush.response as { view: { id: string; private_metadata: string } }).view;
    await submitEdit(editView, list.id, { name: 'Refund sent', body: 'Hello {{first_name}}' });
    expect(app.store.templates.byId(t!.id)).toMatchObject({ name: 'Refund sent', body: 'Hello {{first_name}}' });

    // Delete.
    await submitEdit(editView, list.id, { name: 'Refund sent', body: 'Hello {{first_name}}', remove: true });
    expect(app.store.templates.list(1)).toEqual([]);
    const last = rig.slack.calls('views.update').filter((c) => c.args.view_id === list.id).at(-1)!;
    expect(json(last.args.view)).toContain('No templates yet');
  });

  it('refuses someone who is not a member of the inbox, privately', async () => {
    const opened = openedList().length;
    const r = await mailroom('templates', OUTSIDER);
    expect(r.response_type).toBe('ephemeral');
    expect(r.text).toBe('Only members of the *Acme Support* inbox can manage its templates. Ask a member, or an admin to add you to the inbox.');
    expect(openedList()).toHaveLength(opened);
    // A forged submission is refused too, and nothing is stored.
    const forged = viewSubmission({
      callbackId: Views.templateEdit,
      user: OUTSIDER,
      privateMetadata: JSON.stringify({ inboxId: 1 }),
      values: {
        [Fields.templateName.block]: { [Fields.templateName.action]: { type: 'plain_text_input', value: 'Sneaky' } },
        [Fields.templateBody.block]: { [Fields.templateBody.action]: { type: 'plain_text_input', value: 'x' } },
      },
    });
    const res = await sendInteraction(url, SIGNING_SECRET, forged);
    expect(JSON.parse(res.body).errors[Fields.templateName.block]).toMatch(/^Only members of the \*Acme Support\* inbox/);
    expect(app.store.templates.list(1).map((t) => t.name)).not.toContain('Sneaky');
  });
});
