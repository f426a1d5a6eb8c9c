// `node bin/mailroom.js doctor` as a real process: the printed lines, the exit status, --json,
// the .env file of the working directory, and no secret in anything it writes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_BOT_SCOPES } from '../../../src/doctor/run-doctor.ts';
import { startDovecot, type TestDovecot } from '../../support/dovecot.ts';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.ts';
import { makeTempDir, type TempDir } from '../../support/tmp.ts';
import { startSlackFront, type SlackFront } from '../../support/slack-front.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'mailroom.js');
const BOT_TOKEN = 'xoxb-process-bot-token-0002';
const APP_TOKEN = 'xapp-1-process-app-token-0002';
const IMAP_PASSWORD = 'imap-pass-Rt44';
const WRONG = 'wrong-password-Mm02';

let dovecot: TestDovecot;
let smtp: TestSmtpServer;
let fake: FakeSlack;
let front: SlackFront;
let cwd: TempDir;

beforeAll(async () => {
  [dovecot, smtp, fake] = await Promise.all([
    startDovecot({ users: [{ user: 'support@example.com', password: IMAP_PASSWORD }] }),
    startSmtpServer(),
    startFakeSlack({ token: BOT_TOKEN, channels: [{ id: 'C0SUPPORT01', name: 'support' }] }),
  ]);
  front = await startSlackFront(fake, { appToken: APP_TOKEN, scopes: [...REQUIRED_BOT_SCOPES] });
  cwd = makeTempDir('mailroom-doctor-'); // no stray .env from the checkout
});

afterAll(async () => {
  cwd?.remove();
  await Promise.all([dovecot?.destroy(), smtp?.stop(), front?.stop(), fake?.stop()]);
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: front.url,
    MAILROOM_CHANNEL: 'C0SUPPORT01',
    MAILROOM_ADDRESS: 'support@example.com',
    IMAP_HOST: '127.0.0.1',
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    IMAP_USER: 'support@example.com',
    IMAP_PASSWORD,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    ...overrides,
  };
}

function runDoctorProcess(e: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'doctor', ...args], { cwd: cwd.path, env: { PATH: process.env.PATH ?? '', ...e }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function expectNoSecrets(text: string): void {
  for (const secret of [BOT_TOKEN, APP_TOKEN, IMAP_PASSWORD, WRONG]) expect(text).not.toContain(secret);
}

describe('mailroom doctor (process)', () => {
  it('prints a ✔ line per check and a summary, and exits 0 when all pass', async () => {
    const run = await runDoctorProcess(env());
    expectNoSecrets(run.stdout + run.stderr);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 9)).toEqual([
      expect.stringMatching(/^✔ Configuration — 1 inbox \(Inbox <support@example\.com>\) from the environment; Socket Mode; /),
      '✔ Slack auth.test — token valid: bot @mailroom (U0BOT00001) in team Mailroom Test (T0FAKE0001)',
      `✔ Slack scopes — all ${REQUIRED_BOT_SCOPES.length} bot scopes the app needs are granted`,
      '✔ Slack Socket Mode — SLACK_APP_TOKEN valid: apps.connections.open issued a Socket Mode connection URL',
      '✔ Slack channel C0SUPPORT01 (Inbox) — the bot is a member of #support',
      '✔ Sign-in support@example.com — password (IMAP and SMTP)',
      `✔ IMAP support@example.com@127.0.0.1:${dovecot.port} — logged in, INBOX has 0 messages, IDLE supported`,
      '✔ Sent folder support@example.com@127.0.0.1 — copies of replies will go to "Sent" (\\Sent)',
      expect.stringMatching(new RegExp(`^✔ SMTP 127\\.0\\.0\\.1:${smtp.port} — connected; no SMTP_USER set`)),
    ]);
    expect(lines.slice(9)).toEqual(['', 'All good: 9 checks passed (0 warnings), 0 failed.']);
    expect(run.code).toBe(0);
  });

  it('prints ✘ with the fix and exits 1 on a failure; reads .env from the working directory', async () => {
    const { IMAP_PASSWORD: _, ...rest } = env();
    writeFileSync(join(cwd.path, '.env'), `IMAP_PASSWORD=${WRONG}\n`);
    try {
      const run = await runDoctorProcess(rest);
      expectNoSecrets(run.stdout + run.stderr);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^✘ IMAP support@example\\.com@127\\.0\\.0\\.1:${dovecot.port} — login refused for support@example\\.com .*check IMAP_USER and IMAP_PASSWORD`, 'm'));
      expect(run.stdout).not.toContain('Sent folder');
      expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Problems found: 7 checks passed (0 warnings), 1 failed. Fix the ✘ lines above and run mailroom doctor again.');
    } finally {
      writeFileSync(join(cwd.path, '.env'), '');
    }
  });

  it('prints one failing line per configuration problem and exits 1', async () => {
    const { MAILROOM_CHANNEL: _, ...rest } = env({ IMAP_PORT: '99999' });
    const run = await runDoctorProcess(rest);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('✘ Configuration — '))).toHaveLength(2);
    expect(run.stdout).toContain('✘ Configuration — MAILROOM_CHANNEL is required');
    expect(run.stdout).toContain('✘ Configuration — IMAP_PORT must be a port number');
    expect(lines.at(-1)).toMatch(/^Problems found: 0 checks passed \(0 warnings\), 2 failed\./);
  });

  it('prints the results as JSON with --json, and rejects unknown arguments with exit 2', async () => {
    const run = await runDoctorProcess(env({ SLACK_BOT_TOKEN: 'xoxb-refused-by-slack' }), ['--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; failed: number; checks: { name: string; ok: boolean; warning: boolean; detail: string }[] };
    expect(report.ok).toBe(false);
    expect(report.failed).toBe(1);
    expect(report.checks.find((c) => c.name === 'Slack auth.test')).toMatchObject({ ok: false, warning: false, detail: expect.stringContaining('invalid_auth') });
    expect(run.stdout).not.toContain('xoxb-refused-by-slack');
    const bad = await runDoctorProcess(env(), ['--verbose']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('mailroom doctor: unknown argument --verbose');
  });
});
