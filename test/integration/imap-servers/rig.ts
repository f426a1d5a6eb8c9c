// A Mailroom wired to the test IMAP server of our own (test/support/imap-server.ts) instead of
// Dovecot, for the behaviours other servers have: the fake Slack Web API, the recording SMTP
// server, the real app with its real Bolt receiver. The app's log is kept, to check what it says.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type AppOverrides, type MailroomApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { createLogger } from '../../../src/logger.ts';
import { runDoctor, type DoctorCheck } from '../../../src/doctor/run-doctor.ts';
import { CHANNEL, IMAP_PASSWORD, INBOX_ADDRESS, MEMBER, SIGNING_SECRET } from '../../helpers/mailroom.ts';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { startImapServer, type ImapServerOptions, type TestImapServer } from '../../support/imap-server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.ts';
import { waitFor } from '../../support/wait.ts';

export interface ServerRig {
  imap: TestImapServer;
  slack: FakeSlack;
  smtp: TestSmtpServer;
  env: Record<string, string>;
  /** Every log line of every app built on the rig, parsed. */
  logs: Record<string, unknown>[];
  build(extraEnv?: Record<string, string>, overrides?: AppOverrides): MailroomApp;
  /** Builds and starts an app, and waits until its IMAP side is connected (per /healthz). */
  start(extraEnv?: Record<string, string>, overrides?: AppOverrides): Promise<{ app: MailroomApp; port: number }>;
  healthz(port: number): Promise<{ imap: Record<string, boolean>; imapFailing: Record<string, { failures: number; since: string }> }>;
  /** doctor's IMAP and Sent folder lines for the rig's configuration. */
  doctor(extraEnv?: Record<string, string>): Promise<{ imap: DoctorCheck; sent: DoctorCheck | undefined }>;
  deliver(raw: string | Buffer): void;
  close(): Promise<void>;
}

export async function startServerRig(options: ImapServerOptions = {}): Promise<ServerRig> {
  const imap = await startImapServer({ users: [{ user: INBOX_ADDRESS, password: IMAP_PASSWORD }], ...options });
  const slack = await startFakeSlack({
    users: [{ id: MEMBER, name: 'ana', real_name: 'Ana Lima', email: 'ana@example.com' }],
    channels: [{ id: CHANNEL, name: 'support', members: [MEMBER] }],
  });
  const smtp = await startSmtpServer();
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-imap-servers-'));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    MAILROOM_CHANNEL: CHANNEL,
    MAILROOM_ADDRESS: INBOX_ADDRESS,
    MAILROOM_NAME: 'Acme Support',
    IMAP_HOST: imap.host,
    IMAP_PORT: String(imap.port),
    IMAP_SECURE: 'false',
    IMAP_USER: INBOX_ADDRESS,
    IMAP_PASSWORD,
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    DATABASE_PATH: join(dir, 'mailroom.db'),
    MAILROOM_SEND_DELAY_SECONDS: '0',
    MAILROOM_POSTS_PER_SECOND: '200',
  };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      if (process.env.MAILROOM_TEST_LOG) process.stderr.write(chunk);
      done();
    },
  });
  const build: ServerRig['build'] = (extra = {}, overrides = {}) =>
    buildApp(loadConfig({ ...env, ...extra }), {
      logger: createLogger({ level: 'debug', destination: sink }),
      processBeforeResponse: true,
      imapBackoffMs: () => 200,
      slackRetryDelayMs: () => 100,
      outboxRetryDelaysMs: [300],
      catchUpPauseMs: 0,
      ...overrides,
    });
  const healthz: ServerRig['healthz'] = async (port) => (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Awaited<ReturnType<ServerRig['healthz']>>;
  return {
    imap,
    slack,
    smtp,
    env,
    logs,
    build,
    healthz,
    async start(extra = {}, overrides = {}) {
      const app = build(extra, overrides);
      const port = (await app.start()).port ?? 0;
      await waitFor(async () => Object.values((await healthz(port)).imap).every(Boolean), { timeoutMs: 10_000, description: 'IMAP connected in /healthz' });
      return { app, port };
    },
    async doctor(extra = {}) {
      const report = await runDoctor({ env: { ...env, ...extra }, timeoutMs: 5000 });
      const imapLine = report.checks.find((c) => c.name.startsWith('IMAP '));
      if (!imapLine) throw new Error(`no IMAP line in ${JSON.stringify(report.checks)}`);
      return { imap: imapLine, sent: report.checks.find((c) => c.name.startsWith('Sent folder')) };
    },
    deliver: (raw) => void imap.append('INBOX', raw),
    async close() {
      await smtp.stop();
      await slack.stop();
      await imap.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
