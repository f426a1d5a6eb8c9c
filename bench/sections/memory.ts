// Memory and throughput: the app's RSS idle, then 1,000 emails delivered as fast as IMAP APPEND
// goes (half open conversations, half follow up), the posting rate raised so Slack pacing does not
// dominate, until every email's thread message reached the fake Slack. RSS is sampled all along.
import { startBenchRig, INBOX_ADDRESS } from '../app-rig.ts';
import { createCorpus, type BenchEmail } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, postReader } from '../slack-posts.ts';
import { MB } from '../stats.ts';
import { sleep } from '../../test/support/wait.ts';

const SECTION = 'memory';
const POSTS_PER_SECOND = 500;
const MARKER = /BX-[a-z0-9]+-\d{4}/;

/** RSS samples every `everyMs` until stopped; returns the highest seen. */
function sampler(read: () => number, everyMs: number) {
  let max = 0;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, read());
    } catch {
      // the process is gone; the caller will notice
    }
  }, everyMs);
  return { stop: () => (clearInterval(timer), max) };
}

/** The settled RSS: the median of a few readings a little apart. */
async function settledRss(read: () => number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(read());
    await sleep(200);
  }
  return readings.sort((a, b) => a - b)[2]!;
}

export const memory: Section = {
  name: 'memory',
  title: 'Memory (RSS) of the app process idle and after 1,000 emails, and ingest throughput',
  async run(ctx) {
    const total = ctx.quick ? 200 : 1000;
    const rig = await startBenchRig({ env: { MAILROOM_POSTS_PER_SECOND: String(POSTS_PER_SECOND), LOG_LEVEL: 'info' } });
    try {
      const rss = () => rig.memory().rss;
      await sleep(2000);
      const idle = await settledRss(rss);

      // Composed before the clock starts: the bench's own work is not the app's.
      const corpus = createCorpus({ to: INBOX_ADDRESS, seed: 11 });
      const emails: BenchEmail[] = [];
      for (let i = 0; i < total; i++) emails.push(i % 2 === 0 ? await corpus.newConversation() : await corpus.followUp(emails[i - 1]!));
      const bytes = emails.reduce((a, e) => a + e.raw.length, 0);
      ctx.log(`  delivering ${total} emails (${(bytes / MB).toFixed(1)} MB)`);

      const reader = postReader(rig.slack);
      const peakSampler = sampler(rss, 50);
      const started = Date.now();
      for (const e of emails) await rig.deliver(e.raw);
      const appended = Date.now();
      let posted = 0;
      const deadline = appended + 180_000;
      while (posted < total) {
        posted = reader.read().filter((p) => p.kind === EMAIL_POST).length;
        if (Date.now() > deadline) break;
        await sleep(50);
      }
      const done = Date.now();
      const peakSampled = peakSampler.stop();
      const afterNow = rss();
      await sleep(3000);
      const after = await settledRss(rss);
      const peak = Math.max(peakSampled, rig.memory().peak);

      const threadPosts = reader.read().filter((p) => p.kind === EMAIL_POST);
      const seen = new Map<string, number>();
      for (const p of threadPosts) {
        const marker = MARKER.exec(JSON.stringify(p.call.args.blocks ?? p.call.args.text))?.[0] ?? '';
        seen.set(marker, (seen.get(marker) ?? 0) + 1);
      }
      const missing = emails.filter((e) => !seen.has(e.marker)).length;
      const doubled = [...seen.values()].filter((n) => n > 1).length;
      const ingestTimes = rig.logs().filter((e) => e.msg === 'email ingested').map((e) => e.time);
      const ingestSpan = ingestTimes.length > 1 ? (Math.max(...ingestTimes) - started) / 1000 : Number.NaN;

      const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      return [
        row('RSS idle', idle / MB, 'MB', { target: { max: 150 }, note: 'after start-up and 2 s of quiet; the process runs TypeScript through tsx, whose loader is part of it' }),
        row(`RSS after ${total} emails`, after / MB, 'MB', { target: { max: 150 }, note: `3 s after the last one was posted (${(afterNow / MB).toFixed(0)} MB at that moment)` }),
        row(`RSS peak during ${total} emails`, peak / MB, 'MB'),
        row('throughput, APPEND → in Slack', posted / ((done - started) / 1000), 'emails/s', {
          note: `${posted}/${total} thread messages posted in ${((done - started) / 1000).toFixed(1)} s; APPENDs took ${((appended - started) / 1000).toFixed(1)} s; posting rate set to ${POSTS_PER_SECOND}/s; ${(bytes / total / 1024).toFixed(1)} KB per email`,
        }),
        row('throughput, ingest only', ingestTimes.length / ingestSpan, 'emails/s', { note: 'first APPEND → last "email ingested" log line' }),
        row('emails missing in Slack', missing, 'count', { target: { max: 0 } }),
        row('emails posted twice', doubled, 'count', { target: { max: 0 } }),
      ];
    } finally {
      await rig.close();
    }
  },
};
