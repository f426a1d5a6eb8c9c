// `mailroom doctor` for an inbox that signs in with OAuth2: the kind, that a token is had, its
// scopes and lifetime, IMAP and SMTP logged in with it; a refused sign-in failed in the same
// plain words as the channel note, and no token or secret anywhere in the report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_BOT_SCOPES, runDoctor } from '../../../src/doctor/run-doctor.ts';
import { closeDb, createStore, openDb } from '../../../src/store/index.ts';
import { startDovecot, type TestDovecot } from '../../support/dovecot.ts';
import { startFakeOAuth, type FakeOAuth } from '../../support/fake-oauth.ts';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.ts';
import { startSlackFront, type SlackFront } from '../../support/slack-front.ts';

const BOT_TOKEN = 'xoxb-doctor-oauth-0001';
const APP_TOKEN = 'xapp-1-doctor-oauth-0001';
const CLIENT_SECRET = 'client-Secret-5d2c';
let idp: FakeOAuth;
let dovecot: TestDovecot;
let smtp: TestSmtpServer;
let fake: FakeSlack;
let front: SlackFront;
let dir: string;

beforeAll(async () => {
  idp = await startFakeOAuth();
  [dovecot, smtp, fake] = await Promise.all([
    startDovecot({ oauth2IntrospectionUrl: idp.introspectionUrl }),
    startSmtpServer({ starttls: true, oauth: { check: (user, token) => idp.check(token) === user } }),
    startFakeSlack({ token: BOT_TOKEN, channels: [{ id: 'C0SUPPORT01', name: 'support' }] }),
  ]);
  front = await startSlackFront(fake, { appToken: APP_TOKEN, scopes: [...REQUIRED_BOT_SCOPES] });
  dir = mkdtempSync(join(tmpdir(), 'mailroom-doctor-oauth-'));
});
afterAll(async () => {
  await Promise.all([dovecot?.destroy(), smtp?.stop(), front?.stop(), fake?.stop(), idp?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}) {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: front.url,
    MAILROOM_CHANNEL: 'C0SUPPORT01',
    MAILROOM_ADDRESS: 'support@example.com',
    MAILROOM_NAME: 'Support',
    IMAP_HOST: '127.0.0.1',
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    DATABASE_PATH: join(dir, 'mailroom.db'),
    ...idp.env(extra),
  };
}

const doctor = (e: Record<string, string>) => runDoctor({ env: e, timeoutMs: 5000, smtpTls: { rejectUnauthorized: false } });

describe('doctor with OAuth2', () => {
  it('shows the sign-in kind, scopes and lifetime, and logs in to IMAP and SMTP with the token', async () => {
    const refreshToken = idp.issueRefreshToken();
    const e = env({ OAUTH_REFRESH_TOKEN: refreshToken });
    const report = await doctor(e);
    const signIn = report.checks.find((c) => c.name === 'Sign-in support@example.com')!;
    expect(signIn).toMatchObject({ ok: true, warning: false, detail: 'OAuth2 (custom, refresh_token): token obtained, lifetime 60 min; scopes: mail' });
    expect(report.checks.find((c) => c.name.startsWith('IMAP'))).toMatchObject({ ok: true });
    expect(report.checks.find((c) => c.name.startsWith('SMTP'))).toMatchObject({ ok: true, detail: 'logged in' });
    expect(report.ok).toBe(true);
    // The rotated refresh token is kept, so that the app can start after doctor ran.
    const db = openDb(e.DATABASE_PATH);
    const stored = createStore(db).oauthTokens.get('support');
    closeDb(db);
    expect(idp.liveRefreshTokens()).toContain(stored?.refreshToken);
    const text = JSON.stringify(report);
    for (const secret of [refreshToken, stored!.refreshToken, CLIENT_SECRET, BOT_TOKEN, APP_TOKEN]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/\bat-[A-Za-z0-9_-]{10,}/);
  });

  it('fails a revoked sign-in with the words of the channel note, and skips the logins', async () => {
    idp.revokeAll();
    const report = await doctor(env({ DATABASE_PATH: join(dir, 'revoked.db'), OAUTH_REFRESH_TOKEN: 'rt-revoked-long-ago' }));
    expect(report.ok).toBe(false);
    const signIn = report.checks.find((c) => c.name === 'Sign-in support@example.com')!;
    expect(signIn.ok).toBe(false);
    expect(signIn.detail).toMatch(/^OAuth2 \(custom, refresh_token\): can't sign in to the mailbox: the sign-in has expired or was revoked \(the provider said: AADSTS70008/);
    expect(signIn.detail).toContain('To sign in again, run `mailroom auth --inbox Support` where Mailroom runs.');
    expect(report.checks.some((c) => c.name.startsWith('IMAP') || c.name.startsWith('SMTP'))).toBe(false);
  });

  it('app-only sign-in shows its grant', async () => {
    const report = await doctor(env({ OAUTH_GRANT: 'client_credentials', OAUTH_TENANT: 'acme.onmicrosoft.com', DATABASE_PATH: join(dir, 'app.db') }));
    expect(report.checks.find((c) => c.name.startsWith('Sign-in'))?.detail).toMatch(/^OAuth2 \(custom, client_credentials\): token obtained, lifetime 60 min/);
    expect(report.ok).toBe(true);
  });

  it('a wrong MAILROOM_SECRET_KEY fails before any login', async () => {
    const e = env({ DATABASE_PATH: join(dir, 'keyed.db'), MAILROOM_SECRET_KEY: 'the-first-key-0123456789', OAUTH_GRANT: 'client_credentials' });
    expect((await doctor(e)).ok).toBe(true);
    const report = await doctor({ ...e, MAILROOM_SECRET_KEY: 'another-key-9876543210' });
    expect(report.checks.at(-1)).toMatchObject({ name: 'Sign-in tokens', ok: false });
    expect(report.checks.at(-1)!.detail).toMatch(/^MAILROOM_SECRET_KEY does not match/);
  });
});
