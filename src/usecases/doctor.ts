// `mailroom doctor` as a use case: check the configuration and every connection the app will make,
// and return one plain result per check. Each check has its own time limit, so a dead server gives
// a failing line instead of a hang. Checks that depend on an earlier one (scopes and channels need
// a valid bot token, the Sent folder needs an IMAP login) are left out when it fails. No detail
// ever carries a password or token: every one is redacted before it is returned.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config, type InboxConfig } from '../config/load.ts';
import { describeError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { imapClient } from '../mail/imap-client.ts';
import { chooseSentMailbox } from '../mail/outbound/sent-folder.ts';
import { createSmtpSender, type SmtpSenderOptions } from '../mail/outbound/smtp-sender.ts';
import { smtpSenderOptions } from '../mail/outbound/smtp-settings.ts';
import { createWebClient, slackErrorCode } from '../slack/web.ts';

export interface DoctorCheck {
  name: string;
  /** False fails the run. */
  ok: boolean;
  /** Passes, with something worth knowing (e.g. no IDLE: polling is used). */
  warning: boolean;
  /** What was found, or exactly what is wrong and how to fix it. Never a secret. */
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  passed: number;
  warnings: number;
  failed: number;
  checks: DoctorCheck[];
}

export interface DoctorDeps {
  env: Record<string, string | undefined>;
  readFile?: (path: string) => string;
  logger?: Logger;
  /** Time limit of each check (default 10 s). */
  timeoutMs?: number;
  /** Extra TLS settings for SMTP (tests: a self-signed STARTTLS certificate). */
  smtpTls?: SmtpSenderOptions['tls'];
}

/** Bot scopes the app uses; test/unit/doctor.test.ts holds both manifests to this list. */
export const REQUIRED_BOT_SCOPES = [
  'channels:history', 'channels:read', 'chat:write', 'chat:write.customize', 'commands', 'files:read', 'files:write',
  'groups:history', 'groups:read', 'im:write', 'reactions:read', 'reactions:write', 'team:read', 'usergroups:read',
  'users:read', 'users:read.email',
] as const;

const pass = (name: string, detail: string): DoctorCheck => ({ name, ok: true, warning: false, detail });
const warn = (name: string, detail: string): DoctorCheck => ({ name, ok: true, warning: true, detail });
const fail = (name: string, detail: string): DoctorCheck => ({ name, ok: false, warning: false, detail });

export class CheckTimeout extends Error {
  readonly code = 'doctor.timeout';
  constructor(readonly ms: number) {
    super(`no answer within ${seconds(ms)}`);
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** Resolves as `work` does, or rejects with CheckTimeout after `ms` (calling `onTimeout` to clean up). */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new CheckTimeout(ms));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function missingScopes(granted: readonly string[], required: readonly string[] = REQUIRED_BOT_SCOPES): string[] {
  const have = new Set(granted.map((s) => s.trim()));
  return required.filter((s) => !have.has(s));
}

/** Replaces every secret (of 4 characters or more) in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

const SECRET_ENV = /(TOKEN|PASSWORD|SECRET)$/;

function secretsOf(env: DoctorDeps['env'], config: Config | null): string[] {
  const found = Object.entries(env).flatMap(([k, v]) => (v && SECRET_ENV.test(k) ? [v] : []));
  if (config) {
    found.push(config.slack.botToken, config.slack.appToken ?? '', config.slack.signingSecret ?? '');
    for (const i of config.inboxes) found.push(i.imap.password ?? '', i.imap.accessToken ?? '', i.smtp.password ?? '', i.smtp.accessToken ?? '');
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...new Set(found.filter(Boolean))].sort((a, b) => b.length - a.length);
}

export function summarize(checks: DoctorCheck[]): DoctorReport {
  const failed = checks.filter((c) => !c.ok).length;
  const warnings = checks.filter((c) => c.ok && c.warning).length;
  return { ok: failed === 0, passed: checks.length - failed, warnings, failed, checks };
}

/** How to name a setting in a hint: the environment variable, or the YAML path. */
export type SettingName = (inbox: number, path: string) => string;

const ENV_NAMES: Record<string, string> = {
  channel: 'MAILROOM_CHANNEL', sentFolder: 'MAILROOM_SENT_FOLDER',
  'imap.host': 'IMAP_HOST', 'imap.port': 'IMAP_PORT', 'imap.secure': 'IMAP_SECURE', 'imap.user': 'IMAP_USER',
  'imap.password': 'IMAP_PASSWORD', 'imap.mailbox': 'IMAP_MAILBOX',
  'smtp.host': 'SMTP_HOST', 'smtp.port': 'SMTP_PORT', 'smtp.secure': 'SMTP_SECURE', 'smtp.user': 'SMTP_USER',
  'smtp.password': 'SMTP_PASSWORD', 'smtp.accessToken': 'SMTP_ACCESS_TOKEN',
};

function settingNames(env: DoctorDeps['env']): SettingName {
  const file = env.MAILROOM_CONFIG?.trim();
  return file ? (i, path) => `inboxes[${i}].${path} in ${file}` : (_, path) => ENV_NAMES[path] ?? path;
}

/** The whole doctor run: configuration first, then every connection in parallel, in a stable order. */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const logger = deps.logger ?? silentLogger();
  let config: Config;
  try {
    config = loadConfig(deps.env, deps.readFile ?? ((p) => readFileSync(p, 'utf8')));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const secrets = secretsOf(deps.env, null);
    return summarize(err.problems.map((p) => fail('Configuration', redact(p, secrets))));
  }
  const ctx: CheckContext = { config, timeoutMs, logger, name: settingNames(deps.env), smtpTls: deps.smtpTls };
  const [slack, ...inboxes] = await Promise.all([checkSlack(ctx), ...config.inboxes.map((inbox, i) => checkInbox(ctx, inbox, i))]);
  const checks = [pass('Configuration', describeConfig(config, deps.env)), ...slack!.global];
  config.inboxes.forEach((_, i) => checks.push(...(slack!.channels[i] ?? []), ...inboxes[i]!));
  const secrets = secretsOf(deps.env, config);
  return summarize(checks.map((c) => ({ ...c, name: redact(c.name, secrets), detail: redact(c.detail, secrets) })));
}

interface CheckContext {
  config: Config;
  timeoutMs: number;
  logger: Logger;
  name: SettingName;
  smtpTls: SmtpSenderOptions['tls'];
}

function describeConfig(config: Config, env: DoctorDeps['env']): string {
  const n = config.inboxes.length;
  const inboxes = `${n} inbox${n === 1 ? '' : 'es'} (${config.inboxes.map((i) => `${i.name} <${i.address}>`).join(', ')})`;
  const source = env.MAILROOM_CONFIG?.trim() ? `from ${env.MAILROOM_CONFIG.trim()}` : 'from the environment';
  const mode = config.slack.appToken ? 'Socket Mode' : `HTTP mode on port ${config.slack.port}`;
  return `${inboxes} ${source}; ${mode}; database ${config.databasePath}`;
}

// ---- Slack ---------------------------------------------------------------------------------

async function checkSlack(ctx: CheckContext): Promise<{ global: DoctorCheck[]; channels: DoctorCheck[][] }> {
  const { config, timeoutMs } = ctx;
  // The client's own limit comes a little later than the check's, so ours is the one reported.
  const web = createWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger: ctx.logger, timeoutMs: timeoutMs + 1000 });
  const modeCheck = checkSlackMode(ctx);
  const name = 'Slack auth.test';
  let auth: Awaited<ReturnType<typeof web.auth.test>>;
  try {
    auth = await withTimeout(web.auth.test(), timeoutMs);
  } catch (err) {
    return { global: [fail(name, slackFailure(err, 'SLACK_BOT_TOKEN', config.slack.apiUrl)), await modeCheck], channels: [] };
  }
  const global = [pass(name, `token valid: bot @${auth.user ?? '?'} (${auth.user_id ?? '?'}) in team ${auth.team ?? '?'} (${auth.team_id ?? '?'})`)];
  global.push(scopesCheck(auth.response_metadata?.scopes), await modeCheck);
  const bot = `@${auth.user ?? 'Mailroom'}`;
  const channels = await Promise.all(config.inboxes.map(async (inbox, i) => [await checkChannel(ctx, web, inbox, i, bot)]));
  return { global, channels };
}

function scopesCheck(granted: string[] | undefined): DoctorCheck {
  const name = 'Slack scopes';
  if (!granted) return warn(name, 'Slack did not say which scopes the token has (no X-OAuth-Scopes header), so they were not checked');
  const missing = missingScopes(granted);
  if (!missing.length) return pass(name, `all ${REQUIRED_BOT_SCOPES.length} bot scopes the app needs are granted`);
  return fail(
    name,
    `missing ${missing.length} bot scope${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}. Add ${missing.length === 1 ? 'it' : 'them'} ` +
      'under OAuth & Permissions → Bot Token Scopes (or update the app from manifests/), then reinstall the app to the workspace',
  );
}

async function checkChannel(ctx: CheckContext, web: ReturnType<typeof createWebClient>, inbox: InboxConfig, i: number, bot: string): Promise<DoctorCheck> {
  const name = `Slack channel ${inbox.channel} (${inbox.name})`;
  try {
    const info = await withTimeout(web.conversations.info({ channel: inbox.channel }), ctx.timeoutMs);
    const channel = info.channel;
    const label = `#${channel?.name ?? inbox.channel}`;
    if (channel?.is_archived) return fail(name, `${label} is archived: unarchive it, or set ${ctx.name(i, 'channel')} to another channel`);
    if (!channel?.is_member) return fail(name, `the bot is not in ${label}: invite ${bot} to ${label} (type /invite ${bot} in the channel)`);
    return pass(name, `the bot is a member of ${label}`);
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === 'channel_not_found')
      return fail(
        name,
        `no channel ${inbox.channel} that the bot can see: check ${ctx.name(i, 'channel')} is the channel's ID (channel details, at the bottom); ` +
          `for a private channel, invite ${bot} first`,
      );
    return fail(name, slackFailure(err, 'SLACK_BOT_TOKEN', ctx.config.slack.apiUrl));
  }
}

async function checkSlackMode(ctx: CheckContext): Promise<DoctorCheck> {
  const { slack } = ctx.config;
  if (!slack.appToken) {
    return pass('Slack HTTP mode', `SLACK_SIGNING_SECRET is set; Slack must reach this host's public URL at /slack/events (listening on port ${slack.port})`);
  }
  const name = 'Slack Socket Mode';
  const web = createWebClient({ token: slack.appToken, apiUrl: slack.apiUrl, logger: ctx.logger, timeoutMs: ctx.timeoutMs + 1000 });
  try {
    await withTimeout(web.apps.connections.open(), ctx.timeoutMs);
    return pass(name, 'SLACK_APP_TOKEN valid: apps.connections.open issued a Socket Mode connection URL');
  } catch (err) {
    return fail(name, slackFailure(err, 'SLACK_APP_TOKEN', slack.apiUrl));
  }
}

/** What a failed Slack call means for the person running doctor. */
export function slackFailure(err: unknown, tokenName: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', apiUrl: string): string {
  const code = slackErrorCode(err);
  const app = tokenName === 'SLACK_APP_TOKEN';
  switch (code) {
    case undefined:
      if (err instanceof CheckTimeout || /aborted due to timeout|ETIMEDOUT|ECONNABORTED/.test(describeError(err)))
        return `${err instanceof CheckTimeout ? err.message : 'no answer in time'} from Slack at ${apiUrl}: check the network, proxy or SLACK_API_URL`;
      return `could not reach Slack at ${apiUrl} (${networkReason(err)}): check the network, proxy or SLACK_API_URL`;
    case 'invalid_auth':
    case 'not_authed':
      return app
        ? `${tokenName} was refused (${code}): create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and set it`
        : `${tokenName} was refused (${code}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions`;
    case 'token_revoked':
    case 'account_inactive':
    case 'token_expired':
      return `${tokenName} no longer works (${code}): the app was uninstalled or the token revoked; reinstall the app and set the new token`;
    case 'not_allowed_token_type':
      return `${tokenName} is the wrong kind of token (${code}): it must be ${app ? 'an app-level token (xapp-…)' : 'the bot token (xoxb-…)'}`;
    case 'missing_scope': {
      const needed = (err as { data?: { needed?: unknown } }).data?.needed;
      return `${tokenName} lacks a scope (${code}${typeof needed === 'string' ? `: needs ${needed}` : ''}): ${app ? 'give the app-level token connections:write' : 'add it under OAuth & Permissions and reinstall the app'}`;
    }
    default:
      return `Slack answered ${code}${app ? ': check that Socket Mode is turned on in the app settings (Settings → Socket Mode)' : ''}`;
  }
}

/** The network error under @slack/web-api's "A request error occurred: fetch failed". */
function networkReason(err: unknown): string {
  const cause = (err as { original?: { cause?: { code?: unknown; message?: unknown } } } | null)?.original?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return describeError(err);
}

// ---- Mail ----------------------------------------------------------------------------------

async function checkInbox(ctx: CheckContext, inbox: InboxConfig, i: number): Promise<DoctorCheck[]> {
  const [imap, smtp] = await Promise.all([checkImap(ctx, inbox, i), checkSmtp(ctx, inbox, i)]);
  return [...imap, smtp];
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;
const SELF_SAVING_PROVIDERS = /(^|\.)(gmail\.com|googlemail\.com|office365\.com|outlook\.com)$/i;

async function checkImap(ctx: CheckContext, inbox: InboxConfig, i: number): Promise<DoctorCheck[]> {
  const { imap } = inbox;
  const name = `IMAP ${imap.user}@${imap.host}:${imap.port}`;
  const client = imapClient(imap);
  try {
    return await withTimeout(inspectMailbox(ctx, inbox, i, client, name), ctx.timeoutMs, () => client.close());
  } catch (err) {
    return [fail(name, imapFailure(err, ctx.name, i, imap))];
  } finally {
    // LOGOUT on a connection that never opened would wait for nothing.
    if (client.usable) await withTimeout(client.logout(), 2000).catch(() => client.close());
    else client.close();
  }
}

async function inspectMailbox(ctx: CheckContext, inbox: InboxConfig, i: number, client: ReturnType<typeof imapClient>, name: string): Promise<DoctorCheck[]> {
  const { imap } = inbox;
  await client.connect();
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
  const opened = await client.mailboxOpen(imap.mailbox, { readOnly: true });
  const notes = [`logged in, ${imap.mailbox} has ${opened.exists.toLocaleString('en-US')} message${opened.exists === 1 ? '' : 's'}`];
  let warning = false;
  if (client.capabilities.has('IDLE')) notes.push('IDLE supported');
  else {
    warning = true;
    notes.push('IDLE not supported: Mailroom will poll for new mail instead, so it reaches Slack seconds later rather than at once');
  }
  const clear = plaintextWarning(client.secureConnection, imap.host, ctx.name(i, 'imap.secure'));
  if (clear) {
    warning = true;
    notes.push(clear);
  }
  const checks = [(warning ? warn : pass)(name, notes.join(', '))];
  if (inbox.sentFolder)
    checks.push(sentFolderCheck({ name: `Sent folder ${imap.user}@${imap.host}`, smtpHost: inbox.smtp.host, list, setting: ctx.name(i, 'sentFolder') }));
  return checks;
}

/** A password sent over an unencrypted connection to another host deserves a warning. */
export function plaintextWarning(encrypted: boolean, host: string, secureSetting: string): string | null {
  if (encrypted || LOOPBACK.test(host)) return null;
  return `the connection is not encrypted (no TLS, no STARTTLS): set ${secureSetting} to true and use port 993`;
}

/** Where copies of replies will go, from the mailbox LIST (sentFolder on). */
export function sentFolderCheck(o: { name: string; smtpHost: string; list: Parameters<typeof chooseSentMailbox>[0]; setting: string }): DoctorCheck {
  const off = `set ${o.setting} to false`;
  if (SELF_SAVING_PROVIDERS.test(o.smtpHost))
    return warn(o.name, `${o.smtpHost} saves sent mail itself, so each reply would be in Sent twice: ${off}`);
  const sent = chooseSentMailbox(o.list);
  if (!sent) return warn(o.name, `no Sent folder found: Mailroom will create "Sent" for the first reply (or ${off})`);
  const flagged = o.list.find((m) => m.path === sent)?.flags.has('\\Sent');
  return pass(o.name, `copies of replies will go to "${sent}"${flagged ? ' (\\Sent)' : ' (found by name)'}`);
}

/** What a failed IMAP connection or login means, and what to change. */
export function imapFailure(err: unknown, name: SettingName, i: number, imap: InboxConfig['imap']): string {
  const e = (err ?? {}) as { authenticationFailed?: boolean; code?: unknown; responseText?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const text = typeof e.responseText === 'string' && e.responseText ? e.responseText : describeError(err);
  const at = `${imap.host}:${imap.port}`;
  if (err instanceof CheckTimeout || /TIMEOUT/i.test(code))
    return `${err instanceof CheckTimeout ? err.message : 'timed out'} from ${at}: check ${name(i, 'imap.host')} and ${name(i, 'imap.port')}, and that a firewall lets this host reach it; if the port speaks plain IMAP (143), set ${name(i, 'imap.secure')} to false`;
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
  if (smtp.user && !smtp.password && !smtp.accessToken)
    return fail(name, `${ctx.name(i, 'smtp.user')} is set but neither ${ctx.name(i, 'smtp.password')} nor ${ctx.name(i, 'smtp.accessToken')}`);
  const sender = createSmtpSender({
    ...smtpSenderOptions(smtp),
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
    return fail(name, smtpFailure(err, ctx.name, i, smtp));
  } finally {
    sender.close();
  }
}

/** What a failed SMTP check means, and what to change. */
export function smtpFailure(err: unknown, name: SettingName, i: number, smtp: InboxConfig['smtp']): string {
  const reason = describeError(err);
  const at = `${smtp.host}:${smtp.port}`;
  const secure = name(i, 'smtp.secure');
  if (err instanceof CheckTimeout || /did not answer in time|ETIMEDOUT|timeout|greeting never received/i.test(reason))
    return `no answer from ${at} ${err instanceof CheckTimeout ? `within ${seconds(err.ms)}` : 'in time'}: check ${name(i, 'smtp.host')} and ${name(i, 'smtp.port')} (some hosts block outgoing port 25 and 587)`;
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
