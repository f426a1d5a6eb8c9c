// Many inboxes in one process: 1, 25 and 100 inboxes configured by YAML against one Dovecot with
// that many users, each with its own channel, the app's default Slack pacing (1 post a second per
// channel, burst 3). For each size: the time from spawning the process until every inbox is in
// IDLE (and how the logins were spread: the start-up limiter lets at most a few through at once),
// the IMAP connections the app holds, RSS idle and after traffic (and live heap after a full GC),
// and email → Slack when every inbox receives an email at the same moment, a few rounds of it.
import { startBenchRig, type BenchInbox, type BenchRig, type Delivered } from '../app-rig.ts';
import { afterFullGc, HEAP_PROBE, SETTLE_MS, steadyRss } from '../app-memory.ts';
import { createCorpus, type BenchEmail } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, postReader, type Post } from '../slack-posts.ts';
import { MB, summarize } from '../stats.ts';
import { inboxKey } from '../../src/config/inbox-list.ts';
import { sleep, waitFor } from '../../test/support/wait.ts';

const SECTION = 'many-inboxes';
const MARKER = /BX-[a-z0-9]+-\d{4,}/;
/** Between rounds: the channels' token buckets get back the two posts a new conversation takes. */
const ROUND_GAP_MS = 3000;
const TIMEOUT_MS = 60_000;

const inboxesOf = (n: number): BenchInbox[] =>
  Array.from({ length: n }, (_, i) => ({ name: `Client ${i + 1}`, channel: `C0MANY${String(i + 1).padStart(4, '0')}`, address: `client${i + 1}@example.com` }));

interface Sample {
  inbox: string;
  appendAt: number;
  uid: number;
  announcedAt: number | null;
  ingestedAt: number | null;
  threadAt: number;
}

/** The largest number of times within any `windowMs`. */
function mostWithin(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The thread posts of emails by marker, read incrementally (the bench shares the app's two cores: it must poll cheaply). */
function threadPosts(reader: ReturnType<typeof postReader>) {
  const byMarker = new Map<string, Post[]>();
  let scanned = 0;
  return {
    scan(): Map<string, Post[]> {
      const posts = reader.read();
      for (; scanned < posts.length; scanned++) {
        const p = posts[scanned]!;
        if (p.kind !== EMAIL_POST) continue;
        const m = MARKER.exec(JSON.stringify(p.call.args.blocks ?? p.call.args.text))?.[0];
        if (m) byMarker.set(m, [...(byMarker.get(m) ?? []), p]);
      }
      return byMarker;
    },
  };
}

/** Every inbox gets one new conversation at the same moment; resolves with each email's timings. */
async function round(rig: BenchRig, inboxes: BenchInbox[], emails: BenchEmail[], posted: ReturnType<typeof threadPosts>): Promise<Sample[]> {
  const delivered: Delivered[] = await Promise.all(inboxes.map((inbox, i) => rig.deliver(emails[i]!.raw, inbox.address)));
  const have = () => emails.filter((e) => posted.scan().has(e.marker)).length;
  const posts = await waitFor(
    () => {
      const byMarker = posted.scan();
      const found = emails.map((e) => byMarker.get(e.marker)?.[0]);
      return found.every(Boolean) ? (found as Post[]) : undefined;
    },
    { timeoutMs: TIMEOUT_MS, intervalMs: 10, description: () => `${emails.length} emails in Slack (have ${have()})` },
  );
  const logs = rig.logs();
  return inboxes.map((inbox, i) => {
    const key = inboxKey(inbox.name);
    const d = delivered[i]!;
    return {
      inbox: key,
      appendAt: d.at,
      uid: d.uid,
      announcedAt: logs.find((e) => e.msg === 'IMAP new mail announced' && e.inbox === key && e.time >= d.at - 5)?.time ?? null,
      ingestedAt: logs.find((e) => e.msg === 'email ingested' && e.inbox === key && e.uid === d.uid)?.time ?? null,
      threadAt: posts[i]!.at,
    };
  });
}

async function measure(n: number, rounds: number, settleMs: number, log: (m: string) => void): Promise<Row[]> {
  const inboxes = inboxesOf(n);
  const rig = await startBenchRig({ inboxes, yaml: true, env: { LOG_LEVEL: 'debug', NODE_OPTIONS: `--import ${HEAP_PROBE}` } });
  try {
    const keys = inboxes.map((i) => inboxKey(i.name));
    const firstOf = (msg: string) => {
      const logs = rig.logs();
      return keys.map((k) => logs.find((e) => e.msg === msg && e.inbox === k)?.time);
    };
    const idleAt = await waitFor(() => (firstOf('IMAP idle').every(Boolean) ? (firstOf('IMAP idle') as number[]) : undefined), {
      timeoutMs: 30_000,
      description: 'every inbox in IDLE',
    });
    const connectedAt = firstOf('IMAP connected') as number[];
    const readyAt = rig.logs().find((e) => e.msg === 'Mailroom started')!.time;
    const allIdle = Math.max(...idleAt) - rig.spawnedAt;
    const loginSpread = Math.max(...connectedAt) - Math.min(...connectedAt);
    const loginsPerSecond = mostWithin(connectedAt, 1000);
    const connections = rig.imapConnections();
    log(`  ${n} inbox(es): every one in IDLE ${(allIdle / 1000).toFixed(1)} s after spawn; ${connections} IMAP connections; idle for ${settleMs / 1000} s`);

    // Composed before the clock starts: the bench's own work is not the app's.
    const corpora = inboxes.map((inbox, i) => createCorpus({ to: inbox.address, seed: 100 + i, runId: `m${n}x${i}r${Date.now().toString(36)}` }));
    const batches: BenchEmail[][] = [];
    for (let r = 0; r <= rounds; r++) batches.push(await Promise.all(corpora.map((c) => c.newConversation())));
    const warmUp = batches.shift()!;

    await sleep(settleMs);
    const idleRss = await steadyRss(() => rig.memory().rss);
    const idleGc = await afterFullGc(rig);

    const posted = threadPosts(postReader(rig.slack));
    // The first email of each inbox pays for JIT compilation and its first SQL statements: a round not counted.
    await round(rig, inboxes, warmUp, posted);
    await sleep(ROUND_GAP_MS);
    const cpuBefore = rig.cpuMs();
    const samples: Sample[] = [];
    for (let r = 0; r < rounds; r++) {
      samples.push(...(await round(rig, inboxes, batches[r]!, posted)));
      await sleep(ROUND_GAP_MS);
    }
    const cpuPerEmail = (rig.cpuMs() - cpuBefore) / samples.length;
    await sleep(1000); // anything posted twice would show up now
    const byMarker = posted.scan();
    const emails = [...warmUp, ...batches.flat()];
    const missing = emails.filter((e) => !byMarker.has(e.marker)).length;
    const doubled = emails.filter((e) => (byMarker.get(e.marker)?.length ?? 0) > 1).length;
    const connectionsAfter = rig.imapConnections();
    log(`  ${samples.length} emails in ${rounds} rounds; idle for ${settleMs / 1000} s`);
    await sleep(settleMs);
    const afterRss = await steadyRss(() => rig.memory().rss);
    const afterGc = await afterFullGc(rig);

    const latency = summarize(samples.map((s) => s.threadAt - s.appendAt));
    const part = (from: (s: Sample) => number | null, to: (s: Sample) => number | null) =>
      summarize(samples.flatMap((s) => {
        const a = from(s);
        const b = to(s);
        return a === null || b === null ? [] : [b - a];
      }));
    const notify = part((s) => s.appendAt, (s) => s.announcedAt);
    const ingest = part((s) => s.announcedAt, (s) => s.ingestedAt);
    const posting = part((s) => s.ingestedAt, (s) => s.threadAt);
    const at100 = n >= 100;
    const label = `${n} inbox${n > 1 ? 'es' : ''}`;
    const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric: `${label}: ${metric}`, value, unit, ...extra });
    return [
      row('spawn → every inbox in IDLE', allIdle / 1000, 's', {
        ...(at100 ? { target: { max: 15 } } : {}),
        note: `"Mailroom started" after ${((readyAt - rig.spawnedAt) / 1000).toFixed(2)} s; first to last "IMAP connected" ${(loginSpread / 1000).toFixed(2)} s; at most ${loginsPerSecond} logins within any one second (the start-up limiter: 10 at once, 50 ms apart)`,
      }),
      row('IMAP connections held', connections, 'count', { target: { min: n, max: n }, note: `TCP connections from the app to Dovecot, idle (${connectionsAfter} after the traffic)` }),
      row('RSS idle', idleRss / MB, 'MB', { ...(at100 ? { target: { max: 300 } } : {}), note: `after ${settleMs / 1000} s with nothing to do; ${(idleGc.rss / MB).toFixed(0)} MB after a full GC, live JS heap ${(idleGc.heapUsed / MB).toFixed(0)} MB` }),
      row('RSS after traffic', afterRss / MB, 'MB', {
        ...(at100 ? { target: { max: 300 } } : {}),
        note: `${settleMs / 1000} s after the last of ${samples.length} emails; ${(afterGc.rss / MB).toFixed(0)} MB after a full GC, live JS heap ${(afterGc.heapUsed / MB).toFixed(0)} MB`,
      }),
      row('email → Slack p50, every inbox at once', latency.p50, 'ms', {
        ...(at100 ? { target: { max: 700 } } : {}),
        note: `APPEND done → the email's thread message at the fake Slack, n=${latency.count}: ${rounds} rounds of one new conversation in every inbox at the same moment, ${ROUND_GAP_MS / 1000} s apart, after a round not counted (JIT); split p50: Dovecot's IDLE notification ${notify.p50} ms, fetch + parse + store ${ingest.p50} ms, posting (parent, then the email) ${posting.p50} ms; app CPU ${cpuPerEmail.toFixed(1)} ms per email`,
      }),
      row('email → Slack p95, every inbox at once', latency.p95, 'ms', { note: `max ${latency.max} ms; split p95: notification ${notify.p95} ms, fetch + parse + store ${ingest.p95} ms, posting ${posting.p95} ms` }),
      row('emails missing or posted twice', missing + doubled, 'count', { target: { max: 0 }, note: `${missing} missing, ${doubled} doubled, of ${emails.length}` }),
    ];
  } finally {
    await rig.close();
  }
}

export const manyInboxes: Section = {
  name: 'many-inboxes',
  title: 'Many inboxes in one process (1, 25, 100 by YAML): start-up to IDLE, connections, RSS, email → Slack with every inbox at once',
  async run(ctx) {
    // BENCH_INBOX_COUNTS=100,250 measures other sizes.
    const sizes = process.env.BENCH_INBOX_COUNTS ? process.env.BENCH_INBOX_COUNTS.split(',').map(Number) : ctx.quick ? [1, 10] : [1, 25, 100];
    const rows: Row[] = [];
    for (const n of sizes) rows.push(...(await measure(n, ctx.quick ? 2 : 4, ctx.quick ? 5000 : SETTLE_MS, ctx.log)));
    return rows;
  },
};
