// Email → Slack latency: the app as a real process, Dovecot, the fake Slack. Emails are delivered
// one at a time, each after the previous one is in Slack plus a pause that gives the channel's
// token bucket back the posts it used, so each is measured alone. Half open a conversation
// (parent + thread message), half follow up in one (thread message only). Timestamps from the
// app's own log split each latency into Dovecot's IDLE notification, reading and storing, and
// posting.
import { startBenchRig, type BenchRig, type Delivered, INBOX_ADDRESS } from '../app-rig.ts';
import { createCorpus, type BenchEmail } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, PARENT_POST, mentions, postReader, type Post } from '../slack-posts.ts';
import { summarize } from '../stats.ts';
import { sleep } from '../../test/support/wait.ts';

export interface Sample {
  opens: boolean;
  bytes: number;
  appendAt: number;
  /** The app's "IMAP new mail announced" (Dovecot's IDLE EXISTS reached it). */
  announcedAt: number | null;
  /** The app's "email ingested" (fetched, parsed, stored). */
  ingestedAt: number | null;
  parentAt: number | null;
  threadAt: number;
}

const SECTION = 'email→slack';
const TIMEOUT_MS = 15_000;

/** Delivers one email and waits for its thread message; the app's log gives the split. */
export async function measureOne(rig: BenchRig, reader: ReturnType<typeof postReader>, email: BenchEmail): Promise<Sample> {
  const delivered: Delivered = await rig.deliver(email.raw);
  const deadline = delivered.at + TIMEOUT_MS;
  let thread: Post | undefined;
  while (!thread) {
    thread = reader.read().find((p) => p.kind === EMAIL_POST && p.at >= delivered.at - 5 && mentions(p, email.marker));
    if (thread) break;
    if (Date.now() > deadline) throw new Error(`email ${email.marker} did not reach Slack within ${TIMEOUT_MS} ms`);
    await sleep(10);
  }
  const parent = email.opens ? reader.read().find((p) => p.kind === PARENT_POST && p.ts === thread.threadTs) : undefined;
  const logs = rig.logs();
  const announced = logs.find((e) => e.msg === 'IMAP new mail announced' && e.count === delivered.count);
  const ingested = logs.find((e) => e.msg === 'email ingested' && e.uid === delivered.uid);
  return {
    opens: email.opens,
    bytes: email.raw.length,
    appendAt: delivered.at,
    announcedAt: announced?.time ?? null,
    ingestedAt: ingested?.time ?? null,
    parentAt: parent?.at ?? null,
    threadAt: thread.at,
  };
}

export function diffs(samples: Sample[], from: (s: Sample) => number | null, to: (s: Sample) => number | null): number[] {
  return samples.flatMap((s) => {
    const a = from(s);
    const b = to(s);
    return a === null || b === null ? [] : [b - a];
  });
}

const kb = (samples: Sample[]) => (samples.reduce((a, s) => a + s.bytes, 0) / samples.length / 1024).toFixed(1);

export const emailToSlack: Section = {
  name: 'email-to-slack',
  title: 'Email → Slack latency: APPEND done → the email’s thread message reaches the fake Slack',
  async run(ctx) {
    const total = ctx.quick ? 10 : 50;
    // Debug level adds the "new mail announced" line; the app's default posting rate is kept.
    const rig = await startBenchRig({ env: { LOG_LEVEL: 'debug' } });
    try {
      const reader = postReader(rig.slack);
      const corpus = createCorpus({ to: INBOX_ADDRESS, seed: 7 });
      // The first email after start pays for lazy loading and JIT: shown, not counted.
      const cold = await measureOne(rig, reader, await corpus.newConversation());
      await sleep(1500);
      const samples: Sample[] = [];
      let opener: BenchEmail | undefined;
      ctx.log(`  ${total} emails, one at a time`);
      for (let i = 0; i < total; i++) {
        const email = i % 2 === 0 || !opener ? await corpus.newConversation() : await corpus.followUp(opener);
        if (email.opens) opener = email;
        samples.push(await measureOne(rig, reader, email));
        // Each email alone: the channel's token bucket (default 1 post/s, burst 3) gets back
        // the posts this one used (2 for a new conversation) before the next email's posts, which
        // come ≥ 0.5 s after its APPEND. Faster, the bench would exceed the sustained rate and
        // measure the bucket running dry instead. Jitter keeps deliveries off any timer's beat.
        await sleep(Math.max(600, (email.opens ? 2 : 1) * 1000 - 500) + Math.floor(Math.random() * 300));
        if ((i + 1) % 10 === 0) ctx.log(`  ${i + 1}/${total}`);
      }

      const all = summarize(diffs(samples, (s) => s.appendAt, (s) => s.threadAt));
      const opens = samples.filter((s) => s.opens);
      const follows = samples.filter((s) => !s.opens);
      const parent = summarize(diffs(opens, (s) => s.appendAt, (s) => s.parentAt));
      const openThread = summarize(diffs(opens, (s) => s.appendAt, (s) => s.threadAt));
      const followThread = summarize(diffs(follows, (s) => s.appendAt, (s) => s.threadAt));
      const notify = summarize(diffs(samples, (s) => s.appendAt, (s) => s.announcedAt));
      const ingest = summarize(diffs(samples, (s) => s.announcedAt, (s) => s.ingestedAt));
      const firstPost = summarize(diffs(samples, (s) => s.ingestedAt, (s) => (s.opens ? s.parentAt : s.threadAt)));
      const pacing = summarize(diffs(opens, (s) => s.parentAt, (s) => s.threadAt));
      const n = `n=${all.count}`;
      // The split rows need the app's log lines; say so when some were not found.
      const of = (x: { count: number }) => (x.count < samples.length ? ` (n=${x.count} of ${samples.length})` : '');
      const row = (metric: string, value: number, extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit: 'ms', ...extra });
      const latency = { p50: { max: 700 }, p95: { max: 1200 } };
      return [
        row('all: email in Slack thread p50', all.p50, { target: latency.p50, note: `${n}: ${opens.length} new conversations, ${follows.length} follow-ups; text+HTML emails of ${kb(samples)} KB on average, with quoted history and a signature; default posting rate` }),
        row('all: email in Slack thread p95', all.p95, { target: latency.p95 }),
        row('all: email in Slack thread max', all.max),
        row('new conversation: parent p50', parent.p50, { note: 'the conversation shows in the channel' }),
        row('new conversation: parent p95', parent.p95),
        row('new conversation: email in thread p50', openThread.p50, { target: latency.p50 }),
        row('new conversation: email in thread p95', openThread.p95, { target: latency.p95 }),
        row('follow-up: email in thread p50', followThread.p50, { target: latency.p50 }),
        row('follow-up: email in thread p95', followThread.p95, { target: latency.p95 }),
        row('split: Dovecot IDLE notification p50', notify.p50, { note: `APPEND done → the app logs the IDLE EXISTS; Dovecot holds IDLE notifications back ~0.5 s by design${of(notify)}` }),
        row('split: fetch + parse + store p50', ingest.p50, { note: `EXISTS → "email ingested" in the app log${of(ingest)}` }),
        row('split: stored → first post p50', firstPost.p50, { note: 'to the parent post (new conversation) or the thread post (follow-up), as the fake Slack received it' }),
        row('split: parent → email in thread p50', pacing.p50, { note: 'new conversations: the gap between their two posts; with the posts of earlier emails given back to the channel’s token bucket (MAILROOM_POSTS_PER_SECOND default 1, MAILROOM_POSTS_BURST default 3) they go out together' }),
        row('first email after start', cold.threadAt - cold.appendAt, { note: 'a new conversation; lazy loading and JIT included; not in the percentiles' }),
      ];
    } finally {
      await rig.close();
    }
  },
};
