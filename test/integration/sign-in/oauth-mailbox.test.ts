// Mailroom signed in with OAuth2 only (no password anywhere), against real Dovecot checking each
// token with the fake provider (RFC 7662) and an SMTP server that takes only XOAUTH2 over
// STARTTLS: many token expiries with the IMAP session ended at each, a restart after rotation,
// a revoked sign-in said in the channel and recovered without losing mail, and app-only sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, INBOX_ADDRESS, email, startRig, threadReply, MEMBER, type Rig } from '../../helpers/mailroom.ts';
import { startFakeOAuth, type FakeOAuth } from '../../support/fake-oauth.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logger.ts';
import { openSignInLink, runAuth } from '../../helpers/auth-process.ts';

let idp: FakeOAuth;
let rig: Rig;

beforeAll(async () => {
  idp = await startFakeOAuth({ lifetimeSeconds: 3 });
  rig = await startRig({
    oauth2IntrospectionUrl: idp.introspectionUrl,
    smtp: { starttls: true, oauth: { check: (user, token) => idp.check(token) === user } },
  });
});
afterAll(async () => {
  await rig?.close();
  await idp?.stop();
});

/** OAuth2 settings for the rig's inbox: no IMAP or SMTP password at all. */
function oauthEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { IMAP_PASSWORD: '', ...idp.env(extra) };
}

let logs = '';
const sink = new Writable({
  write(chunk, _enc, done) {
    logs += chunk.toString();
    done();
  },
});
// Debug-level logs of every app here, to check that no token or secret reaches them.
const overrides = { smtpTls: { rejectUnauthorized: false }, signInRetryMs: 300, logger: createLogger({ level: 'debug', destination: sink }) };

let n = 0;
async function deliver(): Promise<string> {
  const marker = `oauth-marker-${++n}-${Date.now()}`;
  await rig.deliver(email({ subject: `OAuth case ${n}`, body: marker }));
  return marker;
}

const parents = () => rig.slack.messagesIn(CHANNEL).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
const threadHas = (marker: string) => parents().filter((p) => rig.slack.threadOf(CHANNEL, p.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker)));

async function posted(marker: string, timeoutMs = 15_000): Promise<string> {
  const [parent] = await waitFor(() => (threadHas(marker).length ? threadHas(marker) : null), { timeoutMs, description: () => `email ${marker} in Slack` });
  return parent!.ts;
}

async function reply(port: number, parentTs: string, text: string): Promise<string> {
  const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text, thread_ts: parentTs });
  const res = await rig.event(port, threadReply({ threadTs: parentTs, text, ts: msg.ts }));
  expect(res.status).toBe(200);
  return msg.ts;
}

const sentWith = (text: string) => rig.smtp.messages.filter((m) => (m.parsed.text ?? '').includes(text));

describe('delegated sign-in (refresh token)', () => {
  let app: MailroomApp;
  let port: number;
  const env: Record<string, string> = {};

  it('posts every email once and sends every reply across many expiries, the session ended at each', async () => {
    Object.assign(env, oauthEnv({ OAUTH_REFRESH_TOKEN: idp.issueRefreshToken() }));
    ({ app, port } = await rig.start(env, overrides));
    for (let round = 0; round < 4; round++) {
      const marker = await deliver();
      const parentTs = await posted(marker);
      await reply(port, parentTs, `answer ${marker}`);
      await waitFor(() => sentWith(`answer ${marker}`).length === 1, { timeoutMs: 10_000, description: () => `reply ${round} over SMTP` });
      // Let the token expire at the provider, then end the session as Exchange does.
      await sleep(3200);
      await rig.dovecot.kick(INBOX_ADDRESS);
    }
    const last = await deliver();
    await posted(last);
    await sleep(500);
    for (let i = 1; i <= n; i++) expect(threadHas(`oauth-marker-${i}-`).length).toBe(1);
    // Every SMTP login used a live token for the mailbox user.
    expect(rig.smtp.messages.every((m) => m.user === INBOX_ADDRESS)).toBe(true);
    expect(idp.requests.filter((r) => r.grant === 'refresh_token' && r.ok).length).toBeGreaterThanOrEqual(5);
    expect(rig.dovecot.logs()).not.toMatch(/oauth2.*(error|failed)/i);
    // A session ended after its token expired is the token's life ending, not a failure to back off from.
    expect(logs).toContain('IMAP session ended as its OAuth2 token expired; reconnecting');
  }, 60_000);

  it('survives a restart after its configured refresh token was rotated away', async () => {
    await app.stop();
    const configured = env.OAUTH_REFRESH_TOKEN!;
    expect(idp.liveRefreshTokens()).not.toContain(configured);
    ({ app, port } = await rig.start(env, overrides));
    const marker = await deliver();
    await posted(marker);
  }, 30_000);

  it('says a revoked sign-in in the channel, keeps mail and replies, and recovers with mailroom auth', async () => {
    const parentTs = await posted(await deliver());
    idp.revokeAll();
    idp.expireAccessTokens();
    await rig.dovecot.kick(INBOX_ADDRESS);
    const note = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => (m.text ?? '').includes("can't sign in to its mailbox")), { timeoutMs: 15_000 });
    expect(note.text).toContain('the sign-in has expired or was revoked');
    expect(note.text).toContain('mailroom auth --inbox');
    expect(note.thread_ts).toBeUndefined();
    // Meanwhile: an email arrives, and a teammate replies.
    const meanwhile = await deliver();
    const ts = await reply(port, parentTs, 'typed while signed out');
    await waitFor(() => app.store.outbox.bySlackMessage(CHANNEL, ts)?.status === 'waiting', { timeoutMs: 10_000 });
    expect(app.store.outbox.bySlackMessage(CHANNEL, ts)?.attempts).toBe(0);
    await sleep(1500);
    expect(threadHas(meanwhile)).toHaveLength(0);
    expect(sentWith('typed while signed out')).toHaveLength(0);
    // An admin runs `mailroom auth` beside the running app, on the same configuration and database.
    const auth = runAuth([], { ...rig.env, ...env, OAUTH_AUTHORIZE_URL: idp.authorizeUrl });
    await fetch(await openSignInLink(auth));
    expect(await auth.exit).toBe(0);
    await posted(meanwhile);
    await waitFor(() => sentWith('typed while signed out').length === 1, { timeoutMs: 10_000 });
    const back = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => (m.text ?? '').includes('signs in to its mailbox again')), { timeoutMs: 5000 });
    expect(back.text).toContain(INBOX_ADDRESS);
    expect(rig.slack.messagesIn(CHANNEL).filter((m) => (m.text ?? '').includes("can't sign in"))).toHaveLength(1);
    await app.stop();
  }, 60_000);
});

describe('logs', () => {
  it('never hold an access token, a refresh token or the client secret', () => {
    expect(logs).toContain('OAuth2 access token obtained');
    expect(idp.issued.length).toBeGreaterThan(5);
    for (const t of [...idp.issued, 'client-Secret-5d2c']) expect(logs).not.toContain(t);
  });
});

describe('app-only sign-in (client credentials)', () => {
  it('reads and sends with a token for the app', async () => {
    const { app, port } = await rig.start(oauthEnv({ OAUTH_GRANT: 'client_credentials' }), overrides);
    const stored = app.store.oauthTokens.get('acme-support');
    try {
      const parentTs = await posted(await deliver());
      await reply(port, parentTs, 'sent as the app');
      await waitFor(() => sentWith('sent as the app').length === 1, { timeoutMs: 10_000 });
      expect(idp.requests.at(-1)?.grant).toBe('client_credentials');
      expect(app.store.oauthTokens.get('acme-support')).toEqual(stored); // no refresh token in this grant
    } finally {
      await app.stop();
    }
  }, 30_000);
});
