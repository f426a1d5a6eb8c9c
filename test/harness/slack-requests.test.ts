import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo, Server } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { startFakeSlack } from '../support/fake-slack.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import {
  blockActions,
  messageAction,
  messageEvent,
  sendCommand,
  sendEvent,
  sendInteraction,
  slackSignature,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests.ts';

const secret = 'test-signing-secret';
let slack: FakeSlack;
let app: App;
let url: string;
let channel: string;
let alice: string;
const retryNums: (number | undefined)[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  alice = slack.addUser({ name: 'alice' }).id;
  channel = slack.addChannel({ name: 'support', members: [alice] }).id;
  app = new App({
    token: slack.token,
    signingSecret: secret,
    processBeforeResponse: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
  });
  app.message(async ({ message, client, context }) => {
    if (message.subtype !== undefined || !('text' in message)) return;
    retryNums.push(context.retryNum);
    await client.chat.postMessage({ channel: message.channel, thread_ts: message.thread_ts ?? message.ts, text: `echo ${message.text}` });
  });
  app.command('/mailroom', async ({ ack, respond, command }) => {
    await ack(`got ${command.text}`);
    await respond({ text: 'later', response_type: 'ephemeral' });
  });
  app.action('assign', async ({ ack, body, client }) => {
    await ack();
    const trigger = (body as { trigger_id: string }).trigger_id;
    await client.views.open({ trigger_id: trigger, view: { type: 'modal', callback_id: 'assign_modal', title: { type: 'plain_text', text: 'Assign' }, blocks: [] } });
  });
  app.view('assign_modal', async ({ ack, view }) => {
    const who = view.state.values.who?.pick?.selected_user;
    await ack(who ? undefined : { response_action: 'errors', errors: { who: 'Pick someone' } });
  });
  app.shortcut('open_as_email', async ({ ack, shortcut }) => {
    await ack();
    retryNums.push(shortcut.type === 'message_action' ? -1 : -2);
  });
  const server = (await app.start(0)) as Server;
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await slack?.stop();
});

describe('signed Slack requests against a real Bolt app', () => {
  it('delivers a thread reply event that the app answers in the thread', async () => {
    const parent = slack.postAsUser(channel, { user: alice, text: 'parent' });
    const event = messageEvent({ channel, user: alice, text: 'hello', thread_ts: parent.ts });
    const res = await sendEvent(url, secret, event, { eventId: 'Ev0001', retryNum: 1 });
    expect(res.status).toBe(200);
    const thread = slack.threadOf(channel, parent.ts);
    expect(thread.map((m) => m.text)).toEqual(['parent', 'echo hello']);
    expect(retryNums).toContain(1);
  });

  it('refuses a bad signature and a stale timestamp', async () => {
    const event = messageEvent({ channel, user: alice, text: 'forged' });
    const before = slack.calls('chat.postMessage').length;
    expect((await sendEvent(url, secret, event, { signature: slackSignature('wrong-secret', Math.floor(Date.now() / 1000), '{}') })).status).toBe(401);
    expect((await sendEvent(url, secret, event, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect((await sendEvent(url, 'another-secret', event)).status).toBe(401);
    expect(slack.calls('chat.postMessage').length).toBe(before);
  });

  it('sends a slash command whose ack is the response body and respond() reaches response_url', async () => {
    const responseUrl = slack.responseUrl('cmd');
    const res = await sendCommand(url, secret, slashCommand({ command: '/mailroom', text: 'status', user: alice, channel, responseUrl }));
    expect(res.status).toBe(200);
    expect(res.body).toContain('got status');
    const call = await slack.waitForCall('response_url', (c) => c.args.response_url_name === 'cmd');
    expect(call.args).toMatchObject({ text: 'later', response_type: 'ephemeral' });
  });

  it('sends block_actions whose fresh trigger opens a modal, and view_submission answers', async () => {
    const posted = slack.postAsUser(channel, { user: alice, text: 'card' });
    const res = await sendInteraction(url, secret, blockActions({ actionId: 'assign', user: alice, channel, message: { ...posted } }));
    expect(res.status).toBe(200);
    expect(slack.calls('views.open').at(-1)?.status).toBe(200);
    expect(slack.views().some((v) => v.callback_id === 'assign_modal')).toBe(true);

    const invalid = await sendInteraction(url, secret, viewSubmission({ callbackId: 'assign_modal', user: alice, values: {} }));
    expect(JSON.parse(invalid.body)).toEqual({ response_action: 'errors', errors: { who: 'Pick someone' } });
    const valid = await sendInteraction(url, secret, viewSubmission({ callbackId: 'assign_modal', user: alice, values: { who: { pick: { type: 'users_select', selected_user: alice } } } }));
    expect(valid.status).toBe(200);
    expect(valid.body).toBe('');
  });

  it('sends a message shortcut', async () => {
    const posted = slack.postAsUser(channel, { user: alice, text: 'forward me' });
    const res = await sendInteraction(url, secret, messageAction({ callbackId: 'open_as_email', user: alice, channel, message: { ...posted } }));
    expect(res.status).toBe(200);
    expect(retryNums).toContain(-1);
  });
});
