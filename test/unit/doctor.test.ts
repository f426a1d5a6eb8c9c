import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatCheck, formatReport, formatSummary } from '../../src/cli/doctor.ts';
import {
  CheckTimeout,
  REQUIRED_BOT_SCOPES,
  imapFailure,
  missingScopes,
  plaintextWarning,
  sentFolderCheck,
  markNote,
  idleNote,
  observedNotes,
  redact,
  runDoctor,
  slackFailure,
  smtpFailure,
  summarize,
  withTimeout,
  type SettingName,
} from '../../src/doctor/run-doctor.ts';
import type { SentFolderPlan } from '../../src/mail/outbound/sent-folder.ts';
import type { ImapObservations } from '../../src/store/imap-observations.ts';

const env: SettingName = (_, path) => ({ 'imap.user': 'IMAP_USER', 'imap.password': 'IMAP_PASSWORD', 'imap.host': 'IMAP_HOST', 'imap.port': 'IMAP_PORT', 'imap.secure': 'IMAP_SECURE', 'smtp.user': 'SMTP_USER', 'smtp.password': 'SMTP_PASSWORD', 'smtp.host': 'SMTP_HOST', 'smtp.port': 'SMTP_PORT', 'smtp.secure': 'SMTP_SECURE' })[path] ?? path;
const yamlNames: SettingName = (i, path) => `inboxes[${i}].${path} in mailroom.yaml`;
const imap = { host: 'imap.acme.test', port: 993, secure: true, user: 'support@acme.test', password: 'pw-secret', mailbox: 'INBOX' };
const smtp = { host: 'smtp.acme.test', port: 587, secure: false, user: 'support@acme.test', password: 'pw-secret' };
const platformError = (error: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error, ...extra } });

describe('doctor scopes', () => {
  it.each(['manifests/socket-mode.yaml', 'manifests/http.yaml'])('REQUIRED_BOT_SCOPES is exactly the bot scopes of %s', (file) => {
    const manifest = parse(readFileSync(file, 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
    expect([...REQUIRED_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it('lists the required scopes a token lacks, in the required order', () => {
    expect(missingScopes(['chat:write', ' commands', 'admin'], ['commands', 'chat:write', 'files:write', 'users:read'])).toEqual(['files:write', 'users:read']);
    expect(missingScopes([...REQUIRED_BOT_SCOPES])).toEqual([]);
    expect(missingScopes([])).toEqual([...REQUIRED_BOT_SCOPES]);
  });
});

describe('doctor helpers', () => {
  it('redacts every secret, longest first, leaving too-short ones alone', () => {
    expect(redact('token xoxb-abc-123 and xoxb-abc', ['xoxb-abc-123', 'xoxb-abc'])).toBe('token [redacted] and [redacted]');
    expect(redact('a b c', ['a'])).toBe('a b c');
  });

  it('withTimeout resolves with the work, or rejects with CheckTimeout after cleaning up', async () => {
    await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
    let cleaned = false;
    const never = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('late')), 150)); // Promise.race handles the late rejection
    const err = await withTimeout(never, 100, () => (cleaned = true)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckTimeout);
    expect((err as CheckTimeout).message).toBe('no answer within 0.1 s');
    expect(cleaned).toBe(true);
  });

  it('summarises: warnings pass, any failure fails', () => {
    const ok = summarize([
      { name: 'a', ok: true, warning: false, detail: '' },
      { name: 'b', ok: true, warning: true, detail: '' },
    ]);
    expect(ok).toMatchObject({ ok: true, passed: 2, warnings: 1, failed: 0 });
    expect(summarize([...ok.checks, { name: 'c', ok: false, warning: false, detail: '' }])).toMatchObject({ ok: false, passed: 2, failed: 1 });
  });

  it('formats ✔, ! and ✘ lines and the summary', () => {
    expect(formatCheck({ name: 'IMAP x', ok: true, warning: false, detail: 'logged in' })).toBe('✔ IMAP x — logged in');
    expect(formatCheck({ name: 'IMAP x', ok: true, warning: true, detail: 'no IDLE' })).toBe('! IMAP x — no IDLE');
    expect(formatCheck({ name: 'SMTP y', ok: false, warning: false, detail: 'refused' })).toBe('✘ SMTP y — refused');
    const one = summarize([{ name: 'a', ok: true, warning: true, detail: 'd' }]);
    expect(formatSummary(one)).toBe('All good: 1 check passed (1 warning), 0 failed.');
    const bad = summarize([...one.checks, { name: 'b', ok: false, warning: false, detail: 'e' }]);
    expect(formatReport(bad)).toBe('! a — d\n✘ b — e\n\nProblems found: 1 check passed (1 warning), 1 failed. Fix the ✘ lines above and run mailroom doctor again.\n');
  });
});

describe('doctor hints', () => {
  it('IMAP: names what to change for each kind of failure', () => {
    const auth = Object.assign(new Error('Authentication failed'), { authenticationFailed: true, responseText: 'Authentication failed.' });
    expect(imapFailure(auth, env, 0, imap)).toBe('login refused for support@acme.test (Authentication failed.): check IMAP_USER and IMAP_PASSWORD (some providers need an app password)');
    expect(imapFailure(auth, yamlNames, 1, { ...imap, password: undefined, accessToken: 'tok' } as never)).toContain('check inboxes[1].imap.user in mailroom.yaml and the OAuth2 access token');
    expect(imapFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), env, 0, imap)).toMatch(/^nothing accepts connections at imap\.acme\.test:993: check IMAP_HOST and IMAP_PORT/);
    expect(imapFailure(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), env, 0, imap)).toBe('the host name imap.acme.test could not be resolved: check IMAP_HOST');
    expect(imapFailure(new Error('140:error:0A00010B:SSL routines::wrong version number'), env, 0, imap)).toContain('port 993 uses TLS (IMAP_SECURE=true), port 143 does not (IMAP_SECURE=false)');
    expect(imapFailure(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), env, 0, imap)).toContain('NODE_EXTRA_CA_CERTS');
    expect(imapFailure(new CheckTimeout(10_000), env, 0, imap)).toMatch(/^no answer within 10 s from imap\.acme\.test:993: check IMAP_HOST and IMAP_PORT/);
    expect(imapFailure(Object.assign(new Error('Failed to receive greeting'), { code: 'GREETING_TIMEOUT' }), env, 0, imap)).toMatch(/^timed out from/);
  });

  it('SMTP: names what to change for each kind of failure', () => {
    expect(smtpFailure(new Error('SMTP login failed: 535 5.7.8 Authentication failed'), env, 0, smtp)).toBe(
      'SMTP login failed: 535 5.7.8 Authentication failed: check SMTP_USER and SMTP_PASSWORD (some providers need an app password)',
    );
    expect(smtpFailure(new Error('SMTP configuration problem: Can\'t upgrade connection with STARTTLS'), env, 0, smtp)).toContain('use port 465 with SMTP_SECURE=true');
    expect(smtpFailure(new Error('Could not send: ssl3_get_record:wrong version number'), env, 0, smtp)).toContain('port 465 uses TLS from the start (SMTP_SECURE=true)');
    expect(smtpFailure(new Error('Could not send: unable to verify the first certificate'), env, 0, smtp)).toContain('not trusted');
    expect(smtpFailure(new Error('Could not send: the SMTP server refused the connection (connect ECONNREFUSED)'), env, 0, smtp)).toBe(
      'nothing accepts connections at smtp.acme.test:587: check SMTP_HOST and SMTP_PORT',
    );
    expect(smtpFailure(new CheckTimeout(1500), env, 0, smtp)).toMatch(/^no answer from smtp\.acme\.test:587 within 1\.5 s/);
    expect(smtpFailure(new Error('Could not send: odd'), env, 0, smtp)).toBe('Could not send: odd');
  });

  it('Slack: says which token to fix and how', () => {
    const api = 'https://slack.com/api/';
    expect(slackFailure(platformError('invalid_auth'), 'SLACK_BOT_TOKEN', api)).toMatch(/^SLACK_BOT_TOKEN was refused \(invalid_auth\): copy the Bot User OAuth Token/);
    expect(slackFailure(platformError('invalid_auth'), 'SLACK_APP_TOKEN', api)).toContain('connections:write');
    expect(slackFailure(platformError('account_inactive'), 'SLACK_BOT_TOKEN', api)).toContain('reinstall the app');
    expect(slackFailure(platformError('not_allowed_token_type'), 'SLACK_APP_TOKEN', api)).toContain('an app-level token (xapp-…)');
    expect(slackFailure(platformError('missing_scope', { needed: 'channels:read' }), 'SLACK_BOT_TOKEN', api)).toContain('needs channels:read');
    expect(slackFailure(platformError('something_new'), 'SLACK_APP_TOKEN', api)).toContain('Socket Mode is turned on');
    const network = Object.assign(new Error('A request error occurred: fetch failed'), { code: 'slack_webapi_request_error', original: { cause: { code: 'ENOTFOUND' } } });
    expect(slackFailure(network, 'SLACK_BOT_TOKEN', api)).toBe('could not reach Slack at https://slack.com/api/ (ENOTFOUND): check the network, proxy or SLACK_API_URL');
  });
});

describe('doctor mailbox notes', () => {
  const check = (smtpHost: string, plan: SentFolderPlan, selfSaving = false) => sentFolderCheck({ name: 'Sent folder x', smtpHost, plan, setting: 'MAILROOM_SENT_FOLDER', selfSaving });

  it('names exactly the Sent folder that will be used, and how it was found', () => {
    expect(check('smtp.acme.test', { kind: 'existing', path: 'Gesendet', by: 'flag' })).toEqual({ name: 'Sent folder x', ok: true, warning: false, detail: 'copies of replies will go to "Gesendet" (\\Sent)' });
    expect(check('smtp.acme.test', { kind: 'existing', path: 'Sent Items', by: 'name' }).detail).toBe('copies of replies will go to "Sent Items" (found by name)');
  });

  it('bug: said "Sent" would be created where Mailroom created "INBOX.Sent"; now names the folder it creates and whether it carries \\Sent', () => {
    expect(check('smtp.acme.test', { kind: 'create', path: 'INBOX.Sent', specialUse: true })).toMatchObject({
      ok: true,
      warning: true,
      detail: 'no Sent folder yet: Mailroom will create "INBOX.Sent", marked \\Sent, for the first reply (or set MAILROOM_SENT_FOLDER to false)',
    });
    expect(check('smtp.acme.test', { kind: 'create', path: 'Sent', specialUse: false }).detail).toMatch(/^no Sent folder yet: Mailroom will create "Sent" for the first reply, but this server can't mark it \\Sent \(no CREATE-SPECIAL-USE\)/);
  });

  it('warns that Gmail and Microsoft 365 keep their own copy', () => {
    for (const host of ['smtp.gmail.com', 'smtp.office365.com']) {
      expect(check(host, { kind: 'existing', path: 'Sent', by: 'flag' }, true)).toMatchObject({ ok: true, warning: true, detail: `${host} saves sent mail itself, so each reply would be in Sent twice: set MAILROOM_SENT_FOLDER to false` });
    }
  });

  it('says where the high-water mark comes from when EXAMINE has no UIDNEXT', () => {
    expect(markNote({ uidNextFrom: 'select', exists: 3, highest: null })).toBeNull();
    expect(markNote({ uidNextFrom: 'status', exists: 3, highest: null })).toEqual({ text: 'the server leaves UIDNEXT out of EXAMINE (RFC 3501 allows it): Mailroom reads it from STATUS', warning: false });
    expect(markNote({ uidNextFrom: null, exists: 3, highest: { uid: 41, source: 'search' } })?.text).toMatch(/Mailroom takes the highest UID from UID SEARCH ALL \(41\)$/);
    expect(markNote({ uidNextFrom: null, exists: 0, highest: null })?.warning).toBe(false);
    expect(markNote({ uidNextFrom: null, exists: 3, highest: { uid: null, source: 'dates' } })).toMatchObject({ warning: true });
  });

  const observed = (o: Partial<ImapObservations> = {}): ImapObservations => ({ server: 's', idle: { pushed: 0, foundByCheck: 0 }, renumbered: { empty: 0, withMail: 0 }, failing: null, updatedAt: Date.UTC(2026, 2, 1, 10, 5), ...o });

  it('tells a server that pushes new mail from one that only tells when asked (lazy IDLE), once the app has seen mail', () => {
    const idle = (o: ImapObservations | null, checkSeconds = 30) => idleNote({ observed: o, checkSeconds, checkSetting: 'IMAP_IDLE_CHECK_SECONDS' });
    expect(idle(null)).toBeNull();
    expect(idle(observed())).toBeNull();
    expect(idle(observed({ idle: { pushed: 9, foundByCheck: 1 } }))).toEqual({ text: 'the server announces new mail at once (9 of 10 emails while idling)', warning: false });
    const lazy = idle(observed({ idle: { pushed: 0, foundByCheck: 4 } }));
    expect(lazy?.warning).toBe(true);
    expect(lazy?.text).toMatch(/^but the server does not announce new mail by itself \(it announced 0 of 4 emails while idling\): Mailroom asks every 30 s \(IMAP_IDLE_CHECK_SECONDS\)/);
    expect(idle(observed({ idle: { pushed: 5, foundByCheck: 0 } }), 0)?.text).toBe('with IMAP_IDLE_CHECK_SECONDS=0 Mailroom does not check whether the server announces new mail at once');
  });

  it('tells what the app saw: renumbering and sessions failing now', () => {
    expect(observedNotes(null)).toEqual([]);
    expect(observedNotes(observed())).toEqual([]);
    const notes = observedNotes(observed({ renumbered: { empty: 3, withMail: 0 }, failing: { failures: 14, since: Date.UTC(2026, 2, 1, 9, 51), lastError: 'the server ended the session: bye' } }));
    expect(notes.map((n) => n.text)).toEqual([
      'the server gave the empty mailbox a new UIDVALIDITY 3 times: harmless, Mailroom takes it without a rescan',
      "Mailroom's own IMAP sessions have failed 14 times in a row since 2026-03-01 09:51 UTC (as of 2026-03-01 10:05 UTC; last: the server ended the session: bye)",
    ]);
    expect(notes.map((n) => n.warning)).toEqual([false, true]);
  });

  it('warns about an unencrypted IMAP connection to another host only', () => {
    expect(plaintextWarning(false, 'imap.acme.test', 'IMAP_SECURE')).toBe('the connection is not encrypted (no TLS, no STARTTLS): set IMAP_SECURE to true and use port 993');
    expect(plaintextWarning(true, 'imap.acme.test', 'IMAP_SECURE')).toBeNull();
    expect(plaintextWarning(false, '127.0.0.1', 'IMAP_SECURE')).toBeNull();
    expect(plaintextWarning(false, 'localhost', 'IMAP_SECURE')).toBeNull();
  });
});

describe('doctor configuration check', () => {
  it('redacts a secret that a configuration problem echoes', async () => {
    const report = await runDoctor({
      env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CHANNEL: 'C0123456789', MAILROOM_ADDRESS: 'a@acme.test', IMAP_HOST: 'h', IMAP_USER: 'u', IMAP_PASSWORD: 'S3cret-pass', IMAP_SECURE: 'S3cret-pass', SMTP_HOST: 'h' },
    });
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual([{ name: 'Configuration', ok: false, warning: false, detail: 'IMAP_SECURE must be true or false, got "[redacted]"' }]);
  });
});
