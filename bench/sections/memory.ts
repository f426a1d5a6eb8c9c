// Memory and throughput: the app's RSS idle, then 1,000 emails delivered at once over four IMAP
// connections (half open conversations, half follow up), the posting rate raised so Slack pacing
// does not dominate, until every email's thread message reached the fake Slack. RSS is read from
// /proc as the OS sees it; a preload in the app (tools/heap-probe.mjs) also reports memory after
// a full GC on SIGUSR2, which tells live memory (a leak) from garbage V8 has not collected yet.
import { startBenchRig, INBOX_ADDRESS } from '../app-rig.ts';
import { afterFullGc, HEAP_PROBE, sampler, SETTLE_MS, steadyRss } from '../app-memory.ts';
import { createCorpus, pairedBatches } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, postReader } from '../slack-posts.ts';
import { MB } from '../stats.ts';
import { sleep } from '../../test/support/wait.ts';

const SECTION = 'memory';
const POSTS_PER_SECOND = 500;
const CONNECTIONS = 4;
const MARKER = /BX-[a-z0-9]+-\d{4}/;

export const memory: Section = {
  name: 'memory',
  title: 'Memory (RSS) of the app process idle and after 1,000 emails, and ingest throughput',
  async run(ctx) {
    const total = ctx.quick ? 200 : 1000;
    const settle = ctx.quick ? 5000 : SETTLE_MS;
    const rig = await startBenchRig({
      env: { MAILROOM_POSTS_PER_SECOND: String(POSTS_PER_SECOND), LOG_LEVEL: 'info', NODE_OPTIONS: `--import ${HEAP_PROBE}` },
    });
    try {
      const rss = () => rig.memory().rss;
      await sleep(2000);
      const fresh = await steadyRss(rss);
      ctx.log(`  idle for ${settle / 1000} s`);
      await sleep(settle - 3000);
      const idle = await steadyRss(rss);
      const idleGc = await afterFullGc(rig);

      // Composed before the clock starts: the bench's own work is not the app's.
      const { emails, batches } = await pairedBatches(createCorpus({ to: INBOX_ADDRESS, seed: 11 }), total, CONNECTIONS);
      const bytes = emails.reduce((a, e) => a + e.raw.length, 0);
      ctx.log(`  delivering ${total} emails (${(bytes / MB).toFixed(1)} MB) over ${CONNECTIONS} IMAP connections`);

      const reader = postReader(rig.slack);
      const peakSampler = sampler(rss, 50);
      const cpuBefore = rig.cpuMs();
      const started = Date.now();
      await rig.deliverParallel(batches);
      const appended = Date.now();
      let posted = 0;
      const deadline = appended + 180_000;
      while (posted < total && Date.now() < deadline) {
        posted = reader.read().filter((p) => p.kind === EMAIL_POST).length;
        await sleep(50);
      }
      const done = Date.now();
      const cpuUsed = rig.cpuMs() - cpuBefore;
      const peak = peakSampler.stop();
      const afterNow = await steadyRss(rss);
      ctx.log(`  ${posted} posted in ${((done - started) / 1000).toFixed(1)} s; idle for ${settle / 1000} s`);
      await sleep(settle - 1000);
      const after = await steadyRss(rss);
      const afterGc = await afterFullGc(rig);

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
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

      const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      return [
        row('RSS 2 s after start', fresh / MB, 'MB', { note: 'start-up garbage not yet collected is part of this' }),
        row('RSS idle', idle / MB, 'MB', { target: { max: 150 }, note: `after ${settle / 1000} s with nothing to do (V8 holds on to start-up garbage until then)` }),
        row(`RSS when ${total} emails were posted`, afterNow / MB, 'MB'),
        row(`RSS peak during ${total} emails`, peak / MB, 'MB', { note: 'sampled every 50 ms' }),
        row(`RSS after ${total} emails`, after / MB, 'MB', { target: { max: 150 }, note: `${settle / 1000} s after the last one was posted, as the OS sees it` }),
        row(`RSS after ${total} emails + full GC`, afterGc.rss / MB, 'MB', { note: 'what is left once the garbage is collected (forced by the bench’s preload)' }),
        row('live JS heap idle', idleGc.heapUsed / MB, 'MB', { note: 'heapUsed after a full GC' }),
        row(`live JS heap after ${total} emails`, afterGc.heapUsed / MB, 'MB', { note: 'heapUsed after a full GC; growth over idle would be a leak' }),
        row('throughput, APPEND → in Slack', posted / ((done - started) / 1000), 'emails/s', {
          note: `${posted}/${total} thread messages posted in ${s(done - started)}; the APPENDs (${CONNECTIONS} connections) took ${s(appended - started)}; posting rate set to ${POSTS_PER_SECOND}/s; ${(bytes / total / 1024).toFixed(1)} KB per email`,
        }),
        row('throughput, ingest only', ingestTimes.length / ingestSpan, 'emails/s', { note: 'first APPEND → last "email ingested" log line' }),
        row('app CPU per email', cpuUsed / total, 'ms', { note: 'user + system time of the app process (/proc) over the run, per email: less sensitive to a busy machine than the rates' }),
        row('emails missing in Slack', missing, 'count', { target: { max: 0 } }),
        row('emails posted twice', doubled, 'count', { target: { max: 0 } }),
      ];
    } finally {
      await rig.close();
    }
  },
};
