// Issue 6's fault test: the real process is killed with SIGKILL at random points (fixed seed)
// while 100 emails arrive and 20 replies wait in the undo window; after the last restart every
// email is in Slack exactly once and every reply reached the SMTP server exactly once.
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../helpers/app-process.ts';
import { MEMBER, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { appendAll, notExactlyOnce, ownChannel, quiet, tags, taggedEmail, unpostedIn, waitAllPosted } from '../inbound-faults/tally.ts';

const SEED = 20261121;
let rig: Rig;
const procs: AppProcess[] = [];

beforeAll(async () => {
  // As Gmail and Microsoft 365 do, the SMTP server files what it accepts in Sent before it answers:
  // a process killed between that answer and its own record finds the email there after restart.
  // (Against a server that files nothing, that window of a few milliseconds can send an email
  // twice under the same Message-ID: README, Limits.)
  rig = await startRig({ smtpFilesSent: true });
});
afterEach(async () => {
  for (const p of procs.splice(0)) await p.kill('SIGKILL');
});
afterAll(async () => {
  await rig?.close();
});

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function start(env: Record<string, string>): Promise<{ p: AppProcess; port: number }> {
  const p = startAppProcess({ ...env, LOG_LEVEL: 'info' });
  procs.push(p);
  const port = await Promise.race([p.ready, sleep(20_000).then(() => Promise.reject(new Error(`not ready:\n${p.output().slice(-1500)}`)))]);
  return { p, port };
}

describe('chaos: the process stopped at any moment', () => {
  it('100 emails arriving and 20 replies pending: each email posted once, each reply sent once', { timeout: 150_000 }, async () => {
    const random = rng(SEED);
    const { channel, env: channelEnv } = ownChannel(rig.slack, 'chaos');
    const env = { ...rig.env, ...channelEnv, DATABASE_PATH: `${rig.dir}/chaos.db`, MAILROOM_SEND_DELAY_SECONDS: '2', MAILROOM_POSTS_PER_SECOND: '50', MAILROOM_SENT_FOLDER: 'false' };
    rig.smtp.clear();

    // 20 conversations to reply to.
    let { p, port } = await start(env);
    await sleep(800);
    const first = tags('q', 20);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, first.map((t) => taggedEmail(t)));
    await waitAllPosted(rig.slack, first, 30_000, channel);

    // 20 replies, each acknowledged by the app (stored before it answers), waiting out the undo window.
    const parents = rig.slack.messagesIn(channel).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
    const replyTags = first.map((t) => `reply-${t}`);
    for (const [i, tag] of replyTags.entries()) {
      const parent = parents.find((m) => JSON.stringify(m.blocks).includes(`subject-${first[i]}`))!;
      const msg = rig.slack.postAsUser(channel, { user: MEMBER, text: `Answer ${tag}`, thread_ts: parent.ts });
      const res = await rig.event(port, { ...threadReply({ threadTs: parent.ts, text: `Answer ${tag}`, ts: msg.ts }), channel });
      expect(res.status).toBe(200);
    }

    // 100 emails arrive while the process is killed three times at random moments.
    const burst = tags('z', 100);
    const arriving = appendAll(imap, burst.map((t) => taggedEmail(t)));
    for (let kill = 0; kill < 3; kill++) {
      await sleep(200 + Math.floor(random() * 1800));
      await p.kill('SIGKILL');
      await sleep(Math.floor(random() * 500));
      ({ p, port } = await start(env));
    }
    await arriving;
    await imap.logout();

    await waitAllPosted(rig.slack, [...first, ...burst], 60_000, channel);
    await waitFor(() => rig.smtp.messages.length >= 20, { timeoutMs: 30_000, description: () => `20 replies sent, got ${rig.smtp.messages.length}` });
    await waitFor(() => unpostedIn(env.DATABASE_PATH) === 0, { timeoutMs: 10_000 });
    await quiet(rig.slack, 1000);
    await sleep(2500); // past any undo window: nothing more may go out

    expect(notExactlyOnce(rig.slack, [...first, ...burst], channel)).toEqual([]);
    const sentTags = rig.smtp.messages.map((m) => /Answer (reply-q\d+)/.exec(m.parsed.text ?? '')?.[1]);
    expect(sentTags.sort()).toEqual([...replyTags].sort());
  });

  it('SIGTERM mid-burst: stops cleanly (exit 0, nothing half-sent) and the restart finishes the work once', { timeout: 120_000 }, async () => {
    const { channel, env: channelEnv } = ownChannel(rig.slack, 'sigterm');
    const env = { ...rig.env, ...channelEnv, DATABASE_PATH: `${rig.dir}/sigterm.db`, MAILROOM_SEND_DELAY_SECONDS: '1', MAILROOM_POSTS_PER_SECOND: '20' };
    rig.smtp.clear();
    let { p, port } = await start(env);
    await sleep(800);
    const convs = tags('t', 5);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, convs.map((t) => taggedEmail(t)));
    await waitAllPosted(rig.slack, convs, 30_000, channel);
    const parents = rig.slack.messagesIn(channel).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
    for (const [i, tag] of convs.entries()) {
      const parent = parents.find((m) => JSON.stringify(m.blocks).includes(`subject-${tag}`))!;
      const msg = rig.slack.postAsUser(channel, { user: MEMBER, text: `Answer term-${tag}`, thread_ts: parent.ts });
      await rig.event(port, { ...threadReply({ threadTs: parent.ts, text: `Answer term-${tag}`, ts: msg.ts }), channel });
      if (i === 2) await sleep(1100); // some replies due while stopping, some still in the window
    }
    const burst = tags('u', 40);
    const arriving = appendAll(imap, burst.map((t) => taggedEmail(t)));
    await sleep(700);
    const stoppedAt = Date.now();
    const code = await p.kill('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const sending = (db.prepare("select count(*) n from outbox where status = 'sending'").get() as { n: number }).n;
    db.close();
    expect(sending).toBe(0);

    await arriving;
    await imap.logout();
    ({ p, port } = await start(env));
    await waitAllPosted(rig.slack, [...convs, ...burst], 60_000, channel);
    await waitFor(() => rig.smtp.messages.length >= 5, { timeoutMs: 20_000 });
    await quiet(rig.slack, 1000);
    await sleep(1500);
    expect(notExactlyOnce(rig.slack, [...convs, ...burst], channel)).toEqual([]);
    expect(rig.smtp.messages.map((m) => /Answer (term-t\d+)/.exec(m.parsed.text ?? '')?.[1]).sort()).toEqual(convs.map((t) => `term-${t}`).sort());
  });
});
