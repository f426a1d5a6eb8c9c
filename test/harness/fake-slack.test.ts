import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebClient, ErrorCode, LogLevel } from '@slack/web-api';
import { startFakeSlack } from '../support/fake-slack.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import { triggerId } from '../support/slack-requests.ts';

let slack: FakeSlack;
let client: WebClient;
let channel: string;
let alice: string;

beforeEach(async () => {
  slack = await startFakeSlack();
  client = new WebClient(slack.token, { logLevel: LogLevel.ERROR, slackApiUrl: slack.url, retryConfig: { retries: 0 }, timeout: 2000 });
  alice = slack.addUser({ name: 'alice', email: 'alice@example.org' }).id;
  channel = slack.addChannel({ name: 'support', members: [alice] }).id;
});
afterEach(async () => {
  await slack.stop();
});

describe('fake Slack Web API with the real WebClient', () => {
  it('identifies the bot and the workspace', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: slack.identity.botUserId, bot_id: slack.identity.botId, team_id: slack.identity.teamId });
    const user = await client.users.lookupByEmail({ email: 'ALICE@example.org' });
    expect(user.user?.id).toBe(alice);
    await expect(new WebClient('xoxb-wrong', { logLevel: LogLevel.ERROR, slackApiUrl: slack.url, retryConfig: { retries: 0 } }).auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'invalid_auth' },
    });
  });

  it('keeps threads, with metadata only when include_all_metadata is asked for', async () => {
    const parent = await client.chat.postMessage({
      channel,
      text: 'New email',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*New email*' } }],
      metadata: { event_type: 'mailroom_conversation', event_payload: { conversation_id: 42 } },
      unfurl_links: false,
    });
    const reply = await client.chat.postMessage({ channel, thread_ts: parent.ts!, text: 'A reply', username: 'Alice via email', icon_url: 'https://x.test/a.png' });
    const call = slack.calls('chat.postMessage')[0]!;
    expect((call.args.blocks as { type: string }[])[0]?.type).toBe('section'); // form body, JSON field parsed
    expect(call.args.metadata).toEqual({ event_type: 'mailroom_conversation', event_payload: { conversation_id: 42 } });

    const withMeta = await client.conversations.replies({ channel, ts: parent.ts!, include_all_metadata: true });
    expect(withMeta.messages?.map((m) => m.ts)).toEqual([parent.ts, reply.ts]);
    expect(withMeta.messages?.[0]?.metadata?.event_payload).toEqual({ conversation_id: 42 });
    expect(withMeta.messages?.[0]?.reply_count).toBe(1);
    expect((withMeta.messages?.[1] as { username?: string } | undefined)?.username).toBe('Alice via email');
    const without = await client.conversations.replies({ channel, ts: parent.ts! });
    expect(without.messages?.[0]?.metadata).toBeUndefined();
    expect(slack.threadOf(channel, parent.ts!).map((m) => m.text)).toEqual(['New email', 'A reply']);
    expect(slack.messagesIn(channel).map((m) => m.text)).toEqual(['New email']);
  });

  it('pages conversations.history newest first, honouring oldest and cursor', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1) ts.push((await client.chat.postMessage({ channel, text: `m${i}` })).ts!);
    expect(new Set(ts).size).toBe(5);
    expect([...ts].sort()).toEqual(ts);
    expect(ts[0]).toMatch(/^\d{10}\.\d{6}$/);
    const first = await client.conversations.history({ channel, limit: 2, oldest: ts[0] });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({ channel, limit: 2, oldest: ts[0], cursor: first.response_metadata?.next_cursor });
    expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    expect(second.has_more).toBe(false);
  });

  it('updates, deletes, reacts and refuses what Slack refuses', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'v1' });
    await client.chat.update({ channel, ts: posted.ts!, text: 'v2' });
    expect(slack.messagesIn(channel)[0]?.text).toBe('v2');
    await client.reactions.add({ channel, timestamp: posted.ts!, name: 'white_check_mark' });
    await expect(client.reactions.add({ channel, timestamp: posted.ts!, name: 'white_check_mark' })).rejects.toMatchObject({ data: { error: 'already_reacted' } });
    const got = await client.reactions.get({ channel, timestamp: posted.ts! });
    expect(got.message?.reactions).toEqual([{ name: 'white_check_mark', users: [slack.identity.botUserId], count: 1 }]);
    const human = slack.postAsUser(channel, { user: alice, text: 'hi' });
    await expect(client.chat.update({ channel, ts: human.ts, text: 'x' })).rejects.toMatchObject({ data: { error: 'cant_update_message' } });
    await client.chat.delete({ channel, ts: posted.ts! });
    expect(slack.messagesIn(channel).map((m) => m.text)).toEqual(['hi']);
    const outside = slack.addChannel({ name: 'elsewhere', botMember: false }).id;
    await expect(client.chat.postMessage({ channel: outside, text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await client.conversations.join({ channel: outside });
    await client.chat.postMessage({ channel: outside, text: 'x' });
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    await expect(client.chat.postMessage({ channel, text: 'x', blocks: tooLong })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    await expect(client.apiCall('nope.nothing')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    expect(slack.calls('nope.nothing')).toHaveLength(1);
  });

  it('opens DMs, ephemerals, permalinks, views and checks trigger age', async () => {
    const dm = await client.conversations.open({ users: alice });
    expect(dm.channel?.id).toMatch(/^D/);
    await client.chat.postMessage({ channel: dm.channel!.id!, text: 'psst' });
    await client.chat.postEphemeral({ channel, user: alice, text: 'only you' });
    expect(slack.ephemerals()).toMatchObject([{ channel, user: alice, text: 'only you' }]);
    const posted = await client.chat.postMessage({ channel, text: 'link me' });
    const link = await client.chat.getPermalink({ channel, message_ts: posted.ts! });
    expect(link.permalink).toContain(`/archives/${channel}/p${posted.ts!.replace('.', '')}`);
    const view = { type: 'modal' as const, callback_id: 'assign', title: { type: 'plain_text' as const, text: 'Assign' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: triggerId(), view });
    expect(opened.view?.id).toMatch(/^V/);
    await expect(client.views.update({ view_id: opened.view!.id!, hash: 'stale', view })).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    await client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: { ...view, callback_id: 'assign2' } });
    expect(slack.views().find((v) => v.id === opened.view!.id)?.callback_id).toBe('assign2');
    const old = `${Date.now() - 4000}.1.abc`;
    await expect(client.views.open({ trigger_id: old, view })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    await client.views.publish({ user_id: alice, view: { type: 'home', blocks: [] } });
  });

  it('takes a filesUploadV2 upload into a thread and serves registered files', async () => {
    const parent = await client.chat.postMessage({ channel, text: 'thread' });
    const bytes = Buffer.from('%PDF-1.4 fake pdf bytes \u0000\u0001');
    await client.filesUploadV2({ channel_id: channel, thread_ts: parent.ts!, file: bytes, filename: 'invoice.pdf', title: 'Invoice' });
    const [upload] = slack.uploads();
    expect(upload?.content.equals(bytes)).toBe(true);
    expect(upload).toMatchObject({ channel, thread_ts: parent.ts, file: { name: 'invoice.pdf', title: 'Invoice' } });
    expect(slack.threadOf(channel, parent.ts!)[1]?.files?.[0]?.name).toBe('invoice.pdf');

    const file = slack.addFile({ name: 'photo.png', mimetype: 'image/png', content: Buffer.from([1, 2, 3]) });
    const authed = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${slack.token}` } });
    expect(Buffer.from(await authed.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
    const anonymous = await fetch(file.url_private_download);
    expect(anonymous.headers.get('content-type')).toContain('text/html');
  });

  it('answers an injected 429 with Retry-After, which the client waits out', async () => {
    const patient = new WebClient(slack.token, { logLevel: LogLevel.ERROR, slackApiUrl: slack.url, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    await patient.chat.postMessage({ channel, text: 'eventually' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(slack.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    slack.failNext('chat.update', { error: 'internal_error' });
    await expect(client.chat.update({ channel, ts: '1.2', text: 'x' })).rejects.toMatchObject({ data: { error: 'internal_error' } });
  });

  it('rate-limits chat.postMessage per channel after a burst', async () => {
    slack.rateLimit({ perSecond: 1, burst: 2 });
    const strict = new WebClient(slack.token, { logLevel: LogLevel.ERROR, slackApiUrl: slack.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    await strict.chat.postMessage({ channel, text: '1' });
    await strict.chat.postMessage({ channel, text: '2' });
    await expect(strict.chat.postMessage({ channel, text: '3' })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    const other = slack.addChannel({ name: 'other' }).id;
    await strict.chat.postMessage({ channel: other, text: 'own bucket' });
    expect(slack.rateLimitedCount()).toBe(1);
  });

  it('goes unreachable and comes back on the same port, and can be slow', async () => {
    const port = slack.port;
    await slack.unreachable();
    await expect(client.auth.test()).rejects.toMatchObject({ code: ErrorCode.RequestError });
    await slack.reachable();
    expect(slack.port).toBe(port);
    await client.auth.test();
    slack.setLatency(200, 'auth.test');
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('records response_url posts and times out waitForCall clearly', async () => {
    const url = slack.responseUrl('cmd-1');
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }) });
    const call = await slack.waitForCall('response_url', (c) => c.args.response_url_name === 'cmd-1');
    expect(call.args.text).toBe('done');
    await expect(slack.waitForCall('chat.postMessage', undefined, 100)).rejects.toThrow(/chat\.postMessage.*saw 0/);
  });
});
