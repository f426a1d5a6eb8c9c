// The token source against a fake OAuth2 provider over HTTP: rotation stored before use, a
// restart after rotation, refresh ahead of expiry and after a refusal, shared refreshes,
// permanent and temporary failures, app-only and service-account grants.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { createTokenSource, type OAuthSettings, type SignInStatus } from '../../../src/mail/auth/token-source.ts';
import { SignInError } from '../../../src/mail/auth/oauth-client.ts';
import { createStore, openDb, type Store } from '../../../src/store/index.ts';
import { configuredHash } from '../../../src/store/oauth-tokens.ts';
import { startFakeOAuth, type FakeOAuth } from '../../support/fake-oauth.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let idp: FakeOAuth;
let dir: string;
beforeAll(async () => {
  idp = await startFakeOAuth({ lifetimeSeconds: 3600 });
  dir = mkdtempSync(join(tmpdir(), 'mailroom-oauth-'));
});
afterAll(async () => {
  await idp.stop();
  rmSync(dir, { recursive: true, force: true });
});

const settings = (o: Partial<OAuthSettings> = {}): OAuthSettings => idp.settings(o);

function source(store: Store, oauth: OAuthSettings, extra: { now?: () => number; onStatus?: (s: SignInStatus, prev: string) => void } = {}) {
  return createTokenSource({
    inboxKey: 'support',
    oauth,
    user: 'support@example.com',
    store: store.oauthTokens,
    configuredHash,
    logger: silentLogger(),
    ...extra,
  });
}

const grants = (kind: string) => idp.requests.filter((r) => r.grant === kind).length;

describe('refresh tokens', () => {
  it('uses the configured token once, stores the rotated one, and a restart uses the stored one', async () => {
    const store = createStore(openDb(':memory:'));
    const configured = idp.issueRefreshToken();
    const a = source(store, settings({ refreshToken: configured }));
    const token = await a.get();
    expect(idp.check(token)).toBe('support@example.com');
    const stored = store.oauthTokens.get('support')!;
    expect(stored.refreshToken).not.toBe(configured);
    expect(idp.liveRefreshTokens()).toContain(stored.refreshToken);
    expect(idp.liveRefreshTokens()).not.toContain(configured); // rotated away
    a.stop();
    // "Restart": the same configuration, whose refresh token no longer works.
    const b = source(store, settings({ refreshToken: configured }));
    expect(idp.check(await b.get())).toBe('support@example.com');
    expect(store.oauthTokens.get('support')!.refreshToken).not.toBe(stored.refreshToken);
    b.stop();
  });

  it('a different refresh token in the configuration replaces the stored one (a new consent)', async () => {
    const store = createStore(openDb(':memory:'));
    store.oauthTokens.save('support', { refreshToken: 'rt-dead', configuredHash: configuredHash('rt-old'), source: 'rotated' });
    const fresh = idp.issueRefreshToken();
    const s = source(store, settings({ refreshToken: fresh }));
    expect(idp.check(await s.get())).toBeTruthy();
    expect(store.oauthTokens.get('support')!.configuredHash).toBe(configuredHash(fresh));
    s.stop();
  });

  it('concurrent needs share one refresh', async () => {
    const store = createStore(openDb(':memory:'));
    const s = source(store, settings({ refreshToken: idp.issueRefreshToken() }));
    const before = grants('refresh_token');
    const tokens = await Promise.all(Array.from({ length: 8 }, () => s.get()));
    expect(new Set(tokens).size).toBe(1);
    expect(grants('refresh_token') - before).toBe(1);
    s.stop();
  });

  it('gets a new token before the old one expires, without being asked', async () => {
    idp.lifetimeSeconds = 2;
    try {
      const store = createStore(openDb(':memory:'));
      const s = source(store, settings({ refreshToken: idp.issueRefreshToken() }));
      const first = await s.get();
      // 80% of 2 s; the timer's floor is 1 s.
      await waitFor(() => s.status().refreshes >= 2, { timeoutMs: 4000 });
      const second = await s.get();
      expect(second).not.toBe(first);
      expect(idp.check(second)).toBeTruthy();
      s.stop();
    } finally {
      idp.lifetimeSeconds = 3600;
    }
  });

  it('a refused token is replaced once; its replacement refused at once is not (the token is not the problem)', async () => {
    const store = createStore(openDb(':memory:'));
    let offset = 0;
    const s = source(store, settings({ refreshToken: idp.issueRefreshToken() }), { now: () => Date.now() + offset });
    const first = await s.get();
    s.refused(first);
    const second = await s.get();
    expect(second).not.toBe(first);
    s.refused(first); // an old token refused again changes nothing
    s.refused(second); // refused right after a refusal: a wrong user or permission, not the token
    expect(await s.get()).toBe(second);
    offset = 60_000;
    s.refused(second);
    const third = await s.get();
    expect(third).not.toBe(second);
    expect(idp.check(third)).toBeTruthy();
    s.stop();
  });
});

describe('failures', () => {
  it('a revoked sign-in fails for good, is said once, and recovers when new credentials are stored', async () => {
    const store = createStore(openDb(':memory:'));
    const statuses: string[] = [];
    let offset = 0;
    const s = source(store, settings({ refreshToken: idp.issueRefreshToken() }), {
      now: () => Date.now() + offset,
      onStatus: (st, prev) => statuses.push(`${prev}→${st.state}${st.failure ? `: ${st.failure.reason}` : ''}`),
    });
    await s.get();
    idp.revokeAll();
    offset = 3600_000; // the access token is due
    const err = await s.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect((err as SignInError).permanent).toBe(true);
    expect(s.status().state).toBe('failed');
    // Asking again with the same credentials does not bother the provider.
    const before = idp.requests.length;
    await expect(s.get()).rejects.toBeInstanceOf(SignInError);
    expect(idp.requests.length).toBe(before);
    // `mailroom auth` stores a new refresh token: the next need uses it.
    store.oauthTokens.save('support', { refreshToken: idp.issueRefreshToken(), configuredHash: store.oauthTokens.get('support')!.configuredHash, source: 'auth' });
    expect(idp.check(await s.get())).toBeTruthy();
    expect(statuses).toEqual([
      'starting→ok',
      'ok→failed: the sign-in has expired or was revoked (the provider said: AADSTS70008: The refresh token has expired or was revoked.)',
      'failed→ok',
    ]);
    s.stop();
  });

  it('with no refresh token at all it says the inbox is not signed in yet', async () => {
    const s = source(createStore(openDb(':memory:')), settings());
    const err = (await s.get().catch((e: unknown) => e)) as SignInError;
    expect(err.permanent).toBe(true);
    expect(err.failure.reason).toMatch(/^not signed in yet/);
    s.stop();
  });

  it('a provider error 5xx is temporary, and the next need tries again', async () => {
    const store = createStore(openDb(':memory:'));
    const s = source(store, settings({ refreshToken: idp.issueRefreshToken() }));
    idp.failNext(1, { status: 503 });
    const err = (await s.get().catch((e: unknown) => e)) as SignInError;
    expect(err.permanent).toBe(false);
    expect(s.status().state).toBe('failing');
    expect(idp.check(await s.get())).toBeTruthy();
    expect(s.status().state).toBe('ok');
    s.stop();
  });

  it('a wrong client secret is permanent, in plain words', async () => {
    const s = source(createStore(openDb(':memory:')), settings({ refreshToken: idp.issueRefreshToken(), clientSecret: 'wrong' }));
    const err = (await s.get().catch((e: unknown) => e)) as SignInError;
    expect(err.failure).toMatchObject({ permanent: true, code: 'invalid_client' });
    expect(err.failure.reason).toMatch(/^the provider does not accept the app registration’s client ID or secret/);
    s.stop();
  });

  it('a provider that cannot be reached is temporary', async () => {
    const s = source(createStore(openDb(':memory:')), settings({ refreshToken: 'x', tokenUrl: 'http://127.0.0.1:9/token' }));
    const err = (await s.get().catch((e: unknown) => e)) as SignInError;
    expect(err.failure).toMatchObject({ permanent: false, code: 'network' });
    s.stop();
  });
});

describe('app-only grants', () => {
  it('client credentials: a token for the app, nothing stored', async () => {
    const store = createStore(openDb(':memory:'));
    const s = source(store, settings({ grant: 'client_credentials', scope: 'https://outlook.office365.com/.default' }));
    expect(idp.check(await s.get())).toBe('support@example.com');
    expect(store.oauthTokens.get('support')).toBeUndefined();
    s.stop();
  });

  it('service account: a signed assertion for the mailbox user', async () => {
    const file = join(dir, 'sa.json');
    writeFileSync(file, idp.serviceAccount());
    const s = source(createStore(openDb(':memory:')), settings({ grant: 'service_account', clientId: null, clientSecret: null, serviceAccountFile: file }));
    expect(idp.check(await s.get())).toBe('support@example.com');
    s.stop();
  });

  it('a service-account key from another project is refused', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, idp.serviceAccount('a@x.iam.gserviceaccount.com').replace('a@x.iam', 'b@x.iam'));
    const s = source(createStore(openDb(':memory:')), settings({ grant: 'service_account', clientId: null, clientSecret: null, serviceAccountFile: file }));
    await expect(s.get()).rejects.toMatchObject({ permanent: true });
    s.stop();
  });

  it('a missing key file says so', async () => {
    const s = source(createStore(openDb(':memory:')), settings({ grant: 'service_account', serviceAccountFile: join(dir, 'nope.json') }));
    await expect(s.get()).rejects.toMatchObject({ failure: { reason: expect.stringMatching(/nope\.json cannot be read \(ENOENT\)/) } });
    s.stop();
    await sleep(0);
  });
});
