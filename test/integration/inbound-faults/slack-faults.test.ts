// Slack misbehaving: unreachable at start-up, answering 500s, rate-limiting with Retry-After,
// and dropping the connection while a post is in flight. Every email still reaches Slack exactly
// once, and the app keeps serving meanwhile.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { INBOX_ADDRESS, startRig, type Rig } from '../../helpers/mailroom.ts';
import { composeEmail } from '../../support/mail.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { acceptedPosts, notExactlyOnce, ownChannel, quiet, tags, taggedEmail, waitAllPosted } from './tally.ts';

let rig: Rig;
let app: MailroomApp | undefined;

beforeAll(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.slack.reachable();
  rig.slack.setLatency(0);
  await app?.stop();
  app = undefined;
});
afterAll(async () => {
  await rig?.close();
});

async function healthz(port: number): Promise<{ status: number; body: { imap: Record<string, boolean>; slack: boolean } }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as { imap: Record<string, boolean>; slack: boolean } };
}

let channel = '';

/** Everything stored is in Slack, the queue is idle, and Slack has heard nothing more for a while. */
async function settled(): Promise<void> {
  await waitFor(() => app!.store.messages.unposted().length === 0, { timeoutMs: 10_000, description: 'no unposted rows' });
  await app!.drained();
  await quiet(rig.slack, 300);
}

/** Builds and starts an app on its own database and channel; resolves once IMAP is connected. */
async function startApp(db: string): Promise<number> {
  const own = ownChannel(rig.slack, db);
  channel = own.channel;
  app = rig.build({ ...own.env, DATABASE_PATH: `${rig.dir}/${db}.db` });
  const { port } = await app.start();
  await waitFor(async () => Object.values((await healthz(port!)).body.imap).every(Boolean), { timeoutMs: 10_000 });
  return port!;
}

describe('Slack unreachable at start-up', () => {
  it('starts, answers /healthz, stores emails, and posts them once when Slack is back', async () => {
    await rig.slack.unreachable();
    const t0 = Date.now();
    const port = await startApp('unreachable');
    expect(Date.now() - t0).toBeLessThan(5000);
    const health = await healthz(port);
    expect(health.status).toBe(200);
    expect(health.body.slack).toBe(false);

    const batch = tags('u', 3);
    for (const t of batch) await rig.deliver(taggedEmail(t));
    // Stored (and waiting) while Slack is away.
    await waitFor(() => app!.store.messages.unposted().length === 3, { timeoutMs: 10_000, description: 'three emails stored, unposted' });
    await sleep(300); // a few failed attempts
    rig.slack.clearCalls();
    await rig.slack.reachable();
    await waitAllPosted(rig.slack, batch, 15_000, channel);
    await settled();
    expect(notExactlyOnce(rig.slack, batch, channel)).toEqual([]);
    await waitFor(async () => (await healthz(port)).body.slack === true, { timeoutMs: 10_000, description: 'identity learnt once Slack is back' });
  }, 30_000);
});

describe('Slack answering errors', () => {
  it('retries posts through 500s and a 429 with Retry-After, posting each email once', async () => {
    await startApp('errors');
    rig.slack.clearCalls();
    rig.slack.failNext('chat.postMessage', { status: 500 }, 3);
    rig.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    const batch = tags('e', 3);
    for (const t of batch) await rig.deliver(taggedEmail(t));
    await waitAllPosted(rig.slack, batch, 15_000, channel);
    await settled();
    expect(notExactlyOnce(rig.slack, batch, channel)).toEqual([]);
    const posts = rig.slack.calls('chat.postMessage');
    expect(posts.filter((c) => c.status === 500)).toHaveLength(3);
    const limited = posts.find((c) => c.status === 429)!;
    expect(limited).toBeDefined();
    // Nothing was posted to the channel until Retry-After had passed.
    const next = posts.find((c) => c.at > limited.at)!;
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(acceptedPosts(rig.slack)).toBe(6);
  }, 30_000);
});

describe('bug: a post retried after a dropped connection was posted twice', () => {
  // Slack stored the post but the app saw only a dropped connection: the retry must find the
  // post by its metadata instead of posting it again.
  it('adopts a parent message, and a thread message, that Slack stored before the drop', async () => {
    await startApp('dropped');
    for (const [tag, nth] of [['d0', 1], ['d1', 2]] as const) {
      rig.slack.clearCalls();
      rig.slack.setLatency(600, 'chat.postMessage');
      await rig.deliver(taggedEmail(tag));
      // nth = 1: drop during the parent post; nth = 2: during the email's post in its thread.
      if (nth === 2) await waitFor(() => acceptedPosts(rig.slack) >= 1, { timeoutMs: 10_000 });
      const stored = () => app!.store.messages.unposted().length > 0;
      await waitFor(stored, { timeoutMs: 10_000 });
      await sleep(250);
      await rig.slack.unreachable();
      rig.slack.setLatency(0);
      await sleep(600); // the stored post lands; the app's retries fail meanwhile
      await rig.slack.reachable();
      await waitAllPosted(rig.slack, [tag], 10_000, channel);
      await settled();
      expect(notExactlyOnce(rig.slack, [tag], channel)).toEqual([]);
    }
  }, 40_000);
});

describe('bug: attachments were uploaded again when an upload was retried', () => {
  it('uploads each attachment once when the connection drops while an upload completes', async () => {
    await startApp('uploads');
    rig.slack.clearCalls();
    const raw = await composeEmail({
      from: 'Customer f0 <c-f0@customer.example>',
      to: INBOX_ADDRESS,
      subject: 'Question subject-f0',
      text: 'Hello, this is body-f0, two files attached.',
      attachments: [
        { filename: 'first.bin', content: Buffer.alloc(3000, 1), contentType: 'application/octet-stream' },
        { filename: 'second.bin', content: Buffer.alloc(4000, 2), contentType: 'application/octet-stream' },
      ],
    });
    rig.slack.setLatency(600, 'files.completeUploadExternal');
    await rig.deliver(raw);
    // The first file's bytes are up and its completion is in flight: drop the connection.
    await waitFor(() => rig.slack.calls('upload').length >= 1, { timeoutMs: 10_000 });
    await sleep(250);
    await rig.slack.unreachable();
    rig.slack.setLatency(0);
    await sleep(600);
    await rig.slack.reachable();
    await waitAllPosted(rig.slack, ['f0'], 10_000, channel);
    await settled();
    expect(notExactlyOnce(rig.slack, ['f0'], channel)).toEqual([]);
    const parent = rig.slack.messagesIn(channel).find((m) => JSON.stringify(m.blocks).includes('subject-f0'))!;
    const shared = rig.slack.threadOf(channel, parent.ts).flatMap((m) => (m.files ?? []).map((f) => f.name)).sort();
    expect(shared).toEqual(['first.bin', 'second.bin']);
  }, 30_000);
});
