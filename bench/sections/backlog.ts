// Backlog under Slack's rate limits: two inboxes (two Dovecot users, two channels, YAML config),
// the fake Slack enforcing a per-channel token bucket on chat.postMessage like Slack does, and
// the app paced at the same rate. 250 emails per inbox arrive while the app is stopped (a real
// backlog: found by the catch-up at start, queued behind any live mail); then, while both
// channels are still draining, new live emails arrive. Everything is read from the fake Slack's
// record of calls (arrival times at the fake) and the app's log.
import { startBenchRig, type BenchInbox, type BenchRig, type LogEntry } from '../app-rig.ts';
import { createCorpus, pairedBatches, type BenchEmail } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, PARENT_POST, mentions, postReader, type Post } from '../slack-posts.ts';
import { dump, summarize } from '../stats.ts';
import { inboxKey } from '../../src/config/inbox-list.ts';
import { sleep, waitFor } from '../../test/support/wait.ts';

const SECTION = 'backlog';
/** Posts per second per channel, the same for the fake Slack and the app (Slack's is about 1). */
const RATE = 10;
const FAKE_BURST = 3;
/** The app's default MAILROOM_POSTS_BURST. */
const APP_BURST = 3;
const CONNECTIONS = 4;
/** Live emails per inbox mid-drain (quick runs: 3), to each inbox in turn, LIVE_GAP_MS apart. */
const LIVE_PER_INBOX = 5;
const LIVE_GAP_MS = 1200;
const MARKER = /BX-[a-z0-9]+-\d{4}/;

const INBOXES: BenchInbox[] = [
  { name: 'Acme Support', channel: 'C0BENCHA01', address: 'support@example.com' },
  { name: 'Acme Sales', channel: 'C0BENCHB01', address: 'sales@example.com' },
];

interface LiveSample {
  inbox: BenchInbox;
  email: BenchEmail;
  appendAt: number;
  uid: number;
  announcedAt: number | null;
  ingestedAt: number | null;
  parentAt: number;
  threadAt: number;
  /** Backlog posts still to come in this channel when the live email was posted. */
  backlogLeft: number;
}

/** An inbox's backlog: opener and follow-up pairs, one batch per IMAP connection. */
async function backlogFor(inbox: BenchInbox, total: number, seed: number) {
  const corpus = createCorpus({ to: inbox.address, seed, runId: `${Date.now().toString(36)}${seed}` });
  return { corpus, ...(await pairedBatches(corpus, total, CONNECTIONS)) };
}

const inChannel = (posts: Post[], inbox: BenchInbox) => posts.filter((p) => p.call.args.channel === inbox.channel);
const markerOf = (p: Post) => MARKER.exec(JSON.stringify(p.call.args.blocks ?? p.call.args.text))?.[0] ?? '';

async function waitForLive(rig: BenchRig, reader: ReturnType<typeof postReader>, inbox: BenchInbox, email: BenchEmail, appendAt: number, uid: number): Promise<LiveSample> {
  const thread = await waitFor(() => reader.read().find((p) => p.kind === EMAIL_POST && mentions(p, email.marker)), {
    timeoutMs: 30_000,
    intervalMs: 5,
    description: `the live email ${email.marker} in Slack`,
  });
  const posts = reader.read();
  const parent = posts.find((p) => p.kind === PARENT_POST && p.ts === thread.threadTs)!;
  const key = inboxKey(inbox.name);
  const logs = rig.logs();
  const ingested = logs.find((e) => e.msg === 'email ingested' && e.uid === uid && e.inbox === key);
  // The EXISTS that told the app: the first announcement for this inbox after the APPEND.
  const announced = logs.find((e: LogEntry) => e.msg === 'IMAP new mail announced' && e.inbox === key && e.time >= appendAt);
  return {
    inbox,
    email,
    appendAt,
    uid,
    announcedAt: announced?.time ?? null,
    ingestedAt: ingested?.time ?? null,
    parentAt: parent.at,
    threadAt: thread.at,
    backlogLeft: 0,
  };
}

export const backlog: Section = {
  name: 'backlog',
  title: 'Backlog of 2 × 250 emails under a per-channel Slack rate limit, with live emails mid-drain',
  async run(ctx) {
    const perInbox = ctx.quick ? 60 : 250;
    const slotMs = 1000 / RATE;
    const rig = await startBenchRig({
      inboxes: INBOXES,
      env: { MAILROOM_POSTS_PER_SECOND: String(RATE), MAILROOM_POSTS_BURST: String(APP_BURST), LOG_LEVEL: 'debug' },
    });
    try {
      rig.slack.rateLimit({ perSecond: RATE, burst: FAKE_BURST });
      // The app has recorded where each mailbox stood; mail delivered now is a backlog at next start.
      await rig.stopApp();
      const backlogs = await Promise.all(INBOXES.map((inbox, i) => backlogFor(inbox, perInbox, 31 + i)));
      ctx.log(`  app stopped; delivering ${perInbox} emails to each of ${INBOXES.length} inboxes`);
      await Promise.all(INBOXES.map((inbox, i) => rig.deliverParallel(backlogs[i]!.batches, inbox.address)));
      const reader = postReader(rig.slack);
      const startedAt = Date.now();
      await rig.startApp();
      ctx.log(`  app started; ingesting the backlog`);

      // Live mail while both channels are still draining: once the catch-up has stored the whole
      // backlog (before that, the inbox's one IMAP connection is busy fetching it), one new
      // conversation per inbox in turn.
      const keys = INBOXES.map((i) => inboxKey(i.name));
      await waitFor(() => keys.every((k) => rig.logs().filter((e) => e.msg === 'email ingested' && e.inbox === k).length >= perInbox), {
        timeoutMs: 120_000,
        intervalMs: 100,
        description: 'the backlog stored',
      });
      const ingestedAt = Date.now();
      ctx.log(`  backlog stored after ${((ingestedAt - startedAt) / 1000).toFixed(1)} s; live emails while it drains`);
      const live: LiveSample[] = [];
      const liveEmails: BenchEmail[][] = INBOXES.map(() => []);
      const pending: Promise<LiveSample>[] = [];
      for (let round = 0; round < (ctx.quick ? 3 : LIVE_PER_INBOX); round++) {
        for (const [i, inbox] of INBOXES.entries()) {
          const email = await backlogs[i]!.corpus.newConversation();
          liveEmails[i]!.push(email);
          const d = await rig.deliver(email.raw, inbox.address);
          pending.push(waitForLive(rig, postReader(rig.slack), inbox, email, d.at, d.uid));
          await sleep(LIVE_GAP_MS);
        }
      }
      live.push(...(await Promise.all(pending)));

      // Everything in: each channel has every email's thread message.
      const expected = INBOXES.map((_, i) => perInbox + liveEmails[i]!.length);
      await waitFor(() => INBOXES.every((inbox, i) => inChannel(reader.read(), inbox).filter((p) => p.kind === EMAIL_POST).length >= expected[i]!), {
        timeoutMs: 180_000,
        intervalMs: 100,
        description: () => `every email in Slack (have ${INBOXES.map((inbox) => inChannel(reader.read(), inbox).filter((p) => p.kind === EMAIL_POST).length).join(' + ')})`,
      });
      await sleep(500); // anything posted twice would show up now
      const posts = reader.read();
      const calls = rig.slack.calls('chat.postMessage');
      dump('backlog', {
        startedAt,
        calls: calls.map((c) => ({ at: c.at, status: c.status, channel: c.args.channel, thread: !!c.args.thread_ts, marker: MARKER.exec(JSON.stringify(c.args.blocks ?? c.args.text ?? ''))?.[0] ?? null })),
        live,
        logs: rig.logs().filter((e) => e.msg !== 'email ingested' || liveEmails.length),
      });

      const rows: Row[] = [];
      const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      const intervals: [number, number][] = [];
      for (const [i, inbox] of INBOXES.entries()) {
        const mine = inChannel(posts, inbox);
        const first = mine[0]!.at;
        const last = mine.at(-1)!.at;
        intervals.push([first, last]);
        // At first, the fake's bucket holds FAKE_BURST posts; every further one needs 1/RATE s.
        const achieved = (mine.length - FAKE_BURST) / ((last - first) / 1000);
        const throttled = calls.filter((c) => c.status === 429 && c.args.channel === inbox.channel).length;
        const seen = new Map<string, number>();
        for (const p of mine.filter((p) => p.kind === EMAIL_POST)) seen.set(markerOf(p), (seen.get(markerOf(p)) ?? 0) + 1);
        const all = [...backlogs[i]!.emails, ...liveEmails[i]!];
        const missing = all.filter((e) => !seen.has(e.marker)).length;
        const twice = [...seen.values()].filter((n) => n > 1).length;
        const elsewhere = inChannel(posts, INBOXES[1 - i]!).filter((p) => all.some((e) => mentions(p, e.marker))).length;
        const name = `${inbox.name}`;
        rows.push(
          row(`${name}: posting rate ÷ allowed`, achieved / RATE, 'ratio', {
            target: { min: 0.9 },
            note: `${mine.length} posts (${perInbox} emails + ${liveEmails[i]!.length} live; parent + thread message for each new conversation) from ${((first - startedAt) / 1000).toFixed(1)} s to ${((last - startedAt) / 1000).toFixed(1)} s after start; rate = (posts − the fake's burst of ${FAKE_BURST}) ÷ (last − first post), allowed ${RATE}/s`,
          }),
          row(`${name}: 429s`, throttled, 'count', { target: { max: 0 }, note: `the fake Slack's token bucket: ${RATE}/s, burst ${FAKE_BURST}; the app: MAILROOM_POSTS_PER_SECOND=${RATE}, MAILROOM_POSTS_BURST=${APP_BURST}. Retry-After is whole seconds (at least 1), as Slack's: a 429 costs ${RATE} slots here, one at Slack's 1/s` }),
          row(`${name}: emails missing / twice / in the other channel`, missing + twice + elsewhere, 'count', { target: { max: 0 }, note: `${missing} missing, ${twice} posted twice, ${elsewhere} in the other inbox's channel, of ${all.length}` }),
        );
      }
      const [a, b] = intervals as [[number, number], [number, number]];
      const overlap = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
      const union = Math.max(a[1], b[1]) - Math.min(a[0], b[0]);
      rows.push(row('drain intervals overlap', overlap / union, 'ratio', { target: { min: 0.9 }, note: `time both channels were posting ÷ time either was: ${(overlap / 1000).toFixed(1)} s of ${(union / 1000).toFixed(1)} s` }));

      // Live emails: how long after the app heard of one its posts came, with the backlog queued.
      for (const s of live) s.backlogLeft = inChannel(posts, s.inbox).filter((p) => p.at > s.threadAt && !liveEmails.flat().some((e) => mentions(p, e.marker))).length;
      const stats = (f: (s: LiveSample) => number | null) => summarize(live.flatMap((s) => (f(s) === null ? [] : [f(s)!])));
      const notify = stats((s) => (s.announcedAt === null ? null : s.announcedAt - s.appendAt));
      const ingest = stats((s) => (s.announcedAt === null || s.ingestedAt === null ? null : s.ingestedAt - s.announcedAt));
      const queuedToParent = stats((s) => (s.ingestedAt === null ? null : s.parentAt - s.ingestedAt));
      const queuedToThread = stats((s) => (s.ingestedAt === null ? null : s.threadAt - s.ingestedAt));
      const appendToParent = stats((s) => s.parentAt - s.appendAt);
      const appendToThread = stats((s) => s.threadAt - s.appendAt);
      const stillQueued = Math.min(...live.map((s) => s.backlogLeft));
      const of = (x: { count: number }) => (x.count < live.length ? ` (n=${x.count} of ${live.length}: log lines missing)` : '');
      rows.push(
        row('live email: APPEND → parent post p50', appendToParent.p50, 'ms', {
          note: `n=${live.length} live new conversations, ${liveEmails[0]!.length} per inbox, delivered from ${((ingestedAt - startedAt) / 1000).toFixed(1)} s after start (once the backlog was stored) ${(LIVE_GAP_MS / 1000).toFixed(1)} s apart; at least ${stillQueued} backlog posts were still queued behind each`,
        }),
        row('live email: APPEND → parent post max', appendToParent.max, 'ms'),
        row('live email: APPEND → email in thread max', appendToThread.max, 'ms'),
        row('live email: split: Dovecot notification p50', notify.p50, 'ms', { note: `APPEND → the app logs the IDLE EXISTS ("IMAP new mail announced"); Dovecot holds it back ~0.5 s${of(notify)}` }),
        row('live email: split: fetch + parse + store p50', ingest.p50, 'ms', { note: `EXISTS → "email ingested" (stored and queued for Slack)${of(ingest)}` }),
        row('live email: queued → parent post max', queuedToParent.max, 'ms', {
          target: { max: 2 * slotMs },
          note: `the channel queue's promise, two posting slots (${slotMs} ms each at ${RATE}/s): "email ingested" → the fake Slack receives the parent; p50 ${queuedToParent.p50} ms`,
        }),
        row('live email: queued → email in thread max', queuedToThread.max, 'ms', { target: { max: 3 * slotMs }, note: `its second post, one slot after the parent; p50 ${queuedToThread.p50} ms` }),
      );
      return rows;
    } finally {
      await rig.close();
    }
  },
};
