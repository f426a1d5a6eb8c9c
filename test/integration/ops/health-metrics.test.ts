// /healthz, /readyz and /metrics in both modes: in Socket Mode on their own server at HOST:PORT
// (a real Socket Mode client connected to a WebSocket that says hello as Slack does), in HTTP
// mode beside /slack/events; what they say as mail flows; no secret in them; metrics off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, IMAP_PASSWORD, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { startSlackFront, type SlackFront } from '../../support/slack-front.ts';
import { waitFor } from '../../support/wait.ts';

const APP_TOKEN = 'xapp-1-ops-test-0001';
let rig: Rig;
let front: SlackFront;

beforeAll(async () => {
  rig = await startRig();
  front = await startSlackFront(rig.slack, { appToken: APP_TOKEN, scopes: null, socket: true });
});
afterAll(async () => {
  await front?.stop();
  await rig?.close();
});

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const json = async (port: number, path: string) => {
  const r = await get(port, path);
  return { status: r.status, body: JSON.parse(r.text) as Record<string, any> };
};

describe('Socket Mode', () => {
  let app: MailroomApp;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await rig.start({ SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: front.url, HOST: '127.0.0.1', PORT: '0' }));
  });
  afterAll(async () => app?.stop());

  it('answers /healthz on PORT with each inbox, the sign-in, the backlogs and the Slack connection', async () => {
    const h = await json(port, '/healthz');
    expect(h.status).toBe(200);
    expect(h.body.ok).toBe(true);
    await waitFor(async () => (await json(port, '/healthz')).body.slack === true, { timeoutMs: 10_000, description: 'the socket open' });
    const body = (await json(port, '/healthz')).body;
    expect(body.slackConnection).toMatchObject({ mode: 'socket', connected: true });
    expect(body.inboxes['acme-support']).toMatchObject({
      imap: { connected: true, caughtUp: true },
      signIn: { kind: 'password' },
      outbox: { pending: 0, sending: 0, retry: 0, waiting: 0 },
      postingBacklog: 0,
      lastError: null,
    });
    expect(body.inboxes['acme-support'].imap.lastSyncAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(front.sockets).toBe(1);
  });

  it('/readyz: 200 once every inbox caught up and the socket is open, 503 while it is not', async () => {
    await waitFor(async () => (await get(port, '/readyz')).status === 200, { timeoutMs: 10_000 });
    front.dropSockets({ refuse: true });
    const down = await waitFor(async () => {
      const r = await json(port, '/readyz');
      return r.status === 503 ? r : null;
    }, { timeoutMs: 5000, description: 'the dropped socket seen' });
    expect(down.body).toMatchObject({ ready: false, slack: { connected: false } });
    front.acceptSockets();
    // The client opens a new connection by itself.
    await waitFor(async () => (await get(port, '/readyz')).status === 200, { timeoutMs: 20_000, description: 'reconnected' });
  }, 30_000);

  it('/metrics counts the mail in Prometheus text format', async () => {
    const marker = `ops-marker-${Date.now()}`;
    await rig.deliver(email({ subject: 'Ops check', body: marker }));
    await waitFor(() => rig.slack.messagesIn(CHANNEL).some((m) => rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker))), { timeoutMs: 10_000 });
    const m = await waitFor(async () => {
      const r = await get(port, '/metrics');
      return /mailroom_emails_posted_total\{inbox="acme-support"\} 1/.test(r.text) ? r : null;
    }, { timeoutMs: 5000 });
    expect(m.type).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/mailroom_emails_received_total\{inbox="acme-support",kind="human",outcome="stored"\} 1/);
    expect(m.text).toMatch(/mailroom_email_to_slack_seconds_count\{inbox="acme-support"\} 1/);
    expect(m.text).toMatch(/mailroom_outbox_emails\{status="pending"\} 0/);
    expect(m.text).toMatch(/mailroom_post_queue_jobs\{inbox="acme-support"\} 0/);
    expect(m.text).toMatch(/mailroom_process_resident_memory_bytes \d+/);
    for (const secret of [IMAP_PASSWORD, rig.slack.token, APP_TOKEN, marker]) expect(m.text).not.toContain(secret);
  });

  it('never puts a secret in /healthz', async () => {
    const text = (await get(port, '/healthz')).text;
    for (const secret of [IMAP_PASSWORD, rig.slack.token, APP_TOKEN]) expect(text).not.toContain(secret);
  });
});

describe('HTTP mode', () => {
  it('serves /healthz, /readyz and /metrics beside /slack/events, and counts a reply sent', async () => {
    const { app, port } = await rig.start({ HOST: '127.0.0.1' });
    try {
      await waitFor(async () => (await get(port, '/readyz')).status === 200, { timeoutMs: 10_000 });
      const marker = `ops-http-${Date.now()}`;
      await rig.deliver(email({ subject: 'Ops HTTP', body: marker }));
      const parent = await waitFor(
        () => rig.slack.messagesIn(CHANNEL).find((m) => m.metadata?.event_type === 'mailroom_conversation' && rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker))),
        { timeoutMs: 10_000 },
      );
      const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'metrics reply', thread_ts: parent.ts });
      await rig.event(port, threadReply({ threadTs: parent.ts, text: 'metrics reply', ts: msg.ts }));
      await rig.smtp.waitForMessages(1, 10_000);
      const m = await waitFor(async () => {
        const r = await get(port, '/metrics');
        return /mailroom_replies_sent_total\{inbox="acme-support",kind="reply"\} 1/.test(r.text) ? r : null;
      }, { timeoutMs: 5000 });
      expect(m.text).toMatch(/mailroom_slack_to_email_seconds_count\{inbox="acme-support"\} 1/);
      expect((await json(port, '/healthz')).body).toMatchObject({ ok: true, slack: true, slackConnection: { mode: 'http' } });
    } finally {
      await app.stop();
    }
  }, 30_000);

  it('MAILROOM_METRICS=false: no /metrics', async () => {
    const { app, port } = await rig.start({ MAILROOM_METRICS: 'false' });
    try {
      expect((await get(port, '/metrics')).status).toBe(404);
      expect((await get(port, '/healthz')).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
