// Signing in to the mailbox: provider presets, the oauth section, and the conflicts and gaps
// between a password, a static token and OAuth2, each named like every other setting.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load.ts';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-abc', MAILROOM_CHANNEL: 'C0123456789' };

function problems(env: Record<string, string | undefined>, files: Record<string, string> = {}): string[] {
  try {
    loadConfig(env, (p) => files[p] ?? '');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('provider presets', () => {
  it('Gmail with an app password needs only the provider, the address and the password', () => {
    const [inbox] = loadConfig({ ...slack, MAIL_PROVIDER: 'gmail', MAILROOM_ADDRESS: 'team@acme.com', IMAP_PASSWORD: 'app-pw' }).inboxes;
    expect(inbox).toMatchObject({
      provider: 'gmail',
      signIn: 'password',
      imap: { host: 'imap.gmail.com', port: 993, secure: true, user: 'team@acme.com', password: 'app-pw' },
      smtp: { host: 'smtp.gmail.com', port: 465, secure: true, user: 'team@acme.com', password: 'app-pw' },
      sentFolder: false,
      oauth: null,
    });
  });

  it('SMTP_PASSWORD, when set, is used for SMTP instead of the IMAP password', () => {
    const [inbox] = loadConfig({ ...slack, MAIL_PROVIDER: 'gmail', MAILROOM_ADDRESS: 'team@acme.com', IMAP_PASSWORD: 'a', SMTP_PASSWORD: 'b' }).inboxes;
    expect(inbox!.smtp.password).toBe('b');
    expect(inbox!.imap.password).toBe('a');
  });

  it('Microsoft 365 with delegated OAuth2 fills in servers, endpoints and scopes', () => {
    const [inbox] = loadConfig({
      ...slack,
      MAIL_PROVIDER: 'microsoft365',
      MAILROOM_ADDRESS: 'support@acme.com',
      OAUTH_CLIENT_ID: 'client-1',
      OAUTH_REFRESH_TOKEN: 'rt-1',
    }).inboxes;
    expect(inbox).toMatchObject({
      signIn: 'oauth',
      imap: { host: 'outlook.office365.com', port: 993, secure: true, user: 'support@acme.com' },
      smtp: { host: 'smtp.office365.com', port: 587, secure: false, user: 'support@acme.com' },
      sentFolder: false,
      oauth: {
        provider: 'microsoft',
        grant: 'refresh_token',
        clientId: 'client-1',
        tenant: 'organizations',
        refreshToken: 'rt-1',
        tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
        authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
        deviceUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode',
        scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access',
      },
    });
    expect(inbox!.imap).not.toHaveProperty('password');
  });

  it('Microsoft 365 app-only sign-in asks for the .default scope of the tenant given', () => {
    const [inbox] = loadConfig({
      ...slack,
      MAIL_PROVIDER: 'microsoft365',
      MAILROOM_ADDRESS: 'support@acme.com',
      OAUTH_GRANT: 'client_credentials',
      OAUTH_CLIENT_ID: 'client-1',
      OAUTH_CLIENT_SECRET: 'secret-1',
      OAUTH_TENANT: 'acme.onmicrosoft.com',
    }).inboxes;
    expect(inbox!.oauth).toMatchObject({
      grant: 'client_credentials',
      scope: 'https://outlook.office365.com/.default',
      tokenUrl: 'https://login.microsoftonline.com/acme.onmicrosoft.com/oauth2/v2.0/token',
    });
  });

  it('Google service-account delegation takes the key file and no client ID', () => {
    const [inbox] = loadConfig({
      ...slack,
      MAIL_PROVIDER: 'gmail',
      MAILROOM_ADDRESS: 'team@acme.com',
      OAUTH_GRANT: 'service_account',
      OAUTH_SERVICE_ACCOUNT_FILE: '/etc/mailroom/sa.json',
    }).inboxes;
    expect(inbox!.oauth).toMatchObject({ provider: 'google', grant: 'service_account', serviceAccountFile: '/etc/mailroom/sa.json', scope: 'https://mail.google.com/' });
  });

  it('settings given override the preset', () => {
    const [inbox] = loadConfig({ ...slack, MAIL_PROVIDER: 'gmail', MAILROOM_ADDRESS: 'a@acme.com', IMAP_PASSWORD: 'x', IMAP_USER: 'other@acme.com', MAILROOM_SENT_FOLDER: 'true' }).inboxes;
    expect(inbox!.imap.user).toBe('other@acme.com');
    expect(inbox!.smtp.user).toBe('other@acme.com');
    expect(inbox!.sentFolder).toBe(true);
  });
});

describe('a custom OAuth2 provider', () => {
  const custom = {
    ...slack,
    MAILROOM_ADDRESS: 'support@acme.com',
    IMAP_HOST: 'imap.acme.com',
    SMTP_HOST: 'smtp.acme.com',
    OAUTH_PROVIDER: 'custom',
    OAUTH_CLIENT_ID: 'c',
  };

  it('needs a token URL, and takes the endpoints and scope given', () => {
    expect(problems(custom)).toEqual(['OAUTH_TOKEN_URL is required for a custom provider']);
    const [inbox] = loadConfig({ ...custom, OAUTH_TOKEN_URL: 'https://idp.acme.com/token', OAUTH_SCOPE: 'mail' }).inboxes;
    expect(inbox!.oauth).toMatchObject({ tokenUrl: 'https://idp.acme.com/token', authorizeUrl: null, scope: 'mail' });
    expect(inbox!.imap.user).toBe('support@acme.com');
  });

  it('refuses a plain-HTTP endpoint except on this machine', () => {
    expect(problems({ ...custom, OAUTH_TOKEN_URL: 'http://idp.acme.com/token' })).toEqual(['OAUTH_TOKEN_URL must be an https:// URL']);
    expect(loadConfig({ ...custom, OAUTH_TOKEN_URL: 'http://127.0.0.1:8080/token' }).inboxes[0]!.oauth!.tokenUrl).toBe('http://127.0.0.1:8080/token');
  });
});

describe('one way to sign in, and nothing missing', () => {
  const m365 = { ...slack, MAIL_PROVIDER: 'microsoft365', MAILROOM_ADDRESS: 'support@acme.com', OAUTH_CLIENT_ID: 'c' };

  it.each([
    [{ IMAP_PASSWORD: 'pw' }, 'IMAP_PASSWORD is set, but this inbox signs in with OAuth2 (OAUTH_PROVIDER)'],
    [{ SMTP_ACCESS_TOKEN: 'tok' }, 'SMTP_ACCESS_TOKEN is set, but this inbox signs in with OAuth2 (OAUTH_PROVIDER)'],
    [{ OAUTH_CLIENT_ID: undefined, OAUTH_REFRESH_TOKEN: 'rt' }, 'OAUTH_CLIENT_ID is required'],
    [{ OAUTH_GRANT: 'client_credentials', OAUTH_CLIENT_SECRET: 's' }, 'OAUTH_TENANT is required for client_credentials'],
    [{ OAUTH_GRANT: 'client_credentials', OAUTH_TENANT: 'acme.com' }, 'OAUTH_CLIENT_SECRET is required for client_credentials'],
    [{ OAUTH_GRANT: 'service_account' }, 'OAUTH_GRANT service_account is Google Workspace domain-wide delegation'],
    [{ OAUTH_GRANT: 'password' }, 'OAUTH_GRANT must be one of refresh_token, client_credentials, service_account'],
    [{ OAUTH_SERVICE_ACCOUNT_FILE: '/sa.json' }, 'OAUTH_SERVICE_ACCOUNT_FILE is only used with OAUTH_GRANT service_account'],
    [{ MAIL_PROVIDER: 'yahoo' }, 'MAIL_PROVIDER must be one of gmail, microsoft365'],
  ])('%o → %s', (change, line) => {
    const lines = problems({ ...m365, ...change });
    expect(lines.some((l) => l.startsWith(line)), lines.join('\n')).toBe(true);
  });

  it('a password and a static token together are a conflict', () => {
    const lines = problems({ ...slack, MAILROOM_ADDRESS: 'a@acme.com', IMAP_HOST: 'h', IMAP_USER: 'u', IMAP_PASSWORD: 'p', IMAP_ACCESS_TOKEN: 't', SMTP_HOST: 's' });
    expect(lines).toEqual(['IMAP_ACCESS_TOKEN and IMAP_PASSWORD are both set: an inbox signs in with one of a password, a static token or OAuth2; remove one']);
  });

  it('OAuth2 without a provider or a preset says which to set', () => {
    const lines = problems({ ...slack, MAILROOM_ADDRESS: 'a@acme.com', IMAP_HOST: 'h', SMTP_HOST: 's', OAUTH_CLIENT_ID: 'c' });
    expect(lines).toEqual(['OAUTH_PROVIDER is required: one of google, microsoft, custom (or set MAIL_PROVIDER)']);
  });

  it('names the YAML path, and the other setting by its YAML path too', () => {
    const yaml = `
inboxes:
  - name: Support
    channel: C0123456789
    address: support@acme.com
    provider: microsoft365
    oauth: { clientId: c }
    imap: { password: pw }
`;
    const lines = problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CONFIG: '/m.yaml' }, { '/m.yaml': yaml });
    expect(lines).toEqual([
      '/m.yaml: inboxes[0].imap.password is set, but this inbox signs in with OAuth2 (inboxes[0].oauth.provider): an inbox signs in with one of a password, a static token or OAuth2; remove one',
    ]);
  });
});

describe('every configuration problem in one run', () => {
  it('a missing bot token and three bad inbox values are named together', () => {
    const lines = problems({
      SLACK_APP_TOKEN: 'xapp-1',
      MAILROOM_CHANNEL: '#support',
      MAILROOM_ADDRESS: 'support',
      IMAP_HOST: 'imap.acme.com',
      IMAP_USER: 'u',
      IMAP_PASSWORD: 'p',
      IMAP_PORT: 'x',
      SMTP_HOST: 'smtp.acme.com',
    });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^SLACK_BOT_TOKEN is required/);
    expect(lines.slice(1).map((l) => l.split(' ')[0]).sort()).toEqual(['IMAP_PORT', 'MAILROOM_ADDRESS', 'MAILROOM_CHANNEL']);
  });

  it('a bad MAILROOM_SECRET_KEY is named', () => {
    const lines = problems({ ...slack, MAILROOM_SECRET_KEY: 'short', MAIL_PROVIDER: 'gmail', MAILROOM_ADDRESS: 'a@acme.com', IMAP_PASSWORD: 'p' });
    expect(lines).toEqual(['MAILROOM_SECRET_KEY must be at least 16 characters (make one with: openssl rand -base64 32)']);
  });
});
