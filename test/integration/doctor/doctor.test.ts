// `mailroom doctor` through its use case, against real Dovecot, real SMTP servers and the fake
// Slack Web API (behind a front adding X-OAuth-Scopes and apps.connections.open).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { REQUIRED_BOT_SCOPES, runDoctor, type DoctorReport } from '../../../src/doctor/run-doctor.ts';
import { startDovecot, type TestDovecot } from '../../support/dovecot.ts';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { composeEmail } from '../../support/mail.ts';
import { freePort } from '../../support/ports.ts';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.ts';
import { startSlackFront, type SlackFront } from '../../support/slack-front.ts';

const BOT_TOKEN = 'xoxb-doctor-bot-token-0001';
const APP_TOKEN = 'xapp-1-doctor-app-token-0001';
const SIGNING_SECRET = 'doctor-signing-secret-0001';
const IMAP_PASSWORD = 'imap-pass-Zq81';
const SALES_PASSWORD = 'sales-pass-Kw27';
const SMTP_PASSWORD = 'smtp-pass-Hx55';
const SECRETS = [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, IMAP_PASSWORD, SALES_PASSWORD, SMTP_PASSWORD, 'wrong-password-Pp01', 'xoxb-not-a-real-token', 'xapp-1-not-the-app-token'];
const SUPPORT = 'C0SUPPORT01';
const SALES = 'C0SALES0001';
const TLS = { rejectUnauthorized: false }; // the test SMTP server's bundled self-signed certificate

let dovecot: TestDovecot;
let noIdle: TestDovecot;
let smtpOpen: TestSmtpServer;
let smtpAuth: TestSmtpServer;
let fake: FakeSlack;
let front: SlackFront;

beforeAll(async () => {
  const users = [
    { user: 'support@example.com', password: IMAP_PASSWORD },
    { user: 'sales@example.com', password: SALES_PASSWORD },
  ];
  [dovecot, noIdle, smtpOpen, smtpAuth, fake] = await Promise.all([
    startDovecot({ users }),
    startDovecot({ users, idle: false }),
    startSmtpServer(),
    startSmtpServer({ auth: { user: 'support@example.com', password: SMTP_PASSWORD }, starttls: true }),
    startFakeSlack({
      token: BOT_TOKEN,
      channels: [
        { id: SUPPORT, name: 'support' },
        { id: SALES, name: 'sales', botMember: false },
        { id: 'C0OLD000001', name: 'old-support', is_archived: true },
      ],
    }),
  ]);
  front = await startSlackFront(fake, { appToken: APP_TOKEN, scopes: [...REQUIRED_BOT_SCOPES] });
  for (const subject of ['First', 'Second']) {
    const raw = await composeEmail({ from: 'cliente@example.org', to: 'support@example.com', subject, text: 'Hello' });
    await dovecot.append('support@example.com', 'INBOX', raw);
  }
});

afterAll(async () => {
  await Promise.all([dovecot?.destroy(), noIdle?.destroy(), smtpOpen?.stop(), smtpAuth?.stop(), front?.stop(), fake?.stop()]);
});

/** One inbox on Dovecot and the open SMTP server, Socket Mode. */
function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: front.url,
    MAILROOM_CHANNEL: SUPPORT,
    MAILROOM_ADDRESS: 'support@example.com',
    MAILROOM_NAME: 'Support',
    IMAP_HOST: '127.0.0.1',
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    IMAP_USER: 'support@example.com',
    IMAP_PASSWORD,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpOpen.port),
    ...overrides,
  };
}

async function doctor(e: Record<string, string | undefined>, extra: { timeoutMs?: number; readFile?: (p: string) => string } = {}) {
  const report = await runDoctor({ env: e, smtpTls: TLS, ...extra });
  expectNoSecrets(report);
  return report;
}

function configProblems(e: Record<string, string | undefined>): string[] {
  try {
    loadConfig(e);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
  }
  throw new Error('expected a configuration error');
}

function expectNoSecrets(report: DoctorReport): void {
  const text = JSON.stringify(report);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

function check(report: DoctorReport, prefix: string) {
  const found = report.checks.filter((c) => c.name.startsWith(prefix));
  expect(found, `one check named ${prefix}… in ${report.checks.map((c) => c.name).join(' | ')}`).toHaveLength(1);
  return found[0]!;
}

describe('mailroom doctor (use case)', () => {
  it('passes every check of a working set-up, in a stable order', async () => {
    front.connectionsOpened.length = 0;
    const report = await doctor(env());
    expect(report.checks.map((c) => c.name)).toEqual([
      'Configuration',
      'Slack auth.test',
      'Slack scopes',
      'Slack Socket Mode',
      `Slack channel ${SUPPORT} (Support)`,
      'Sign-in support@example.com',
      `IMAP support@example.com@127.0.0.1:${dovecot.port}`,
      'Sent folder support@example.com@127.0.0.1',
      `SMTP 127.0.0.1:${smtpOpen.port}`,
    ]);
    expect(report.checks.filter((c) => !c.ok || c.warning)).toEqual([]);
    expect(check(report, 'Sign-in').detail).toBe('password (IMAP and SMTP)');
    expect(report).toMatchObject({ ok: true, failed: 0, warnings: 0, passed: 9 });
    expect(check(report, 'Configuration').detail).toMatch(/^1 inbox \(Support <support@example\.com>\) from the environment; Socket Mode/);
    expect(check(report, 'Slack auth.test').detail).toBe('token valid: bot @mailroom (U0BOT00001) in team Mailroom Test (T0FAKE0001)');
    expect(check(report, 'Slack scopes').detail).toBe(`all ${REQUIRED_BOT_SCOPES.length} bot scopes the app needs are granted`);
    expect(check(report, 'Slack channel').detail).toBe('the bot is a member of #support');
    expect(check(report, 'IMAP').detail).toBe('logged in, INBOX has 2 messages, IDLE supported');
    expect(check(report, 'Sent folder').detail).toBe('copies of replies will go to "Sent" (\\Sent)');
    expect(check(report, 'SMTP').detail).toMatch(/^connected; no SMTP_USER set/);
    expect(front.connectionsOpened).toEqual([APP_TOKEN]);
  });

  it('reports each configuration problem on its own failing line and checks nothing else', async () => {
    fake.clearCalls();
    const bad = env({ IMAP_HOST: undefined, SMTP_PORT: 'seventy' });
    const report = await doctor(bad);
    expect(report.ok).toBe(false);
    expect(report.checks.every((c) => c.name === 'Configuration' && !c.ok)).toBe(true);
    const details = report.checks.map((c) => c.detail);
    expect(details).toEqual(configProblems(bad));
    expect(details).toHaveLength(2);
    expect(details.some((d) => d.startsWith('IMAP_HOST '))).toBe(true);
    expect(details.some((d) => d.startsWith('SMTP_PORT ') && d.includes('seventy'))).toBe(true);
    expect(fake.calls()).toEqual([]);
  });

  it('fails the IMAP line on a wrong password, naming the variable, and skips the Sent folder', async () => {
    const report = await doctor(env({ IMAP_PASSWORD: 'wrong-password-Pp01' }));
    expect(report.ok).toBe(false);
    const imap = check(report, 'IMAP');
    expect(imap.ok).toBe(false);
    expect(imap.detail).toMatch(/^login refused for support@example\.com \(.*\): check IMAP_USER and IMAP_PASSWORD/);
    expect(report.checks.some((c) => c.name.startsWith('Sent folder'))).toBe(false);
    expect(report.failed).toBe(1);
  });

  it('fails when the mailbox does not exist, listing the ones that do', async () => {
    const report = await doctor(env({ IMAP_MAILBOX: 'Support Queue' }));
    const imap = check(report, 'IMAP');
    expect(imap.ok).toBe(false);
    expect(imap.detail).toMatch(/no mailbox "Support Queue" \(the server has: .*INBOX.*\); set IMAP_MAILBOX to one of them/);
    expect(imap.detail).toContain('Archive');
  });

  it('refuses a Junk mailbox', async () => {
    const imap = check(await doctor(env({ IMAP_MAILBOX: 'Junk' })), 'IMAP');
    expect(imap.ok).toBe(false);
    expect(imap.detail).toContain('"Junk" is the Junk/Spam folder, which Mailroom never reads; set IMAP_MAILBOX to INBOX');
  });

  it('warns (and still passes) when the server has no IDLE', async () => {
    const report = await doctor(env({ IMAP_PORT: String(noIdle.port) }));
    const imap = check(report, 'IMAP');
    expect(imap).toMatchObject({ ok: true, warning: true });
    expect(imap.detail).toMatch(/^logged in, INBOX has 0 messages, IDLE not supported: Mailroom will poll/);
    expect(report).toMatchObject({ ok: true, warnings: 1 });
  });

  it('leaves the Sent folder line out when sentFolder is off', async () => {
    const report = await doctor(env({ MAILROOM_SENT_FOLDER: 'false' }));
    expect(report.ok).toBe(true);
    expect(report.checks.some((c) => c.name.startsWith('Sent folder'))).toBe(false);
  });

  it('logs in to SMTP, and fails with the variable to fix on a wrong password', async () => {
    const smtpEnv = { SMTP_PORT: String(smtpAuth.port), SMTP_USER: 'support@example.com' };
    const good = check(await doctor(env({ ...smtpEnv, SMTP_PASSWORD })), 'SMTP');
    expect(good).toMatchObject({ name: `SMTP support@example.com@127.0.0.1:${smtpAuth.port}`, ok: true, detail: 'logged in' });
    smtpAuth.clear();
    const bad = check(await doctor(env({ ...smtpEnv, SMTP_PASSWORD: 'wrong-password-Pp01' })), 'SMTP');
    expect(bad.ok).toBe(false);
    expect(bad.detail).toMatch(/SMTP login failed.*: check SMTP_USER and SMTP_PASSWORD/);
    expect(smtpAuth.rejections.map((r) => r.code)).toContain(535);
    const noPassword = check(await doctor(env(smtpEnv)), 'SMTP');
    expect(noPassword.detail).toBe('SMTP_USER is set but neither SMTP_PASSWORD nor SMTP_ACCESS_TOKEN');
  });

  it('fails on a bot token Slack refuses, and leaves out the checks that need it', async () => {
    const report = await doctor(env({ SLACK_BOT_TOKEN: 'xoxb-not-a-real-token' }));
    const auth = check(report, 'Slack auth.test');
    expect(auth.ok).toBe(false);
    expect(auth.detail).toMatch(/^SLACK_BOT_TOKEN was refused \(invalid_auth\): copy the Bot User OAuth Token/);
    expect(report.checks.some((c) => c.name === 'Slack scopes' || c.name.startsWith('Slack channel'))).toBe(false);
    expect(check(report, 'Slack Socket Mode').ok).toBe(true);
  });

  it('says how to fix a revoked token', async () => {
    fake.failNext('auth.test', { error: 'token_revoked' });
    const auth = check(await doctor(env()), 'Slack auth.test');
    expect(auth).toMatchObject({ ok: false });
    expect(auth.detail).toContain('no longer works (token_revoked): the app was uninstalled or the token revoked; reinstall the app');
  });

  it('lists missing scopes, and warns when Slack does not say', async () => {
    front.scopes = REQUIRED_BOT_SCOPES.filter((s) => s !== 'chat:write.customize' && s !== 'files:write');
    try {
      const scopes = check(await doctor(env()), 'Slack scopes');
      expect(scopes.ok).toBe(false);
      expect(scopes.detail).toMatch(/^missing 2 bot scopes: chat:write\.customize, files:write\. Add them under OAuth & Permissions/);
      front.scopes = null;
      const unknown = check(await doctor(env()), 'Slack scopes');
      expect(unknown).toMatchObject({ ok: true, warning: true });
      expect(unknown.detail).toContain('no X-OAuth-Scopes header');
    } finally {
      front.scopes = [...REQUIRED_BOT_SCOPES];
    }
  });

  it('tells to invite the bot to a channel it is not in, and flags unknown and archived channels', async () => {
    const notIn = check(await doctor(env({ MAILROOM_CHANNEL: SALES })), 'Slack channel');
    expect(notIn).toMatchObject({ ok: false, detail: 'the bot is not in #sales: invite @mailroom to #sales (type /invite @mailroom in the channel)' });
    const unknown = check(await doctor(env({ MAILROOM_CHANNEL: 'C0NOSUCH001' })), 'Slack channel');
    expect(unknown.ok).toBe(false);
    expect(unknown.detail).toMatch(/^no channel C0NOSUCH001 that the bot can see: check MAILROOM_CHANNEL/);
    const archived = check(await doctor(env({ MAILROOM_CHANNEL: 'C0OLD000001' })), 'Slack channel');
    expect(archived).toMatchObject({ ok: false });
    expect(archived.detail).toMatch(/^#old-support is archived/);
  });

  it('fails Socket Mode on an app token Slack refuses; checks the signing secret in HTTP mode', async () => {
    const socket = check(await doctor(env({ SLACK_APP_TOKEN: 'xapp-1-not-the-app-token' })), 'Slack Socket Mode');
    expect(socket.ok).toBe(false);
    expect(socket.detail).toMatch(/^SLACK_APP_TOKEN was refused \(invalid_auth\): create an app-level token with the connections:write scope/);
    const http = await doctor(env({ SLACK_APP_TOKEN: undefined, SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: '3999' }));
    expect(http.ok).toBe(true);
    expect(check(http, 'Slack HTTP mode').detail).toContain('SLACK_SIGNING_SECRET is set');
    expect(check(http, 'Configuration').detail).toContain('HTTP mode on port 3999');
    expect(http.checks.some((c) => c.name === 'Slack Socket Mode')).toBe(false);
  });

  it('gives failing lines, not a hang, when servers are silent, refuse, or Slack is too slow', async () => {
    const silent = net.createServer(() => undefined); // accepts, never greets
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    const closedPort = await freePort();
    fake.setLatency(3000, 'auth.test');
    try {
      const started = Date.now();
      const report = await doctor(env({ IMAP_PORT: String(silentPort), SMTP_PORT: String(closedPort) }), { timeoutMs: 800 });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(2500);
      expect(check(report, 'IMAP').detail).toMatch(/^no answer within 0\.8 s from 127\.0\.0\.1:\d+: check IMAP_HOST and IMAP_PORT/);
      expect(check(report, 'SMTP').detail).toBe(`nothing accepts connections at 127.0.0.1:${closedPort}: check SMTP_HOST and SMTP_PORT`);
      expect(check(report, 'Slack auth.test').detail).toMatch(/^no answer within 0\.8 s from Slack at http:\/\/127\.0\.0\.1/);
      expect(report.failed).toBe(3);
      const swapped = await doctor(env({ IMAP_PORT: String(closedPort), SMTP_PORT: String(silentPort) }), { timeoutMs: 800 });
      expect(check(swapped, 'IMAP').detail).toMatch(/^nothing accepts connections at 127\.0\.0\.1:\d+: check IMAP_HOST and IMAP_PORT/);
      expect(check(swapped, 'SMTP').detail).toMatch(/^no answer from 127\.0\.0\.1:\d+ within 0\.8 s: check SMTP_HOST and SMTP_PORT/);
    } finally {
      fake.setLatency(0, 'auth.test');
      silent.close();
    }
  });

  it('checks every inbox of a YAML file in file order, naming settings by their path', async () => {
    const yaml = `inboxes:
  - name: Support
    channel: ${SUPPORT}
    address: support@example.com
    imap: { host: 127.0.0.1, port: ${dovecot.port}, secure: false, user: support@example.com, password: "\${SUPPORT_IMAP_PASSWORD}" }
    smtp: { host: 127.0.0.1, port: ${smtpOpen.port} }
  - name: Sales
    channel: ${SALES}
    address: sales@example.com
    sentFolder: false
    imap: { host: 127.0.0.1, port: ${noIdle.port}, secure: false, user: sales@example.com, password: "wrong-password-Pp01" }
    smtp: { host: 127.0.0.1, port: ${smtpAuth.port}, user: support@example.com, password: "${SMTP_PASSWORD}" }
`;
    const file = '/etc/mailroom/inboxes.yaml';
    const e = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: front.url, MAILROOM_CONFIG: file, SUPPORT_IMAP_PASSWORD: IMAP_PASSWORD };
    const report = await doctor(e, { readFile: (p) => (p === file ? yaml : '') });
    expect(report.checks.map((c) => `${c.ok ? (c.warning ? '!' : '✔') : '✘'} ${c.name}`)).toEqual([
      '✔ Configuration',
      '✔ Slack auth.test',
      '✔ Slack scopes',
      '✔ Slack Socket Mode',
      `✔ Slack channel ${SUPPORT} (Support)`,
      '✔ Sign-in support@example.com',
      `✔ IMAP support@example.com@127.0.0.1:${dovecot.port}`,
      '✔ Sent folder support@example.com@127.0.0.1',
      `✔ SMTP 127.0.0.1:${smtpOpen.port}`,
      `✘ Slack channel ${SALES} (Sales)`,
      '✔ Sign-in sales@example.com',
      `✘ IMAP sales@example.com@127.0.0.1:${noIdle.port}`,
      `✔ SMTP support@example.com@127.0.0.1:${smtpAuth.port}`,
    ]);
    expect(check(report, 'Configuration').detail).toMatch(/^2 inboxes \(Support <support@example\.com>, Sales <sales@example\.com>\) from \/etc\/mailroom\/inboxes\.yaml/);
    expect(check(report, 'IMAP sales').detail).toContain(`check inboxes[1].imap.user in ${file} and inboxes[1].imap.password in ${file}`);
  });
});
