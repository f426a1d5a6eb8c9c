// Memory with a 25 MB attachment: one email carrying a 25 MB file (random bytes, so nothing
// compresses) is delivered to the inbox; the app's resident size is sampled from /proc every
// 10 ms, and its peak (VmHWM, reset just before) read when the file is in Slack. A preload
// (tools/memory-trace.mjs) logs the JS heap and Buffer bytes alongside the app's own log lines,
// so the peak can be put next to the step that made it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchRig, DEFAULT_INBOX, type LogEntry } from '../app-rig.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, postReader } from '../slack-posts.ts';
import { dump, MB } from '../stats.ts';
import { composeEmail } from '../../test/support/mail.ts';
import { sleep, waitFor } from '../../test/support/wait.ts';

const SECTION = 'attachment';
const TRACE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'memory-trace.mjs');

interface Trace {
  time: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export const attachment: Section = {
  name: 'attachment',
  title: 'Memory (peak RSS) of the app while ingesting and posting an email with a 25 MB attachment',
  async run(ctx) {
    const bytes = ctx.quick ? 5 * MB : 25 * MB;
    const rig = await startBenchRig({ env: { NODE_OPTIONS: `--import ${TRACE}`, MEMORY_TRACE_MS: '20', LOG_LEVEL: 'debug' } });
    try {
      const file = randomBytes(bytes);
      const raw = await composeEmail({
        from: { name: 'Carla Cliente', address: 'carla@customer.example' },
        to: DEFAULT_INBOX.address,
        subject: 'Signed contract and scans',
        text: 'Hello,\n\nPlease find the signed contract and the scans attached.\n\nBest regards,\nCarla',
        attachments: [{ filename: 'scans.pdf', content: file, contentType: 'application/pdf' }],
        messageId: `<att.${Date.now()}@customer.example>`,
      });
      await sleep(3000); // start-up garbage settles a little first
      const before = rig.memory().rss;
      const peakReset = rig.resetPeak();
      let sampledPeak = 0;
      const sampler = setInterval(() => {
        try {
          sampledPeak = Math.max(sampledPeak, rig.memory().rss);
        } catch {
          // gone; noticed below
        }
      }, 10);
      ctx.log(`  delivering one email of ${(raw.length / MB).toFixed(1)} MB (a ${(bytes / MB).toFixed(0)} MB attachment)`);
      const appendStart = Date.now();
      const delivered = await rig.deliver(raw);
      const reader = postReader(rig.slack);
      const upload = await waitFor(() => rig.slack.uploads().find((u) => u.content.length === bytes), {
        timeoutMs: 120_000,
        intervalMs: 50,
        description: () => `the attachment in Slack; app output:\n${rig.app.output().slice(-1500)}`,
      });
      const uploadedAt = Date.now();
      await sleep(300);
      clearInterval(sampler);
      const hwm = rig.memory().peak;
      const intact = upload.content.equals(file);
      const thread = reader.read().find((p) => p.kind === EMAIL_POST);

      // Where the peak was: the app's memory trace next to its own log lines.
      const logs = rig.logs().filter((e) => e.time >= appendStart - 50);
      const traces = logs.filter((e) => e.msg === 'bench: memory') as unknown as (LogEntry & Trace)[];
      const steps = logs.filter((e) => e.msg !== 'bench: memory');
      const top = traces.reduce((a, t) => (t.rss > a.rss ? t : a), traces[0]!);
      const lastStep = steps.filter((e) => e.time <= top.time).at(-1);
      const maxOf = (k: keyof Trace) => Math.max(...traces.map((t) => t[k]));
      const stepAt = (msg: string) => steps.find((e) => e.msg === msg)?.time;
      dump('attachment', { appendStart, appendedAt: delivered.at, uploadedAt, steps: steps.map((e) => ({ t: e.time - appendStart, msg: e.msg })), traces: traces.map((t) => ({ t: t.time - appendStart, rss: t.rss, heapUsed: t.heapUsed, arrayBuffers: t.arrayBuffers })) });
      const at = (t: number | undefined) => (t === undefined ? '?' : `${((t - appendStart) / 1000).toFixed(2)} s`);
      const mb = (n: number) => (n / MB).toFixed(0);

      const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      const peak = peakReset ? Math.max(hwm, sampledPeak) : sampledPeak;
      return [
        row(`RSS peak, email with a ${mb(bytes)} MB attachment`, peak / MB, 'MB', {
          target: { max: 200 },
          note: `${peakReset ? 'VmHWM, reset just before the APPEND' : 'VmRSS sampled every 10 ms'}; the email is ${(raw.length / MB).toFixed(1)} MB as sent (base64); RSS before: ${mb(before)} MB`,
        }),
        row('RSS peak above the RSS before', (peak - before) / MB, 'MB', {
          note: `the trace's highest RSS came at ${at(top.time)} after the APPEND started, after "${lastStep?.msg ?? '?'}"; then heap ${mb(top.heapUsed)} MB, Buffers ${mb(top.arrayBuffers)} MB; highest Buffers ${mb(maxOf('arrayBuffers'))} MB, highest heap ${mb(maxOf('heapUsed'))} MB`,
        }),
        row('APPEND → file in Slack', (uploadedAt - appendStart) / 1000, 's', {
          note: `APPEND took ${at(delivered.at)}; ingested at ${at(stepAt('email ingested'))}; email in thread at ${at(thread?.at)}; the file arrived ${intact ? 'intact' : 'CHANGED'}`,
        }),
        row('attachment arrived changed', intact ? 0 : 1, 'count', { target: { max: 0 } }),
      ];
    } finally {
      await rig.close();
    }
  },
};
