// The real `mailroom start` process killed with SIGKILL while 50 emails arrive, then started
// again on the same database: every email ends up in Slack exactly once. One kill lands while a
// chat.postMessage is in flight (Slack stores the post, the app never learns its ts), so the
// restarted app must find that post by its metadata and adopt it instead of posting again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../helpers/app-process.ts';
import { startRig, type Rig } from '../../helpers/mailroom.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { acceptedPosts, appendAll, notExactlyOnce, ownChannel, quiet, tags, taggedEmail, unpostedIn, waitAllPosted } from './tally.ts';

let rig: Rig;
const procs: AppProcess[] = [];

beforeAll(async () => {
  rig = await startRig();
});
afterEach(async () => {
  for (const p of procs.splice(0)) await p.kill('SIGKILL');
});
afterAll(async () => {
  await rig?.close();
});

function start(env: Record<string, string>): AppProcess {
  // "Mailroom started" (which `ready` waits for) is an info line.
  const p = startAppProcess({ ...env, LOG_LEVEL: 'info' });
  procs.push(p);
  return p;
}

/** Started, and its IMAP session is up (so its first start is recorded). */
async function startConnected(env: Record<string, string>): Promise<AppProcess> {
  const p = start(env);
  const port = await readyWithin(p, 15_000);
  await waitFor(async () => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { imap: Record<string, boolean> };
    return Object.values(body.imap).every(Boolean);
  }, { timeoutMs: 10_000, description: () => `IMAP connected; app output:\n${p.output().slice(-2000)}` });
  return p;
}

function readyWithin(p: AppProcess, ms: number): Promise<number> {
  return Promise.race([p.ready, sleep(ms).then(() => Promise.reject(new Error(`not ready in ${ms} ms:\n${p.output().slice(-2000)}`)))]);
}

/** The app has nothing left to post, and Slack has heard nothing more for a while. */
async function settled(databasePath: string): Promise<void> {
  await waitFor(() => unpostedIn(databasePath) === 0, { timeoutMs: 10_000, description: 'no unposted rows' });
  await quiet(rig.slack, 500);
}

const reconcileCalls = (since: number) =>
  rig.slack.calls().filter((c) => (c.method === 'conversations.history' || c.method === 'conversations.replies') && c.args.include_all_metadata && c.at >= since);

describe('SIGKILL while 50 emails arrive', () => {
  it('posts each email exactly once after a restart, adopting a post that was in flight at the kill', async () => {
    const { channel, env: channelEnv } = ownChannel(rig.slack, 'killmid');
    const env = { ...rig.env, ...channelEnv, DATABASE_PATH: `${rig.dir}/kill-mid-post.db` };
    rig.slack.clearCalls();
    const burst = tags('a', 50);
    const first = await startConnected(env);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, burst.map((t) => taggedEmail(t)));
    await imap.logout();

    // Some posts done, then slow Slack down so the next post is in flight when the process dies.
    await waitFor(() => acceptedPosts(rig.slack) >= 30, { timeoutMs: 20_000 });
    rig.slack.setLatency(500, 'chat.postMessage');
    await sleep(150);
    await first.kill('SIGKILL');
    const killedAt = Date.now();
    rig.slack.setLatency(0, 'chat.postMessage');
    // The post in flight still lands in Slack after the process is gone.
    await waitFor(() => rig.slack.calls('chat.postMessage').find((c) => c.at > killedAt), { timeoutMs: 2000, description: 'a post accepted after the kill' });
    const beforeRestart = acceptedPosts(rig.slack);
    expect(beforeRestart).toBeLessThan(100);

    const restartedAt = Date.now();
    await startConnected(env);
    await waitAllPosted(rig.slack, burst, 30_000, channel);
    await settled(env.DATABASE_PATH);

    expect(notExactlyOnce(rig.slack, burst, channel)).toEqual([]);
    // 50 parents and 50 thread messages, and no post Slack accepted was ever made again.
    expect(acceptedPosts(rig.slack)).toBe(100);
    // The restart looked in Slack for unrecorded posts (by metadata) before posting.
    expect(reconcileCalls(restartedAt).length).toBeGreaterThan(0);
  }, 60_000);

  it('posts each email exactly once when the app is killed right after it starts, twice', async () => {
    const { channel, env: channelEnv } = ownChannel(rig.slack, 'killstart');
    const env = { ...rig.env, ...channelEnv, DATABASE_PATH: `${rig.dir}/kill-at-start.db` };
    rig.slack.clearCalls();
    const burst = tags('b', 50);
    const first = await startConnected(env);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, burst.slice(0, 25).map((t) => taggedEmail(t)));
    // Killed as soon as the first post reaches Slack: most emails stored or not yet read.
    await waitFor(() => rig.slack.calls('chat.postMessage').some((c) => JSON.stringify(c.args).includes('subject-b')), { timeoutMs: 10_000 });
    await first.kill('SIGKILL');
    await appendAll(imap, burst.slice(25, 40).map((t) => taggedEmail(t)));

    // Killed again right after "Mailroom started", while it resumes the unposted rows.
    const second = start(env);
    await readyWithin(second, 15_000);
    await second.kill('SIGKILL');
    await appendAll(imap, burst.slice(40).map((t) => taggedEmail(t)));
    await imap.logout();

    await startConnected(env);
    await waitAllPosted(rig.slack, burst, 30_000, channel);
    await settled(env.DATABASE_PATH);
    expect(notExactlyOnce(rig.slack, burst, channel)).toEqual([]);
    expect(acceptedPosts(rig.slack)).toBe(100);
  }, 60_000);
});
