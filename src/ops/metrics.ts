// /metrics: the app's telemetry as Prometheus series, through prom-client (the well-kept client
// made for this). It loads in the background at start (a faster start); what is counted before
// it has loaded is kept and counted then. Depths are read at scrape time, from the store and the
// posting queue. Inboxes are labelled by their key; nothing else about mail is ever a label.
import type * as Prom from 'prom-client';
import type { Telemetry } from '../core/telemetry.ts';
import type { Inboxes } from '../usecases/inboxes.ts';

export interface MetricsSources {
  inboxes: Inboxes;
  /** Emails not yet gone, by outbox status. */
  outboxDepth(): Record<string, number>;
  /** Slack posts waiting or running in a channel's lane. */
  queueDepth(channelId: string): number;
}

type Series = ReturnType<typeof register>;

function register(prom: typeof Prom, o: MetricsSources) {
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry, prefix: 'mailroom_' });
  const counter = (name: string, help: string, labelNames: string[]) => new prom.Counter({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, buckets: number[]) => new prom.Histogram({ name, help, labelNames: ['inbox'], buckets, registers: [registry] });
  new prom.Gauge({
    name: 'mailroom_outbox_emails',
    help: 'Emails teammates wrote that have not gone yet, by outbox status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      for (const [status, n] of Object.entries(o.outboxDepth())) this.set({ status }, n);
    },
  });
  new prom.Gauge({
    name: 'mailroom_post_queue_jobs',
    help: 'Slack posts waiting or running, per inbox channel',
    labelNames: ['inbox'],
    registers: [registry],
    collect() {
      for (const i of o.inboxes.all) this.set({ inbox: i.inbox.key }, o.queueDepth(i.inbox.channelId));
    },
  });
  return {
    registry,
    received: counter('mailroom_emails_received_total', 'Emails fetched from the mailbox, by kind and by what ingestion made of them', ['inbox', 'kind', 'outcome']),
    skipped: counter('mailroom_emails_skipped_total', 'Emails that could not be stored and were skipped', ['inbox']),
    posted: counter('mailroom_emails_posted_total', 'Emails posted in their Slack thread', ['inbox']),
    toSlack: histogram('mailroom_email_to_slack_seconds', 'From an email stored to it in its Slack thread', [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800]),
    sent: counter('mailroom_replies_sent_total', 'Emails teammates wrote, accepted by the SMTP server', ['inbox', 'kind']),
    failed: counter('mailroom_replies_failed_total', 'Emails teammates wrote that were not sent, for good', ['inbox']),
    retried: counter('mailroom_replies_retried_total', 'Temporary send failures, to be tried again', ['inbox']),
    toEmail: histogram('mailroom_slack_to_email_seconds', 'From an email due (after its undo window) to its SMTP acceptance', [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300]),
    rateLimited: counter('mailroom_slack_rate_limited_total', 'Slack answers 429 (rate limited) to posts', []),
    reconnects: counter('mailroom_imap_reconnects_total', 'IMAP sessions made again after one ended', ['inbox']),
    tokens: counter('mailroom_oauth_token_requests_total', 'OAuth2 token requests, by result', ['inbox', 'result']),
    timers: counter('mailroom_timers_fired_total', 'Timers the scheduler fired (SLA warnings and breaches, snoozes, reminders, scheduled sends…), by kind and lateness', ['kind', 'late']),
    jumps: counter('mailroom_clock_jumps_total', 'Wall-clock jumps the scheduler noticed', []),
  };
}

export function createMetrics(o: MetricsSources): Telemetry & { render(): Promise<{ contentType: string; body: string }> } {
  const key = (inboxId: number) => o.inboxes.byId(inboxId)?.inbox.key ?? String(inboxId);
  let series: Series | null = null;
  const early: ((s: Series) => void)[] = [];
  const loading = import('prom-client').then((prom) => {
    series = register(prom, o);
    for (const record of early.splice(0)) record(series);
    return series;
  });
  const record = (fn: (s: Series) => void) => (series ? fn(series) : void early.push(fn));
  return {
    emailReceived: (inboxId, kind, outcome) => record((s) => s.received.inc({ inbox: key(inboxId), kind, outcome })),
    emailSkipped: (inboxId) => record((s) => s.skipped.inc({ inbox: key(inboxId) })),
    emailPosted: (inboxId, seconds) =>
      record((s) => {
        s.posted.inc({ inbox: key(inboxId) });
        s.toSlack.observe({ inbox: key(inboxId) }, seconds);
      }),
    replySent: (inboxId, kind, seconds) =>
      record((s) => {
        s.sent.inc({ inbox: key(inboxId), kind });
        s.toEmail.observe({ inbox: key(inboxId) }, seconds);
      }),
    replyFailed: (inboxId) => record((s) => s.failed.inc({ inbox: key(inboxId) })),
    replyRetried: (inboxId) => record((s) => s.retried.inc({ inbox: key(inboxId) })),
    slackRateLimited: () => record((s) => s.rateLimited.inc()),
    imapReconnect: (inboxId) => record((s) => s.reconnects.inc({ inbox: key(inboxId) })),
    tokenRefresh: (inboxId, ok) => record((s) => s.tokens.inc({ inbox: key(inboxId), result: ok ? 'ok' : 'failed' })),
    timerFired: (kind, late) => record((s) => s.timers.inc({ kind, late: late ? 'true' : 'false' })),
    clockJumped: () => record((s) => s.jumps.inc()),
    async render() {
      const s = await loading;
      return { contentType: s.registry.contentType, body: await s.registry.metrics() };
    },
  };
}
