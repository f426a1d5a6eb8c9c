// `mailroom auth` end to end, as a real process against the fake provider: the sign-in link
// driven like a browser (the redirect to the loopback address), the address pasted back on a
// machine without a browser, the device code, --print, and each way it fails with exit 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, openDb, closeDb } from '../../../src/store/index.ts';
import { startFakeOAuth, type FakeOAuth } from '../../support/fake-oauth.ts';
import { waitFor } from '../../support/wait.ts';
import { openSignInLink as openLink, runAuth as run } from '../../helpers/auth-process.ts';
let idp: FakeOAuth;
let dir: string;

beforeAll(async () => {
  idp = await startFakeOAuth({ clients: [{ id: 'desktop-app' }, { id: 'web-app', secret: 'web-Secret-91' }] });
  dir = mkdtempSync(join(tmpdir(), 'mailroom-auth-'));
});
afterAll(async () => {
  await idp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function envFor(extra: Record<string, string> = {}) {
  return {
    SLACK_BOT_TOKEN: 'xoxb-1-2-3',
    SLACK_APP_TOKEN: 'xapp-1-2',
    MAILROOM_CHANNEL: 'C0SUPPORT1',
    MAILROOM_NAME: 'Support',
    MAILROOM_ADDRESS: 'support@example.com',
    IMAP_HOST: '127.0.0.1',
    SMTP_HOST: '127.0.0.1',
    OAUTH_PROVIDER: 'custom',
    OAUTH_CLIENT_ID: 'desktop-app',
    OAUTH_TOKEN_URL: idp.tokenUrl,
    OAUTH_AUTHORIZE_URL: idp.authorizeUrl,
    OAUTH_DEVICE_URL: idp.deviceUrl,
    OAUTH_SCOPE: 'mail offline_access',
    DATABASE_PATH: join(dir, `auth-${++n}.db`),
    ...extra,
  };
}

const storedToken = (path: string) => {
  const db = openDb(path);
  try {
    return createStore(db).oauthTokens.get('support');
  } finally {
    closeDb(db);
  }
};

describe('mailroom auth', () => {
  it('signs in through the browser coming back to 127.0.0.1 (PKCE), and stores the refresh token', async () => {
    const env = envFor();
    const p = run([], env);
    const back = await openLink(p);
    expect(back).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    const page = await fetch(back);
    expect(await page.text()).toContain('Signed in');
    expect(await p.exit).toBe(0);
    const stored = storedToken(env.DATABASE_PATH);
    expect(stored?.source).toBe('auth');
    expect(idp.liveRefreshTokens()).toContain(stored!.refreshToken);
    expect(p.err()).toMatch(/Signed in: Support \(support@example\.com\) is stored in/);
    expect(p.out()).toBe('');
  }, 30_000);

  it('takes the address pasted back when the browser is elsewhere', async () => {
    const env = envFor();
    const p = run(['--inbox', 'support'], env);
    const back = await openLink(p);
    p.child.stdin.write('not it\n');
    await waitFor(() => p.err().includes('That is not the address'));
    p.child.stdin.write(`${back}\n`);
    expect(await p.exit).toBe(0);
    expect(storedToken(env.DATABASE_PATH)?.refreshToken).toMatch(/^rt-/);
  }, 30_000);

  it('--device: a code approved at the provider', async () => {
    const env = envFor({ OAUTH_CLIENT_ID: 'web-app', OAUTH_CLIENT_SECRET: 'web-Secret-91' });
    const p = run(['--device'], env);
    const code = await waitFor(() => /enter the code ([0-9A-F]{8})/.exec(p.err())?.[1], { timeoutMs: 15_000 });
    idp.approveDevice(code);
    expect(await p.exit).toBe(0);
    expect(idp.liveRefreshTokens()).toContain(storedToken(env.DATABASE_PATH)!.refreshToken);
  }, 30_000);

  it('--print: the refresh token on stdout, nothing stored', async () => {
    const env = envFor();
    const p = run(['--print'], env);
    await fetch(await openLink(p));
    expect(await p.exit).toBe(0);
    const token = p.out().trim();
    expect(idp.liveRefreshTokens()).toContain(token);
    expect(p.err()).toContain('OAUTH_REFRESH_TOKEN');
    expect(storedToken(env.DATABASE_PATH)).toBeUndefined();
  }, 30_000);

  it('consent refused: exit 1, said plainly', async () => {
    idp.consent = 'deny';
    try {
      const p = run([], envFor());
      await fetch(await openLink(p));
      expect(await p.exit).toBe(1);
      expect(p.err()).toContain('mailroom auth: Support: consent was refused at the provider');
    } finally {
      idp.consent = 'approve';
    }
  }, 30_000);

  it('a bad client: exit 1 with the provider’s reason', async () => {
    const p = run(['--device'], envFor({ OAUTH_CLIENT_ID: 'web-app', OAUTH_CLIENT_SECRET: 'wrong' }));
    expect(await p.exit).toBe(1);
    expect(p.err()).toContain('the provider does not accept the app registration’s client ID or secret');
  }, 30_000);

  it('no sign-in in time: exit 1', async () => {
    const p = run(['--timeout', '1'], envFor());
    expect(await p.exit).toBe(1);
    expect(p.err()).toContain('no sign-in within 1 s');
  }, 30_000);

  it('an inbox that signs in as the app, or with a password, has nothing to consent to', async () => {
    const app = run([], envFor({ OAUTH_GRANT: 'client_credentials', OAUTH_CLIENT_ID: 'web-app', OAUTH_CLIENT_SECRET: 'x' }));
    expect(await app.exit).toBe(1);
    expect(app.err()).toContain('signs in as the app (client_credentials)');
    const bad = run(['--inbox', 'Sales'], envFor());
    expect(await bad.exit).toBe(1);
    expect(bad.err()).toContain('there is no inbox "Sales" (the inboxes are: Support)');
  }, 30_000);
});
