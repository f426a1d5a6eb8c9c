// Two real Mailroom processes on one database: the second stands by (its log and /healthz say
// so, /readyz answers 503) and takes over when the holder is killed, frozen past its lease, or
// stopped with SIGTERM; a frozen holder that wakes up posts and sends nothing more and stands by
// again. Every email is posted once and every reply sent once; the takeover times are printed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../helpers/app-process.ts';
import { MEMBER, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { freePort } from '../../support/ports.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { appendAll, notExactlyOnce, ownChannel, quiet, tags, taggedEmail, waitAllPosted } from '../inbound-faults/tally.ts';

let rig: Rig;
const procs: AppProcess[] = [];

beforeAll(async () => {
  rig = await startRig({ smtpFilesSent: true });
});
afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.child.kill('SIGCONT');
    await p.kill('SIGKILL');
  }
});
afterAll(async () => {
  await rig?.close();
});

async function two(name: string) {
  const { channel, env: channelEnv } = ownChannel(rig.slack, name);
  const env = { ...rig.env, ...channelEnv, DATABASE_PATH: `${rig.dir}/${name}.db`, MAILROOM_SEND_DELAY_SECONDS: '1', MAILROOM_POSTS_PER_SECOND: '50', MAILROOM_SENT_FOLDER: 'false', LOG_LEVEL: 'info' };
  const portA = await freePort();
  const portB = await freePort();
  const a = startAppProcess({ ...env, PORT: String(portA) });
  procs.push(a);
  await a.ready;
  const b = startAppProcess({ ...env, PORT: String(portB) });
  procs.push(b);
  await waitFor(() => b.output().includes('standby answering /healthz'), { timeoutMs: 15_000, description: () => `B standing by:\n${b.output().slice(-1500)}` });
  return { channel, env, a, b, portA, portB };
}

const json = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** A reply in each of these conversations' threads, sent to the holder's receiver. */
async function replies(channel: string, port: number, convs: string[], prefix: string): Promise<string[]> {
  const parents = rig.slack.messagesIn(channel).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
  const out: string[] = [];
  for (const tag of convs) {
    const parent = parents.find((m) => JSON.stringify(m.blocks).includes(`subject-${tag}`))!;
    const text = `Answer ${prefix}-${tag}`;
    const msg = rig.slack.postAsUser(channel, { user: MEMBER, text, thread_ts: parent.ts });
    const res = await rig.event(port, { ...threadReply({ threadTs: parent.ts, text, ts: msg.ts }), channel });
    expect(res.status).toBe(200);
    out.push(`${prefix}-${tag}`);
  }
  return out;
}

const sent = (prefix: string) => rig.smtp.messages.map((m) => new RegExp(`Answer (${prefix}-\\w+)`).exec(m.parsed.text ?? '')?.[1]).filter(Boolean);

describe('a standby on the same database', () => {
  it('says it stands by, in its log and on /healthz; /readyz answers 503', { timeout: 60_000 }, async () => {
    const { b, portB, portA } = await two('standby-says');
    expect(b.output()).toContain('standing by: another Mailroom holds the database');
    const h = await json(portB, '/healthz');
    expect(h).toMatchObject({ status: 200, body: { role: 'standby' } });
    expect((await json(portB, '/readyz')).status).toBe(503);
    expect((await json(portA, '/healthz')).body.role).toBe('holder');
  });

  it('takes over when the holder is killed mid-burst: every email once, every reply once', { timeout: 90_000 }, async () => {
    rig.smtp.clear();
    const { channel, a, b, portA } = await two('standby-kill');
    const first = tags('k', 6);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, first.map((t) => taggedEmail(t)));
    await waitAllPosted(rig.slack, first, 20_000, channel);
    const want = await replies(channel, portA, first, 'kill');
    const burst = tags('m', 40);
    const arriving = appendAll(imap, burst.map((t) => taggedEmail(t)));
    await sleep(300);
    // A frozen process would hold its lease to the end; a killed one on this machine is seen gone.
    const killedAt = Date.now();
    await a.kill('SIGKILL');
    await b.ready;
    console.log(`standby took over ${Date.now() - killedAt} ms after the holder was killed`);
    await arriving;
    await imap.logout();
    await waitAllPosted(rig.slack, [...first, ...burst], 60_000, channel);
    await waitFor(() => sent('kill').length >= want.length, { timeoutMs: 20_000 });
    await quiet(rig.slack, 1000);
    expect(notExactlyOnce(rig.slack, [...first, ...burst], channel)).toEqual([]);
    expect(sent('kill').sort()).toEqual([...want].sort());
  });

  it('a frozen holder loses its lease: the standby takes over, and the holder, woken, posts and sends nothing more and stands by again', { timeout: 90_000 }, async () => {
    rig.smtp.clear();
    const { channel, a, b, portA } = await two('standby-freeze');
    const first = tags('f', 4);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, first.map((t) => taggedEmail(t)));
    await waitAllPosted(rig.slack, first, 20_000, channel);
    // Replies queued with the holder, frozen inside their undo window.
    const want = await replies(channel, portA, first, 'freeze');
    a.child.kill('SIGSTOP');
    const frozenAt = Date.now();
    await b.ready;
    console.log(`standby took over ${Date.now() - frozenAt} ms after the holder froze (lease 15 s)`);
    const later = tags('g', 10);
    await appendAll(imap, later.map((t) => taggedEmail(t)));
    await waitAllPosted(rig.slack, [...first, ...later], 30_000, channel);
    await waitFor(() => sent('freeze').length >= want.length, { timeoutMs: 20_000 });
    // The old holder wakes with its emails and replies still in memory.
    a.child.kill('SIGCONT');
    await waitFor(() => a.output().includes('lost the database lease'), { timeoutMs: 15_000, description: () => a.output().slice(-1500) });
    await waitFor(() => /standing by: another Mailroom holds the database[\s\S]*$/.test(a.output().slice(a.output().lastIndexOf('lost the database lease'))), { timeoutMs: 15_000 });
    const more = tags('h', 5);
    await appendAll(imap, more.map((t) => taggedEmail(t)));
    await imap.logout();
    await waitAllPosted(rig.slack, [...first, ...later, ...more], 30_000, channel);
    await quiet(rig.slack, 1500);
    expect(notExactlyOnce(rig.slack, [...first, ...later, ...more], channel)).toEqual([]);
    expect(sent('freeze').sort()).toEqual([...want].sort());
  });

  it('SIGTERM hands over at once (a rolling restart)', { timeout: 60_000 }, async () => {
    const { channel, a, b } = await two('standby-term');
    const stoppedAt = Date.now();
    const exited = a.kill('SIGTERM').then((code) => ({ code, at: Date.now() }));
    await b.ready;
    const took = Date.now() - stoppedAt;
    const exit = await exited;
    console.log(`standby took over ${took} ms after SIGTERM to the holder; the holder exited after ${exit.at - stoppedAt} ms`);
    expect(exit.code).toBe(0);
    expect(took).toBeLessThan(3000);
    const mail = tags('r', 3);
    const imap = await rig.dovecot.connect();
    await appendAll(imap, mail.map((t) => taggedEmail(t)));
    await imap.logout();
    await waitAllPosted(rig.slack, mail, 20_000, channel);
    expect(notExactlyOnce(rig.slack, mail, channel)).toEqual([]);
  });

  // Regression: the IMAP logout's 2 s timeout was left running after a logout that answered at
  // once, so a stopped process lingered 2 s (a rolling restart, systemd and docker stop waited).
  it('the stopping process exits at once after "Mailroom stopped", not 2 s later (IMAP logout timer)', { timeout: 60_000 }, async () => {
    const { env } = ownChannel(rig.slack, 'standby-exit');
    const p = startAppProcess({ ...rig.env, ...env, DATABASE_PATH: `${rig.dir}/standby-exit.db`, PORT: String(await freePort()), LOG_LEVEL: 'info' });
    procs.push(p);
    await p.ready;
    await waitFor(() => p.output().includes('IMAP connected'), { timeoutMs: 15_000 });
    let stoppedAt = 0;
    const onLog = (chunk: Buffer) => {
      if (!stoppedAt && chunk.toString().includes('"msg":"Mailroom stopped"')) stoppedAt = Date.now();
    };
    p.child.stdout!.on('data', onLog);
    p.child.stderr!.on('data', onLog);
    expect(await p.kill('SIGTERM')).toBe(0);
    const lingered = Date.now() - stoppedAt;
    console.log(`exited ${lingered} ms after "Mailroom stopped"`);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(lingered).toBeLessThan(1500);
  });
});

