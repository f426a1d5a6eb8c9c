// Doctor's mail checks: IMAP login and mailbox (IDLE, encryption, the Sent folder), and SMTP login.
import { describeError } from '../errors.ts';
import type { InboxConfig } from '../config/load.ts';
import { signInFix } from '../core/sign-in.ts';
import { SignInError } from '../mail/auth/oauth-client.ts';
import type { TokenSource } from '../mail/auth/token-source.ts';
import { connectImap, failedAfterSignIn } from '../mail/imap-client.ts';
import type { ImapFlow } from 'imapflow';
import { personalPrefix, planSentFolder } from '../mail/outbound/sent-folder.ts';
import { readHighestUid, readOpenedMailbox } from '../mail/inbound/mailbox-reads.ts';
import { idleNote, markNote, observedNotes, sentFolderCheck, type Note } from './imap-notes.ts';
import { createSmtpSender } from '../mail/outbound/smtp-sender.ts';
import { smtpSenderOptions } from '../mail/outbound/smtp-settings.ts';
import { CheckTimeout, fail, pass, seconds, warn, withTimeout, type CheckContext, type DoctorCheck, type SettingName } from './checks.ts';

export async function checkInbox(ctx: CheckContext, inbox: InboxConfig, i: number): Promise<DoctorCheck[]> {
  const signIn = await checkSignIn(ctx, inbox, i);
  // Without a token, the IMAP and SMTP logins would only fail with the same words.
  if (!signIn.ok) return [signIn];
  const [imap, smtp] = await Promise.all([checkImap(ctx, inbox, i), checkSmtp(ctx, inbox, i)]);
  return [signIn, ...imap, smtp];
}

/** How the inbox signs in; with OAuth2, that a token can be had, its scopes and lifetime. */
async function checkSignIn(ctx: CheckContext, inbox: InboxConfig, i: number): Promise<DoctorCheck> {
  const name = `Sign-in ${inbox.imap.user}`;
  const tokens = ctx.tokens(i);
  if (inbox.signIn === 'password') return pass(name, 'password (IMAP and SMTP)');
  if (!inbox.oauth || !tokens)
    return warn(name, `a static OAuth2 access token (${ctx.name(i, 'imap.accessToken')}): it expires within about an hour and is never refreshed; sign in with OAuth2 settings instead (see the README)`);
  const kind = `OAuth2 (${inbox.oauth.provider}, ${inbox.oauth.grant})`;
  try {
    await withTimeout(tokens.get(), ctx.timeoutMs);
  } catch (err) {
    const reason = err instanceof SignInError ? err.failure.reason : err instanceof CheckTimeout ? `the provider did not answer within ${seconds(err.ms)}` : describeError(err);
    return fail(name, `${kind}: can't sign in to the mailbox: ${reason}. ${signInFix(inbox.oauth.grant, inbox.name)}`);
  }
  const { expiresAt, lastRefreshAt, scope } = tokens.status();
  const minutes = expiresAt && lastRefreshAt ? Math.round((expiresAt - lastRefreshAt) / 60_000) : null;
  return pass(name, `${kind}: token obtained${minutes !== null ? `, lifetime ${minutes} min` : ''}; scopes: ${scope?.trim() || 'not said by the provider'}`);
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;
const SELF_SAVING_PROVIDERS = /(^|\.)(gmail\.com|googlemail\.com|office365\.com|outlook\.com)$/i;

async function checkImap(ctx: CheckContext, inbox: InboxConfig, i: number): Promise<DoctorCheck[]> {
  const { imap } = inbox;
  const name = `IMAP ${imap.user}@${imap.host}:${imap.port}`;
  const tokens = ctx.tokens(i);
  let client: ImapFlow | null = null;
  const session = async () => {
    client = (await connectImap({ ...imap, ...(tokens ? { tokens } : {}) }, {}, (c) => (client = c))).client;
    return inspectMailbox(ctx, inbox, i, client, name);
  };
  try {
    return await withTimeout(session(), ctx.timeoutMs, () => (client as ImapFlow | null)?.close());
  } catch (err) {
    const c = client as ImapFlow | null;
    // Logged in, then the server ended the session: the watcher would get no further either.
    const bye = (c as unknown as { byeReason?: string } | null)?.byeReason;
    if ((failedAfterSignIn(err) || c?.authenticated) && !(err instanceof CheckTimeout))
      return [fail(name, `logged in, but the server ended the session at once (${bye ? bye.slice(0, 200) : describeError(err)}): Mailroom would keep reconnecting, a little less often each time, and read no mail; check that ${imap.user} may use IMAP (an account that is locked, over quota, or allowed too few connections is ended like this)`)];
    return [fail(name, imapFailure(err, ctx.name, i, imap, tokens !== null))];
  } finally {
    const c = client as ImapFlow | null;
    // LOGOUT on a connection that never opened would wait for nothing.
    if (c?.usable) await withTimeout(c.logout(), 2000).catch(() => c.close());
    else c?.close();
  }
}

async function inspectMailbox(ctx: CheckContext, inbox: InboxConfig, i: number, client: ImapFlow, name: string): Promise<DoctorCheck[]> {
  const { imap } = inbox;
  const list = await client.list();
  const wanted = imap.mailbox.toUpperCase() === 'INBOX' ? 'INBOX' : imap.mailbox;
  const found = list.find((m) => (wanted === 'INBOX' ? m.path.toUpperCase() === 'INBOX' : m.path === wanted));
  const setting = ctx.name(i, 'imap.mailbox');
  if (!found) {
    const names = list.filter((m) => !m.flags.has('\\Noselect')).map((m) => m.path);
    const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
    return [fail(name, `logged in, but there is no mailbox "${imap.mailbox}" (the server has: ${shown}); set ${setting} to one of them`)];
  }
  if (found.specialUse === '\\Junk') {
    return [fail(name, `logged in, but "${imap.mailbox}" is the Junk/Spam folder, which Mailroom never reads; set ${setting} to INBOX`)];
  }
  const examined = await client.mailboxOpen(imap.mailbox, { readOnly: true });
  const notes = [`logged in, ${imap.mailbox} has ${examined.exists.toLocaleString('en-US')} message${examined.exists === 1 ? '' : 's'}`];
  const extra: (Note | null)[] = [];
  // The numbers the watcher will go by, read the way it reads them.
  const opened = await readOpenedMailbox(client, null);
  const highest = opened.uidNextFrom === null && opened.exists !== 0 ? await readHighestUid(client, null) : null;
  extra.push(markNote({ uidNextFrom: opened.uidNextFrom, exists: opened.exists, highest }));
  const observed = ctx.observed(i);
  if (client.capabilities.has('IDLE')) {
    notes.push('IDLE supported');
    extra.push(idleNote({ observed, checkSeconds: imap.idleCheckSeconds, checkSetting: ctx.name(i, 'imap.idleCheckSeconds') }));
  } else extra.push({ text: 'IDLE not supported: Mailroom will poll for new mail instead, so it reaches Slack seconds later rather than at once', warning: true });
  extra.push(...observedNotes(observed));
  const clear = plaintextWarning(client.secureConnection, imap.host, ctx.name(i, 'imap.secure'));
  if (clear) extra.push({ text: clear, warning: true });
  // A session the server ends right after the login is found here, before anyone waits for mail.
  await client.noop();
  const said = extra.filter((n): n is Note => n !== null);
  notes.push(...said.map((n) => n.text));
  const checks = [(said.some((n) => n.warning) ? warn : pass)(name, notes.join(', '))];
  if (inbox.sentFolder)
    checks.push(
      sentFolderCheck({
        name: `Sent folder ${imap.user}@${imap.host}`,
        smtpHost: inbox.smtp.host,
        selfSaving: SELF_SAVING_PROVIDERS.test(inbox.smtp.host),
        plan: planSentFolder({ list, prefix: personalPrefix(client), capabilities: client.capabilities }),
        setting: ctx.name(i, 'sentFolder'),
      }),
    );
  return checks;
}

/** A password sent over an unencrypted connection to another host deserves a warning. */
export function plaintextWarning(encrypted: boolean, host: string, secureSetting: string): string | null {
  if (encrypted || LOOPBACK.test(host)) return null;
  return `the connection is not encrypted (no TLS, no STARTTLS): set ${secureSetting} to true and use port 993`;
}

const OAUTH_LOGIN_HINT = 'that the account may use this mailbox over IMAP (Microsoft 365: the IMAP.AccessAsUser.All or IMAP.AccessAsApp permission, and for app-only also Add-MailboxPermission; Google: IMAP access on)';

/** What a failed IMAP connection or login means, and what to change. */
export function imapFailure(err: unknown, name: SettingName, i: number, imap: Pick<InboxConfig['imap'], 'host' | 'port' | 'user' | 'accessToken'>, oauth = false): string {
  const e = (err ?? {}) as { authenticationFailed?: boolean; code?: unknown; responseText?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const text = typeof e.responseText === 'string' && e.responseText ? e.responseText : describeError(err);
  const at = `${imap.host}:${imap.port}`;
  if (err instanceof CheckTimeout || /TIMEOUT/i.test(code))
    return `${err instanceof CheckTimeout ? err.message : 'timed out'} from ${at}: check ${name(i, 'imap.host')} and ${name(i, 'imap.port')}, and that a firewall lets this host reach it; if the port speaks plain IMAP (143), set ${name(i, 'imap.secure')} to false`;
  if (e.authenticationFailed && oauth) return `login refused for ${imap.user} with an OAuth2 token (${text}): check ${name(i, 'imap.user')} (the mailbox the token is for) and ${OAUTH_LOGIN_HINT}`;
  if (e.authenticationFailed)
    return `login refused for ${imap.user} (${text}): check ${name(i, 'imap.user')} and ${imap.accessToken ? 'the OAuth2 access token' : name(i, 'imap.password')} (some providers need an app password)`;
  if (code === 'ECONNREFUSED') return `nothing accepts connections at ${at}: check ${name(i, 'imap.host')} and ${name(i, 'imap.port')} (993 for TLS, 143 for plain/STARTTLS)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name ${imap.host} could not be resolved: check ${name(i, 'imap.host')}`;
  if (/wrong version number|packet length|EPROTO|ssl/i.test(`${code} ${text}`))
    return `TLS handshake failed at ${at} (${text}): port 993 uses TLS (${name(i, 'imap.secure')}=true), port 143 does not (${name(i, 'imap.secure')}=false)`;
  if (/certificate|CERT_|self[- ]signed/i.test(`${code} ${text}`))
    return `the server's TLS certificate is not trusted (${text}): fix the certificate, or give Node its CA with NODE_EXTRA_CA_CERTS`;
  return `could not connect to ${at}: ${text}`;
}

async function checkSmtp(ctx: CheckContext, inbox: InboxConfig, i: number): Promise<DoctorCheck> {
  const { smtp } = inbox;
  const name = `SMTP ${smtp.user ? `${smtp.user}@` : ''}${smtp.host}:${smtp.port}`;
  const tokens = ctx.tokens(i);
  if (smtp.user && !smtp.password && !smtp.accessToken && !tokens)
    return fail(name, `${ctx.name(i, 'smtp.user')} is set but neither ${ctx.name(i, 'smtp.password')} nor ${ctx.name(i, 'smtp.accessToken')}`);
  const sender = createSmtpSender({
    ...smtpSenderOptions(smtp),
    ...(tokens ? { tokens } : {}),
    ...(ctx.smtpTls ? { tls: ctx.smtpTls } : {}),
    pool: false,
    // nodemailer's own limits come a little later than the check's, so ours is the one reported.
    connectionTimeoutMs: ctx.timeoutMs + 1000,
    socketTimeoutMs: ctx.timeoutMs + 1000,
    logger: ctx.logger,
  });
  try {
    await withTimeout(sender.verify(), ctx.timeoutMs);
    return pass(name, smtp.user ? 'logged in' : `connected; no ${ctx.name(i, 'smtp.user')} set, so the server must accept mail from this host without a login`);
  } catch (err) {
    return fail(name, smtpFailure(err, ctx.name, i, smtp, tokens !== null));
  } finally {
    sender.close();
  }
}

/** What a failed SMTP check means, and what to change. */
export function smtpFailure(err: unknown, name: SettingName, i: number, smtp: InboxConfig['smtp'], oauth = false): string {
  const reason = describeError(err);
  const at = `${smtp.host}:${smtp.port}`;
  const secure = name(i, 'smtp.secure');
  if (err instanceof CheckTimeout || /did not answer in time|ETIMEDOUT|timeout|greeting never received/i.test(reason))
    return `no answer from ${at} ${err instanceof CheckTimeout ? `within ${seconds(err.ms)}` : 'in time'}: check ${name(i, 'smtp.host')} and ${name(i, 'smtp.port')} (some hosts block outgoing port 25 and 587)`;
  if (oauth && /login failed|EAUTH|\b535\b|authentication|invalid login/i.test(reason))
    return `${reason}: check ${name(i, 'smtp.user')} (the mailbox the token is for) and that it may send by SMTP AUTH (Microsoft 365: the SMTP.Send or SMTP.SendAsApp permission, and SMTP AUTH enabled for the mailbox: Set-CASMailbox -SmtpClientAuthenticationDisabled $false)`;
  if (/login failed|EAUTH|\b535\b|authentication/i.test(reason))
    return `${reason}: check ${name(i, 'smtp.user')} and ${smtp.accessToken ? 'the OAuth2 access token' : name(i, 'smtp.password')} (some providers need an app password)`;
  if (/refused the connection|ECONNREFUSED/.test(reason)) return `nothing accepts connections at ${at}: check ${name(i, 'smtp.host')} and ${name(i, 'smtp.port')}`;
  if (/could not be resolved|ENOTFOUND|EAI_AGAIN/.test(reason)) return `the host name ${smtp.host} could not be resolved: check ${name(i, 'smtp.host')}`;
  if (/STARTTLS|upgrade connection|EREQUIRETLS/i.test(reason))
    return `${reason}: the server offers no STARTTLS and Mailroom never sends a password in clear; use port 465 with ${secure}=true, or a server that offers STARTTLS`;
  if (/wrong version number|packet length|EPROTO|ssl/i.test(reason))
    return `TLS handshake failed at ${at} (${reason}): port 465 uses TLS from the start (${secure}=true); 587 and 25 use STARTTLS (${secure}=false)`;
  if (/certificate|CERT_|self[- ]signed/i.test(reason))
    return `the server's TLS certificate is not trusted (${reason}): fix the certificate, or give Node its CA with NODE_EXTRA_CA_CERTS`;
  return reason;
}
