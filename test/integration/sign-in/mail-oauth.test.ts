// IMAP and SMTP connections with an OAuth2 token source: against Dovecot checking tokens with the
// fake provider, a token refused at login is refreshed once and the login retried; against an
// SMTP server that takes only XOAUTH2 over STARTTLS, a token refused by the XOAUTH2 challenge is
// refreshed once and the email goes, and a refused sign-in makes the email wait instead of fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { createTokenSource, type OAuthSettings } from '../../../src/mail/auth/token-source.ts';
import { createSmtpSender } from '../../../src/mail/outbound/smtp-sender.ts';
import type { OutgoingEmail } from '../../../src/mail/outbound/mail-sender.ts';
import { createStore, openDb } from '../../../src/store/index.ts';
import { configuredHash } from '../../../src/store/oauth-tokens.ts';
import { startFakeOAuth, type FakeOAuth } from '../../support/fake-oauth.ts';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.ts';
import { startDovecot, type TestDovecot } from '../../support/dovecot.ts';
import { connectImap, withImap } from '../../../src/mail/imap-client.ts';

let idp: FakeOAuth;
let smtp: TestSmtpServer;
let dovecot: TestDovecot;
beforeAll(async () => {
  idp = await startFakeOAuth();
  smtp = await startSmtpServer({ starttls: true, oauth: { check: (user, token) => idp.check(token) === user } });
  dovecot = await startDovecot({ oauth2IntrospectionUrl: idp.introspectionUrl });
});
afterAll(async () => {
  await smtp?.stop();
  await dovecot?.destroy();
  await idp?.stop();
});

function tokens(refreshToken: string | null) {
  const oauth: OAuthSettings = idp.settings({ refreshToken });
  return createTokenSource({ inboxKey: 'support', oauth, user: 'support@example.com', store: createStore(openDb(':memory:')).oauthTokens, configuredHash, logger: silentLogger() });
}

let n = 0;
function email(): OutgoingEmail {
  n += 1;
  return {
    from: { name: 'Support', address: 'support@example.com' },
    to: [{ name: 'Carla', address: 'carla@customer.example' }],
    cc: [],
    bcc: [],
    subject: `XOAUTH2 ${n}`,
    text: `hello ${n}`,
    html: `<p>hello ${n}</p>`,
    messageId: `smtp-oauth-${n}-${Date.now()}@example.com`,
    attachments: [],
  };
}

const sender = (t: ReturnType<typeof tokens>) =>
  createSmtpSender({ host: smtp.host, port: smtp.port, user: 'support@example.com', tokens: t, tls: { rejectUnauthorized: false }, pool: false, logger: silentLogger() });

describe('SMTP with OAuth2', () => {
  it('sends with a token from the source', async () => {
    const s = sender(tokens(idp.issueRefreshToken()));
    const result = await s.send(email());
    expect(result.ok).toBe(true);
    expect(smtp.messages.at(-1)?.user).toBe('support@example.com');
    s.close();
  });

  it('a token the server refuses (XOAUTH2 challenge) is refreshed once, and the email goes', async () => {
    const t = tokens(idp.issueRefreshToken());
    const s = sender(t);
    expect((await s.send(email())).ok).toBe(true);
    const refreshes = t.status().refreshes;
    // The provider ends every token early (as a revoked session would): the cached one is refused.
    idp.expireAccessTokens();
    const before = smtp.rejections.length;
    const result = await s.send(email());
    expect(result.ok).toBe(true);
    expect(smtp.rejections.length).toBe(before + 1);
    expect(t.status().refreshes).toBe(refreshes + 1);
    s.close();
  });

  it('without a sign-in the email waits (not a failure) and says why', async () => {
    const s = sender(tokens(null));
    const result = await s.send(email());
    expect(result).toMatchObject({ ok: false, temporary: true, waiting: true, errorCode: 'auth.signin_refused' });
    expect(!result.ok && result.reason).toBe('the mailbox sign-in failed: not signed in yet: there is no refresh token');
    s.close();
  });
});

describe('IMAP with OAuth2', () => {
  const account = (t: ReturnType<typeof tokens>) => ({ host: dovecot.host, port: dovecot.port, secure: false, user: 'support@example.com', tokens: t });

  it('a token refused at login is refreshed once and the login retried', async () => {
    const t = tokens(idp.issueRefreshToken());
    const first = await withImap(account(t), 5000, async (c) => c.authenticated);
    expect(first).toBeTruthy();
    idp.expireAccessTokens();
    const { client, token } = await connectImap(account(t));
    expect(idp.check(token!)).toBe('support@example.com');
    expect(t.status().refreshes).toBe(2);
    await client.logout();
  });

  it('with no token to be had, says why (SignInError), without a login', async () => {
    await expect(connectImap(account(tokens(null)))).rejects.toMatchObject({ name: 'SignInError', permanent: true });
  });
});
