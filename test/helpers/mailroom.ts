// A Mailroom wired to real test servers: a throw-away Dovecot, the fake Slack Web API, and
// (when a test needs it) the recording SMTP server. Tests drive it through IMAP APPEND and
// signed Slack requests, and assert what reached Slack, SMTP and the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type AppOverrides, type MailroomApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/load.ts';
import { createLogger, silentLogger } from '../../src/logger.ts';
import { startDovecot, type TestDovecot } from '../support/dovecot.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { startSmtpServer, type StartSmtpServerOptions, type TestSmtpServer } from '../support/smtp.ts';
import { sendEvent, messageEvent, type SlackResponse } from '../support/slack-requests.ts';
import { waitFor } from '../support/wait.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const CHANNEL = 'C0SUPPORT1';
export const MEMBER = 'U0MEMBER01';
export const INBOX_ADDRESS = 'support@example.com';
/** Distinctive, so a test can search logs for it. */
export const IMAP_PASSWORD = 'imap-Secret-7f3a9c';

export interface Rig {
  dovecot: TestDovecot;
  slack: FakeSlack;
  smtp: TestSmtpServer;
  dir: string;
  env: Record<string, string>;
  /** Builds (not starts) an app on the rig; several can be built over time on one database. */
  build(extraEnv?: Record<string, string>, overrides?: AppOverrides): MailroomApp;
  /** Builds and starts an app, and waits until its IMAP side has recorded its first start. */
  start(extraEnv?: Record<string, string>, overrides?: AppOverrides): Promise<{ app: MailroomApp; port: number }>;
  config(extraEnv?: Record<string, string>): Config;
  /** Sends a signed Slack event to a running app's HTTP receiver. */
  event(port: number, event: Record<string, unknown>, opts?: { eventId?: string }): Promise<SlackResponse>;
  /** Delivers a message to the support mailbox (IMAP APPEND). */
  deliver(raw: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface RigOptions {
  idle?: boolean;
  /** Dovecot also takes XOAUTH2/OAUTHBEARER tokens, checked at this introspection URL. */
  oauth2IntrospectionUrl?: string;
  smtp?: StartSmtpServerOptions;
  /** The SMTP server files what it accepts in the mailbox's Sent folder, as Gmail and Microsoft 365 do. */
  smtpFilesSent?: boolean;
}

/** The fake Slack every rig starts with: one member (Ana) in the inbox's channel. */
export function startRigSlack(): Promise<FakeSlack> {
  return startFakeSlack({
    users: [{ id: MEMBER, name: 'ana', real_name: 'Ana Lima', email: 'ana@example.com' }],
    channels: [{ id: CHANNEL, name: 'support', members: [MEMBER] }],
  });
}

/** The one inbox's environment on a rig's servers (whichever IMAP server it runs). */
export function rigEnv(o: { slack: FakeSlack; imap: { host: string; port: number }; smtp: TestSmtpServer; dir: string }): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: o.slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: o.slack.url,
    PORT: '0',
    MAILROOM_CHANNEL: CHANNEL,
    MAILROOM_ADDRESS: INBOX_ADDRESS,
    MAILROOM_NAME: 'Acme Support',
    IMAP_HOST: o.imap.host,
    IMAP_PORT: String(o.imap.port),
    IMAP_SECURE: 'false',
    IMAP_USER: INBOX_ADDRESS,
    IMAP_PASSWORD,
    SMTP_HOST: o.smtp.host,
    SMTP_PORT: String(o.smtp.port),
    DATABASE_PATH: join(o.dir, 'mailroom.db'),
    MAILROOM_SEND_DELAY_SECONDS: '0',
    MAILROOM_POSTS_PER_SECOND: '200',
  };
}

/** Short retry and back-off delays, and acknowledgements after the work, for every rig's app. */
export const RIG_OVERRIDES = {
  processBeforeResponse: true,
  imapBackoffMs: () => 200,
  slackRetryDelayMs: () => 100,
  outboxRetryDelaysMs: [300],
  catchUpPauseMs: 0,
} satisfies AppOverrides;

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const dovecot = await startDovecot({
    users: [{ user: INBOX_ADDRESS, password: IMAP_PASSWORD }],
    ...(opts.idle === false ? { idle: false } : {}),
    ...(opts.oauth2IntrospectionUrl ? { oauth2IntrospectionUrl: opts.oauth2IntrospectionUrl } : {}),
  });
  const slack = await startRigSlack();
  const filesSent = opts.smtpFilesSent ? { onAccepted: (raw: Buffer) => dovecot.append(INBOX_ADDRESS, 'Sent', raw, ['\\Seen']) } : {};
  const smtp = await startSmtpServer({ ...opts.smtp, ...filesSent });
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-test-'));
  const env = { ...rigEnv({ slack, imap: dovecot, smtp, dir }), LOG_LEVEL: 'error' };
  // Make INBOX exist before anything is written into it.
  const c = await dovecot.connect();
  await c.logout();
  const config = (extra: Record<string, string> = {}) => loadConfig({ ...env, ...extra });
  const build: Rig['build'] = (extra = {}, overrides = {}) =>
    buildApp(config(extra), {
      // MAILROOM_TEST_LOG=debug shows the app's log while debugging a test.
      logger: process.env.MAILROOM_TEST_LOG ? createLogger({ level: process.env.MAILROOM_TEST_LOG, destination: process.stderr }) : silentLogger(),
      ...RIG_OVERRIDES,
      ...overrides,
    });
  return {
    dovecot,
    slack,
    smtp,
    event: (port, event, opts = {}) => sendEvent(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, event, opts),
    dir,
    env,
    config,
    build,
    async start(extra = {}, overrides = {}) {
      const app = build(extra, overrides);
      const { port } = await app.start();
      await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
      return { app, port: port ?? 0 };
    },
    deliver: async (raw) => {
      await dovecot.append(INBOX_ADDRESS, 'INBOX', raw);
    },
    close: async () => {
      await smtp.stop();
      await slack.stop();
      await dovecot.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A plain email from a customer; every field can be overridden. */
export function email(o: {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
} = {}): string {
  const id = o.messageId ?? `<m${Date.now()}.${++counter}@customer.example>`;
  const lines = [
    `From: ${o.from ?? 'Carla Cliente <carla@customer.example>'}`,
    `To: ${o.to ?? INBOX_ADDRESS}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject ?? 'Order 1234 never arrived'}`,
    `Message-ID: ${id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    '',
    o.body ?? 'Hello, my order never arrived. Can you help?',
    '',
  ];
  return lines.join('\r\n');
}

/** A teammate's message in a conversation's thread, as Slack sends it. */
export function threadReply(o: { threadTs: string; text: string; user?: string; ts?: string; files?: unknown[] }): Record<string, unknown> {
  return messageEvent({ channel: CHANNEL, user: o.user ?? MEMBER, text: o.text, thread_ts: o.threadTs, ...(o.ts ? { ts: o.ts } : {}), ...(o.files ? { files: o.files } : {}) });
}
