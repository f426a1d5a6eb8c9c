// A soak: one process lifetime through 10,000 emails and 2,000 replies (--quick: 2,000 and 400),
// with the IDLE renewal shortened from 25 minutes to 2 s (tools/idle-renewal.mjs) so the run goes
// through hundreds of renewals. In blocks of 1,000 emails (half open conversations, half follow
// up; posting rate raised) and 200 replies (signed thread-reply events, undo window 0, each sent
// by SMTP and filed in the Sent folder over its own short IMAP session), and after each block,
// once the app has been left alone for a few renewals: RSS, RSS and live heap after a full GC
// (tools/heap-probe.mjs), and the open file descriptors. After the warm-up blocks, RSS must stay
// within 10 MB of where it was and the descriptors flat: a leak shows as a slope.
import { startBenchRig, DEFAULT_INBOX, MEMBER, SIGNING_SECRET, type BenchRig } from '../app-rig.ts';
import { afterFullGc, HEAP_PROBE, steadyRss } from '../app-memory.ts';
import { createCorpus, pairedBatches, type BenchEmail } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, postReader, type Post } from '../slack-posts.ts';
import { dump, MB } from '../stats.ts';
import { startSmtpServer, type TestSmtpServer } from '../../test/support/smtp.ts';
import { messageEvent, sendEvent } from '../../test/support/slack-requests.ts';
import { sleep, waitFor } from '../../test/support/wait.ts';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SECTION = 'soak';
const IDLE_RENEWAL = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'idle-renewal.mjs');
const RENEWAL_MS = 2000;
const CONNECTIONS = 4;
/** Replies in flight at once. */
const REPLY_CONCURRENCY = 4;
/** Left alone after each block before reading: a few IDLE renewals, the outbox and Slack quiet. */
const REST_MS = 3 * RENEWAL_MS;
const MARKER = /BX-[a-z0-9]+-\d{4,}/;
const REPLY_MARKER = /RX-[a-z0-9]+-\d+/;

interface Checkpoint {
  emails: number;
  replies: number;
  rss: number;
  rssAfterGc: number;
  heapUsed: number;
  fds: number;
  /** Open descriptors by kind (socket, pipe, a file's path…), to tell a leak from a connection that comes and goes. */
  fdKinds: Record<string, number>;
  /** The database file and its WAL. */
  dbBytes: number;
  idleCommands: number;
  at: number;
}

/** TCP sockets by inode: local and remote port, and whether it listens. */
function tcpSockets(): Map<string, { local: number; remote: number; listening: boolean }> {
  const out = new Map<string, { local: number; remote: number; listening: boolean }>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (a: string) => parseInt(a.slice(a.lastIndexOf(':') + 1), 16);
      out.set(f[9]!, { local: port(f[1]!), remote: port(f[2]!), listening: f[3] === '0A' });
    }
  }
  return out;
}

/** The app's open descriptors by kind: sockets by what they connect to, files by name. */
function fdKinds(pid: number, ports: Record<string, number>): Record<string, number> {
  const kinds: Record<string, number> = {};
  const tcp = tcpSockets();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target = 'gone';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      // closed meanwhile
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    let kind = target.replace(/:\[\d+\]$/, '').replace(/^\/.*\//, 'file ');
    if (inode) {
      const t = tcp.get(inode);
      const peer = t && Object.entries(ports).find(([, p]) => p === t.remote)?.[0];
      kind = !t ? 'socket (unix)' : t.listening ? 'tcp listening' : peer ? `tcp to ${peer}` : t.local === ports.app ? 'tcp from the bench (HTTP)' : 'tcp other';
    }
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

const fileBytes = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : 0;
}

const IDLE_LINE = 'bench: IDLE commands';

/** A full GC and the memory after it, and the IDLE count: heap-probe and idle-renewal both answer SIGUSR2. */
async function probe(rig: BenchRig) {
  const before = rig.logs().filter((e) => e.msg === IDLE_LINE).length;
  const gc = await afterFullGc(rig);
  const line = await waitFor(() => rig.logs().filter((e) => e.msg === IDLE_LINE)[before], { timeoutMs: 5000, description: 'the IDLE count' });
  return { gc, idleCommands: line.sent as number };
}

export const soak: Section = {
  name: 'soak',
  title: 'Soak: 10,000 emails and 2,000 replies in one process, IDLE renewed every 2 s: RSS and open fds every 1,000',
  async run(ctx) {
    const block = ctx.quick ? 200 : 1000;
    const blocks = 10;
    const repliesPerBlock = block / 5;
    const warmUpBlocks = 2;
    const smtp: TestSmtpServer = await startSmtpServer();
    const rig = await startBenchRig({
      smtp: { host: smtp.host, port: smtp.port },
      env: {
        MAILROOM_POSTS_PER_SECOND: '500',
        LOG_LEVEL: 'info',
        NODE_OPTIONS: `--import ${HEAP_PROBE} --import ${IDLE_RENEWAL}`,
        BENCH_IDLE_RENEWAL_MS: String(RENEWAL_MS),
      },
    });
    try {
      const corpus = createCorpus({ to: DEFAULT_INBOX.address, seed: 71 });
      const reader = postReader(rig.slack);
      const posted = new Map<string, Post[]>();
      let scanned = 0;
      const scan = () => {
        const posts = reader.read();
        for (; scanned < posts.length; scanned++) {
          const p = posts[scanned]!;
          if (p.kind !== EMAIL_POST) continue;
          const m = MARKER.exec(JSON.stringify(p.call.args.blocks ?? p.call.args.text))?.[0];
          if (m) posted.set(m, [...(posted.get(m) ?? []), p]);
        }
        return posted;
      };
      const checkpoints: Checkpoint[] = [];
      const emails: BenchEmail[] = [];
      const replyMarkers: string[] = [];
      const started = Date.now();
      const read = async (): Promise<Checkpoint> => {
        const rss = await steadyRss(() => rig.memory().rss);
        const { gc, idleCommands } = await probe(rig);
        const db = rig.env.DATABASE_PATH!;
        return {
          emails: emails.length,
          replies: replyMarkers.length,
          rss,
          rssAfterGc: gc.rss,
          heapUsed: gc.heapUsed,
          fds: rig.openFds(),
          fdKinds: fdKinds(rig.app.child.pid!, { app: Number(new URL(rig.eventsUrl).port), imap: rig.dovecot.port, smtp: smtp.port, slack: Number(new URL(rig.slack.url).port) }),
          dbBytes: fileBytes(db) + fileBytes(`${db}-wal`),
          idleCommands,
          at: Date.now() - started,
        };
      };
      await sleep(REST_MS);
      const start = await read();
      ctx.log(`  start: RSS ${(start.rss / MB).toFixed(0)} MB, ${start.fds} fds`);

      for (let b = 0; b < blocks; b++) {
        const { emails: mine, batches } = await pairedBatches(corpus, block, CONNECTIONS);
        emails.push(...mine);
        await rig.deliverParallel(batches);
        await waitFor(() => mine.every((e) => scan().has(e.marker)), {
          timeoutMs: 180_000,
          intervalMs: 100,
          description: () => `block ${b + 1}: ${block} emails in Slack (have ${mine.filter((e) => scan().has(e.marker)).length})`,
        });
        // Replies to conversations this block opened, a few at a time.
        const parents = mine.filter((e) => e.opens).slice(0, repliesPerBlock).map((e) => scan().get(e.marker)![0]!.threadTs!);
        const before = smtp.messages.length;
        let next = 0;
        await Promise.all(
          Array.from({ length: REPLY_CONCURRENCY }, async () => {
            while (next < parents.length) {
              const parentTs = parents[next++]!;
              const marker = `RX-${b}x${next}-${replyMarkers.length}`;
              replyMarkers.push(marker);
              const text = `Thanks, we are on it: a replacement ships today. Reference: ${marker}`;
              const message = rig.slack.postAsUser(DEFAULT_INBOX.channel, { user: MEMBER, text, thread_ts: parentTs });
              const response = await sendEvent(rig.eventsUrl, SIGNING_SECRET, messageEvent({ channel: DEFAULT_INBOX.channel, user: MEMBER, text, ts: message.ts, thread_ts: parentTs }));
              if (response.status !== 200) throw new Error(`the app answered a reply event with ${response.status}`);
            }
          }),
        );
        await waitFor(() => smtp.messages.length - before >= parents.length, {
          timeoutMs: 120_000,
          intervalMs: 100,
          description: () => `block ${b + 1}: ${parents.length} replies at the SMTP server (have ${smtp.messages.length - before})`,
        });
        await waitFor(() => rig.logs().filter((e) => e.msg === 'copy appended to Sent folder').length >= replyMarkers.length, {
          timeoutMs: 60_000,
          intervalMs: 100,
          description: 'every reply filed in the Sent folder',
        });
        await sleep(REST_MS);
        const c = await read();
        checkpoints.push(c);
        ctx.log(`  ${c.emails} emails, ${c.replies} replies: RSS ${(c.rss / MB).toFixed(0)} MB (${(c.rssAfterGc / MB).toFixed(0)} after GC, heap ${(c.heapUsed / MB).toFixed(1)}), database ${(c.dbBytes / MB).toFixed(1)} MB, ${c.fds} fds ${JSON.stringify(c.fdKinds)}, ${c.idleCommands} IDLE commands`);
      }
      await sleep(1000);
      scan();
      const missing = emails.filter((e) => !posted.has(e.marker)).length;
      const doubled = [...posted.values()].filter((p) => p.length > 1).length;
      const sentCount = new Map<string, number>();
      for (const m of smtp.messages) {
        const marker = REPLY_MARKER.exec(m.raw.toString())?.[0];
        if (marker) sentCount.set(marker, (sentCount.get(marker) ?? 0) + 1);
      }
      const repliesMissing = replyMarkers.filter((m) => !sentCount.has(m)).length;
      const repliesDoubled = [...sentCount.values()].filter((n) => n > 1).length;
      dump('soak', { start, checkpoints });

      const after = checkpoints.slice(warmUpBlocks - 1);
      const base = after[0]!;
      const last = checkpoints.at(-1)!;
      const xs = after.map((c) => c.emails / 1000);
      const gcSlope = slope(xs, after.map((c) => c.rssAfterGc / MB));
      const rssSlope = slope(xs, after.map((c) => c.rss / MB));
      const heapSlope = slope(xs, after.map((c) => c.heapUsed / MB));
      const growth = Math.max(...after.map((c) => c.rssAfterGc)) - base.rssAfterGc;
      // The SMTP pool's connection is closed after its 500th message and opened again for the next:
      // at a checkpoint it may be there or not. Every other descriptor must stay as it was.
      const steadyFds = (c: Checkpoint) => c.fds - (c.fdKinds['tcp to smtp'] ?? 0);
      const fdGrowth = Math.max(...after.map(steadyFds)) - steadyFds(base);
      const renewals = last.idleCommands - start.idleCommands;
      const series = (f: (c: Checkpoint) => number | string) => checkpoints.map(f).join(', ');
      const per = "per 1,000 emails";
      const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      return [
        row(`RSS growth after warm-up (${(base.emails / 1000).toFixed(1)}k → ${(last.emails / 1000).toFixed(1)}k emails)`, growth / MB, 'MB', {
          target: { max: 10 },
          note: `RSS after a full GC at each checkpoint, highest minus the one after ${warmUpBlocks} warm-up blocks; in MB: ${series((c) => (c.rssAfterGc / MB).toFixed(0))} (start ${(start.rssAfterGc / MB).toFixed(0)})`,
        }),
        row('RSS slope after warm-up, after full GC', gcSlope, 'MB', { note: `MB ${per} (least squares over ${after.length} checkpoints)` }),
        row('RSS slope after warm-up, as the OS sees it', rssSlope, 'MB', { note: `MB ${per}; RSS at each checkpoint: ${series((c) => (c.rss / MB).toFixed(0))} MB (start ${(start.rss / MB).toFixed(0)})` }),
        row('live JS heap slope after warm-up', heapSlope, 'MB', { note: `MB ${per}; heapUsed after a full GC: ${series((c) => (c.heapUsed / MB).toFixed(1))} MB` }),
        row('open file descriptors: growth after warm-up', fdGrowth, 'count', {
          target: { max: 0 },
          note: `the SMTP pool's connection left out (nodemailer closes it after 500 messages and opens another for the next); all open at each checkpoint: ${series((c) => c.fds)}, of which to SMTP: ${series((c) => c.fdKinds['tcp to smtp'] ?? 0)} (start ${start.fds}); at the end: ${Object.entries(last.fdKinds).map(([k, n]) => `${n} ${k}`).join(', ')}`,
        }),
        row('IDLE commands sent', renewals, 'count', { note: `renewal every ${RENEWAL_MS / 1000} s (and one after each batch of new mail); run ${((last.at) / 1000).toFixed(0)} s` }),
        row('emails missing or posted twice', missing + doubled, 'count', { target: { max: 0 }, note: `${missing} missing, ${doubled} doubled, of ${emails.length}` }),
        row('replies missing or sent twice', repliesMissing + repliesDoubled, 'count', { target: { max: 0 }, note: `${repliesMissing} missing, ${repliesDoubled} doubled, of ${replyMarkers.length}` }),
      ];
    } finally {
      await rig.close();
      await smtp.stop();
    }
  },
};
