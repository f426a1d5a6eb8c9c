// Slack → email latency: the app as a real process with the undo window at 0, the recording SMTP
// server from test/support, conversations opened by real inbound email. Each reply is put into
// the fake Slack as a teammate's thread message and announced to the app by a correctly signed
// `message` event; the clock runs from just before the event is sent to the SMTP server having
// the whole message. Replies go one at a time, each after the previous one was also filed in the
// Sent folder, so each is measured alone.
import { startBenchRig, DEFAULT_INBOX, MEMBER, SIGNING_SECRET, type BenchRig } from '../app-rig.ts';
import { createCorpus, type BenchEmail } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { EMAIL_POST, mentions, postReader } from '../slack-posts.ts';
import { summarize } from '../stats.ts';
import { simpleParser } from 'mailparser';
import { startSmtpServer, type ReceivedMessage, type TestSmtpServer } from '../../test/support/smtp.ts';
import { messageEvent, sendEvent } from '../../test/support/slack-requests.ts';
import { sleep, waitFor } from '../../test/support/wait.ts';

const SECTION = 'slack→email';
const CONVERSATIONS = 10;

interface Sample {
  sentAt: number;
  /** Bolt answered the event's HTTP request. */
  ackAt: number;
  /** The app's "reply queued" (stored in the outbox). */
  queuedAt: number | null;
  /** The app's "email accepted by SMTP server". */
  acceptedAt: number | null;
  receivedAt: number;
}

const REPLIES = [
  'Thanks for letting us know, and sorry about the trouble. We have sent a replacement today; you should have it by Friday.',
  'Hi! I have checked with our accounts team: the corrected invoice is on its way, with your VAT number on it.',
  'Sorry for the wait. Could you tell us which browser you use? In the meantime, clearing cookies for our site usually fixes it.',
  'Happy to help. The annual plan is billed once a year at a 15% discount, and you can switch at any time from *Billing*.',
];

/** Conversations opened by real inbound email; resolves with each one's parent ts. */
async function openConversations(rig: BenchRig, n: number): Promise<string[]> {
  const corpus = createCorpus({ to: DEFAULT_INBOX.address, seed: 23 });
  const emails: BenchEmail[] = [];
  for (let i = 0; i < n; i++) emails.push(await corpus.newConversation());
  for (const e of emails) await rig.deliver(e.raw);
  const reader = postReader(rig.slack);
  return waitFor(
    () => {
      const posts = reader.read().filter((p) => p.kind === EMAIL_POST);
      const parents = emails.map((e) => posts.find((p) => mentions(p, e.marker))?.threadTs);
      return parents.every(Boolean) ? (parents as string[]) : undefined;
    },
    { timeoutMs: 30_000, description: `${n} conversations in Slack` },
  );
}

async function measureOne(rig: BenchRig, smtp: TestSmtpServer, parentTs: string, n: number): Promise<Sample> {
  const marker = `RX-${Date.now().toString(36)}-${n}`;
  const text = `${REPLIES[n % REPLIES.length]!}\n\nReference: ${marker}`;
  const message = rig.slack.postAsUser(DEFAULT_INBOX.channel, { user: MEMBER, text, thread_ts: parentTs });
  const before = smtp.messages.length;
  const sentAt = Date.now();
  const response = await sendEvent(rig.eventsUrl, SIGNING_SECRET, messageEvent({ channel: DEFAULT_INBOX.channel, user: MEMBER, text, ts: message.ts, thread_ts: parentTs }));
  const ackAt = Date.now();
  if (response.status !== 200) throw new Error(`the app answered the event with ${response.status}: ${response.body.slice(0, 200)}`);
  const received: ReceivedMessage = await waitFor(() => smtp.messages.slice(before).find((m) => m.raw.includes(marker)), {
    timeoutMs: 10_000,
    intervalMs: 2,
    description: () => `the reply ${marker} at the SMTP server; app output:\n${rig.app.output().slice(-1500)}`,
  });
  // Let the worker file it in the Sent folder before the next reply comes.
  await waitFor(() => rig.logs().some((e) => e.msg === 'copy appended to Sent folder' && e.time >= received.receivedAt.getTime() - 50), {
    timeoutMs: 5000,
    description: 'the reply filed in the Sent folder',
  }).catch(() => undefined);
  const logs = rig.logs().filter((e) => e.time >= sentAt - 5);
  return {
    sentAt,
    ackAt,
    queuedAt: logs.find((e) => e.msg === 'reply queued')?.time ?? null,
    acceptedAt: logs.find((e) => e.msg === 'email accepted by SMTP server')?.time ?? null,
    receivedAt: received.receivedAt.getTime(),
  };
}

const span = (samples: Sample[], from: (s: Sample) => number | null, to: (s: Sample) => number | null) =>
  summarize(samples.flatMap((s) => {
    const a = from(s);
    const b = to(s);
    return a === null || b === null ? [] : [b - a];
  }));

export const slackToEmail: Section = {
  name: 'slack-to-email',
  title: 'Slack → email latency: signed thread-reply event sent → the SMTP server has the whole reply',
  async run(ctx) {
    const total = ctx.quick ? 10 : 50;
    const smtp = await startSmtpServer();
    // A fast posting rate only to open the conversations quickly; replies don't post to Slack.
    const rig = await startBenchRig({ smtp: { host: smtp.host, port: smtp.port }, env: { MAILROOM_POSTS_PER_SECOND: '50' } });
    try {
      ctx.log(`  opening ${CONVERSATIONS} conversations by email`);
      const parents = await openConversations(rig, CONVERSATIONS);
      // The first reply pays for lazy loading (nodemailer, the SMTP connection, JIT): not counted.
      const cold = await measureOne(rig, smtp, parents[0]!, 0);
      const samples: Sample[] = [];
      ctx.log(`  ${total} replies, one at a time`);
      for (let i = 1; i <= total; i++) {
        samples.push(await measureOne(rig, smtp, parents[i % CONVERSATIONS]!, i));
        await sleep(100 + Math.floor(Math.random() * 150));
        if (i % 10 === 0) ctx.log(`  ${i}/${total}`);
      }
      // What the recording server adds: it parses each message before recording it.
      const raw = smtp.messages.at(-1)!.raw;
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) await simpleParser(raw);
      const parseMs = (performance.now() - t0) / 20;

      const all = span(samples, (s) => s.sentAt, (s) => s.receivedAt);
      const ack = span(samples, (s) => s.sentAt, (s) => s.ackAt);
      const queued = span(samples, (s) => s.sentAt, (s) => s.queuedAt);
      const sending = span(samples, (s) => s.queuedAt, (s) => s.acceptedAt);
      const of = (x: { count: number }) => (x.count < samples.length ? ` (n=${x.count} of ${samples.length})` : '');
      const row = (metric: string, value: number, extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit: 'ms', ...extra });
      return [
        row('reply at SMTP server p50', all.p50, {
          target: { max: 100 },
          note: `n=${all.count} replies over ${CONVERSATIONS} conversations opened by real email; MAILROOM_SEND_DELAY_SECONDS=0; text+HTML replies of ${(raw.length / 1024).toFixed(1)} KB; includes the recording server's own parse of each message (${parseMs.toFixed(1)} ms)`,
        }),
        row('reply at SMTP server p95', all.p95, { target: { max: 250 } }),
        row('reply at SMTP server max', all.max),
        row('split: event acknowledged p50', ack.p50, { note: 'the app’s HTTP answer to the signed event (Bolt acknowledges before the listener runs)' }),
        row('split: event → reply stored in outbox p50', queued.p50, { note: `"reply queued" in the app log: signature check, conversation lookup, membership check, outbox insert${of(queued)}` }),
        row('split: stored → SMTP accepted p50', sending.p50, { note: `to "email accepted by SMTP server": build the email (names, mrkdwn → text + HTML) and the SMTP conversation${of(sending)}` }),
        row('first reply after start', cold.receivedAt - cold.sentAt, { note: 'lazy loading, first SMTP connection and JIT included; not in the percentiles' }),
      ];
    } finally {
      await rig.close();
      await smtp.stop();
    }
  },
};
