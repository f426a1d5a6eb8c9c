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

/** How long the app is left alone before "settled" readings: V8 gives unused heap back to the
 * OS only after ~30–40 s without much allocation (measured: 174 MB at 25 s, 123 MB at 40 s). */
const SETTLE_MS = 45_000;

/** The median of a few readings a little apart. */
async function steadyRss(read: () => number): Promise<number> {
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
      const settle = ctx.quick ? 5000 : SETTLE_MS;
      await sleep(2000);
      const fresh = await steadyRss(rss);
      ctx.log(`  idle for ${settle / 1000} s`);
      await sleep(settle - 3000);
      const idle = await steadyRss(rss);

      // Composed before the clock starts: the bench's own work is not the app's.
      const corpus = createCorpus({ to: INBOX_ADDRESS, seed: 11 });
      const emails: BenchEmail[] = [];
      for (let i = 0; i < total; i++) emails.push(i % 2 === 0 ? await corpus.newConversation() : await corpus.followUp(emails[i - 1]!));
      const bytes = emails.reduce((a, e) => a + e.raw.length, 0);
      ctx.log(`  delivering ${total} emails (${(bytes / MB).toFixed(1)} MB)`);

      const reader = postReader(rig.slack);
      const peakSampler = sampler(rss, 50);
      const cpuBefore = rig.cpuMs();
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
      const cpuUsed = rig.cpuMs() - cpuBefore;
      const peak = peakSampler.stop();
      const afterNow = await steadyRss(rss);
      ctx.log(`  ${posted} posted in ${((done - started) / 1000).toFixed(1)} s; idle for ${settle / 1000} s`);
      await sleep(settle - 1000);
      const after = await steadyRss(rss);

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
        row('RSS 2 s after start', fresh / MB, 'MB', { note: 'the process runs its TypeScript through tsx: its loader thread and transpiling are part of this' }),
        row('RSS idle', idle / MB, 'MB', { target: { max: 150 }, note: `after ${settle / 1000} s with nothing to do (V8 keeps start-up garbage's heap until then)` }),
        row(`RSS when ${total} emails were posted`, afterNow / MB, 'MB'),
        row(`RSS after ${total} emails`, after / MB, 'MB', { target: { max: 150 }, note: `${settle / 1000} s after the last one was posted` }),
        row(`RSS peak during ${total} emails`, peak / MB, 'MB', { note: 'sampled every 50 ms' }),
        row('throughput, APPEND → in Slack', posted / ((done - started) / 1000), 'emails/s', {
          note: `${posted}/${total} thread messages posted in ${((done - started) / 1000).toFixed(1)} s; APPENDs took ${((appended - started) / 1000).toFixed(1)} s; posting rate set to ${POSTS_PER_SECOND}/s; ${(bytes / total / 1024).toFixed(1)} KB per email`,
        }),
        row('throughput, ingest only', ingestTimes.length / ingestSpan, 'emails/s', { note: 'first APPEND → last "email ingested" log line' }),
        row('app CPU per email', cpuUsed / total, 'ms', { note: 'user + system time of the app process (/proc) over the run, divided by the emails: less sensitive to a busy machine than the rates' }),
        row('emails missing in Slack', missing, 'count', { target: { max: 0 } }),
        row('emails posted twice', doubled, 'count', { target: { max: 0 } }),
      ];
    } finally {
      await rig.close();
    }
  },
};
