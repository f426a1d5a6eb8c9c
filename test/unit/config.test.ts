import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load.ts';

const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'shhh-secret-value',
  MAILROOM_CHANNEL: 'C0123456789',
  MAILROOM_ADDRESS: 'Support@Acme.com',
  IMAP_HOST: 'imap.acme.com',
  IMAP_USER: 'support@acme.com',
  IMAP_PASSWORD: 'pw',
  SMTP_HOST: 'smtp.acme.com',
};

function problems(env: Record<string, string | undefined>, files: Record<string, string> = {}): string[] {
  try {
    loadConfig(env, (p) => {
      if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[p]!;
    });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig from the environment', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.slack.apiUrl).toBe('https://slack.com/api/');
    expect(c.slack.port).toBe(3000);
    expect(c.databasePath).toBe('./data/mailroom.db');
    expect(c.sendDelaySeconds).toBe(10);
    expect(c.logLevel).toBe('info');
    const [inbox] = c.inboxes;
    expect(inbox).toMatchObject({
      name: 'Inbox',
      key: 'inbox',
      address: 'support@acme.com',
      imap: { host: 'imap.acme.com', port: 993, secure: true, mailbox: 'INBOX', idleCheckSeconds: 30 },
      smtp: { host: 'smtp.acme.com', port: 587, secure: false },
      assign: 'none',
      sentFolder: true,
    });
  });

  it('reads every variable of the table', () => {
    const c = loadConfig({
      ...base,
      IMAP_PASSWORD: undefined,
      SLACK_APP_TOKEN: 'xapp-1-abc',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      PORT: '8080',
      MAILROOM_NAME: 'Acme Support',
      IMAP_PORT: '143',
      IMAP_SECURE: 'false',
      IMAP_ACCESS_TOKEN: 'tok',
      SMTP_PORT: '465',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'p',
      DATABASE_PATH: '/tmp/x.db',
      MAILROOM_SEND_DELAY_SECONDS: '0',
      LOG_LEVEL: 'debug',
      MAILROOM_ALIASES: 'help@acme.com, info@acme.com',
      MAILROOM_MEMBERS: 'U01AAAA,U01BBBB',
      IMAP_IDLE_CHECK_SECONDS: '0',
    });
    expect(c.slack.appToken).toBe('xapp-1-abc');
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.slack.port).toBe(8080);
    expect(c.sendDelaySeconds).toBe(0);
    expect(c.logLevel).toBe('debug');
    expect(c.databasePath).toBe('/tmp/x.db');
    expect(c.inboxes[0]).toMatchObject({
      name: 'Acme Support',
      key: 'acme-support',
      aliases: ['help@acme.com', 'info@acme.com'],
      members: ['U01AAAA', 'U01BBBB'],
      imap: { port: 143, secure: false, accessToken: 'tok', idleCheckSeconds: 0 },
      smtp: { port: 465, secure: true, user: 'u', password: 'p' },
    });
  });

  it.each([
    [{ SLACK_BOT_TOKEN: undefined }, /^SLACK_BOT_TOKEN is required/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /^SLACK_BOT_TOKEN must be a bot token starting with xoxb-/],
    [{ SLACK_SIGNING_SECRET: undefined }, /^SLACK_SIGNING_SECRET is required in HTTP mode/],
    [{ SLACK_APP_TOKEN: 'nope' }, /^SLACK_APP_TOKEN must be an app-level token/],
    [{ SLACK_API_URL: 'not a url' }, /^SLACK_API_URL must be a URL/],
    [{ PORT: '70000' }, /^PORT must be a port number \(0–65535\), got "70000"/],
    [{ MAILROOM_CHANNEL: undefined }, /^MAILROOM_CHANNEL is required/],
    [{ MAILROOM_CHANNEL: '#support' }, /^MAILROOM_CHANNEL must be a Slack channel ID like C0123456789/],
    [{ MAILROOM_ADDRESS: 'support' }, /^MAILROOM_ADDRESS must be an email address/],
    [{ IMAP_HOST: '' }, /^IMAP_HOST is required/],
    [{ IMAP_PORT: 'abc' }, /^IMAP_PORT must be a port number/],
    [{ IMAP_SECURE: 'maybe' }, /^IMAP_SECURE must be true or false, got "maybe"/],
    [{ IMAP_USER: undefined }, /^IMAP_USER is required/],
    [{ IMAP_PASSWORD: undefined }, /^IMAP_PASSWORD is required \(or an OAuth2 access token in IMAP_ACCESS_TOKEN, or OAuth2 sign-in settings/],
    [{ SMTP_HOST: undefined }, /^SMTP_HOST is required/],
    [{ SMTP_PORT: '0' }, /^SMTP_PORT must be a port number/],
    [{ SMTP_SECURE: 'yes please' }, /^SMTP_SECURE must be true or false/],
    [{ MAILROOM_SEND_DELAY_SECONDS: '-1' }, /^MAILROOM_SEND_DELAY_SECONDS must be a whole number/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of debug, info, warn, error/],
    [{ MAILROOM_MEMBERS: 'alice' }, /^MAILROOM_MEMBERS must be a Slack user ID/],
    [{ MAILROOM_ASSIGN: 'random' }, /^MAILROOM_ASSIGN must be one of none, round-robin, least-open/],
    [{ IMAP_IDLE_CHECK_SECONDS: '2.5' }, /^IMAP_IDLE_CHECK_SECONDS must be a whole number \(0–3600\), got "2\.5"/],
    [{ IMAP_IDLE_CHECK_SECONDS: '-1' }, /^IMAP_IDLE_CHECK_SECONDS must be a whole number/],
  ])('%o → a clear line naming the variable', (change, pattern) => {
    const lines = problems({ ...base, ...change });
    expect(lines.some((l) => pattern.test(l)), lines.join('\n')).toBe(true);
  });

  it('never puts a secret in an error', () => {
    const lines = problems({ ...base, IMAP_PORT: 'x', IMAP_PASSWORD: 'hunter2-secret' });
    expect(lines.join('\n')).not.toContain('hunter2-secret');
  });
});

describe('loadConfig from MAILROOM_CONFIG (YAML)', () => {
  const yaml = `
inboxes:
  - name: Support
    channel: C0123456789
    address: support@acme.com
    aliases: [help@acme.com]
    imap: { host: imap.acme.com, port: 993, secure: true, user: support@acme.com, password: "\${SUPPORT_IMAP_PASSWORD}" }
    smtp: { host: smtp.acme.com, port: 587, secure: false, user: support@acme.com, password: "\${SUPPORT_SMTP_PASSWORD}" }
    members: [U01AAAA, U01BBBB]
    assign: round-robin
    sentFolder: false
  - name: Sales
    channel: C0987654321
    address: sales@acme.com
    imap: { host: imap.acme.com, user: sales@acme.com, accessToken: tok }
    smtp: { host: smtp.acme.com }
`;
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_APP_TOKEN: 'xapp-1',
    MAILROOM_CONFIG: '/etc/mailroom.yaml',
    SUPPORT_IMAP_PASSWORD: 'imap-pw',
    SUPPORT_SMTP_PASSWORD: 'smtp-pw',
  };

  it('reads several inboxes and substitutes ${NAME}', () => {
    const c = loadConfig(env, () => yaml);
    expect(c.inboxes.map((i) => i.key)).toEqual(['support', 'sales']);
    expect(c.inboxes[0]).toMatchObject({
      imap: { password: 'imap-pw' },
      smtp: { password: 'smtp-pw' },
      assign: 'round-robin',
      sentFolder: false,
      members: ['U01AAAA', 'U01BBBB'],
    });
    expect(c.inboxes[1]).toMatchObject({ assign: 'none', imap: { accessToken: 'tok', port: 993 } });
  });

  it('names the path of a bad value', () => {
    const lines = problems(env, { '/etc/mailroom.yaml': yaml.replace('host: smtp.acme.com }', 'host: smtp.acme.com, port: nope }') });
    expect(lines).toContain('/etc/mailroom.yaml: inboxes[1].smtp.port must be a port number (1–65535), got "nope"');
  });

  it('reads imap.idleCheckSeconds, and names it when it is bad', () => {
    const file = yaml.replace('imap: { host: imap.acme.com, user: sales@acme.com, accessToken: tok }', 'imap: { host: imap.acme.com, user: sales@acme.com, accessToken: tok, idleCheckSeconds: 5 }');
    expect(loadConfig(env, () => file).inboxes.map((i) => i.imap.idleCheckSeconds)).toEqual([30, 5]);
    const lines = problems(env, { '/etc/mailroom.yaml': file.replace('idleCheckSeconds: 5', 'idleCheckSeconds: often') });
    expect(lines).toContain('/etc/mailroom.yaml: inboxes[1].imap.idleCheckSeconds must be a whole number (0–3600), got "often"');
  });

  it('names an unknown key', () => {
    const lines = problems(env, { '/etc/mailroom.yaml': yaml.replace('assign: round-robin', 'assign: round-robin\n    colour: blue') });
    expect(lines).toContain('/etc/mailroom.yaml: inboxes[0] has unknown key colour');
  });

  it('names a missing environment variable used by ${NAME}', () => {
    const lines = problems({ ...env, SUPPORT_SMTP_PASSWORD: undefined }, { '/etc/mailroom.yaml': yaml });
    expect(lines).toEqual([
      '/etc/mailroom.yaml: inboxes[0].smtp.password refers to ${SUPPORT_SMTP_PASSWORD}, which is not set in the environment',
    ]);
  });

  it('refuses two inboxes on one channel', () => {
    const lines = problems(env, { '/etc/mailroom.yaml': yaml.replace('C0987654321', 'C0123456789') });
    expect(lines[0]).toMatch(/inboxes\[1\]\.channel "C0123456789" is also used by inboxes\[0\]/);
  });

  it('reports an unreadable file and bad YAML', () => {
    expect(problems(env)).toEqual(['MAILROOM_CONFIG names /etc/mailroom.yaml, which cannot be read (ENOENT)']);
    expect(problems(env, { '/etc/mailroom.yaml': 'inboxes: [\n' })[0]).toMatch(/^\/etc\/mailroom\.yaml(:\d+)? is not valid YAML/);
  });
});
