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
import { IMAP_PASSWORD, INBOX_ADDRESS, RIG_OVERRIDES, rigEnv, startRigSlack } from '../../helpers/mailroom.ts';
import type { FakeSlack } from '../../support/fake-slack.ts';
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
  const slack = await startRigSlack();
  const smtp = await startSmtpServer();
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-imap-servers-'));
  const env = rigEnv({ slack, imap, smtp, dir });
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
      ...RIG_OVERRIDES,
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
