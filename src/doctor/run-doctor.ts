// `mailroom doctor` as a use case: check the configuration and every connection the app will make,
// and return one plain result per check. Each check has its own time limit, so a dead server gives
// a failing line instead of a hang. Checks that depend on an earlier one (scopes and channels need
// a valid bot token, the Sent folder needs an IMAP login) are left out when it fails. No detail
// ever carries a password or token: every one is redacted before it is returned.
import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { SmtpSenderOptions } from '../mail/outbound/smtp-sender.ts';
import { ConfigError } from '../config/config-error.ts';
import { INBOX_ENV } from '../config/inbox-env.ts';
import { loadConfig, type Config } from '../config/load.ts';
import { createTokenSource, type TokenSource } from '../mail/auth/token-source.ts';
import { closeDb, createStore, openDb } from '../store/index.ts';
import { configuredHash } from '../store/oauth-tokens.ts';
import { observedServer, type ImapObservations } from '../store/imap-observations.ts';
import { silentLogger } from '../logger.ts';
import { fail, pass, type CheckContext, type DoctorCheck, type SettingName } from './checks.ts';
import { checkInbox } from './mail-checks.ts';
import { checkSlack } from './slack-checks.ts';

export { CheckTimeout, withTimeout, type DoctorCheck, type SettingName } from './checks.ts';
export { imapFailure, plaintextWarning, smtpFailure } from './mail-checks.ts';
export { idleNote, markNote, observedNotes, sentFolderCheck } from './imap-notes.ts';
export { missingScopes, REQUIRED_BOT_SCOPES, slackFailure } from './slack-checks.ts';

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

/** Replaces every secret (of 4 characters or more) in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

const SECRET_ENV = /(TOKEN|PASSWORD|SECRET|KEY)$/;

function secretsOf(env: DoctorDeps['env'], config: Config | null): string[] {
  const found = Object.entries(env).flatMap(([k, v]) => (v && SECRET_ENV.test(k) ? [v] : []));
  if (config) {
    found.push(config.slack.botToken, config.slack.appToken ?? '', config.slack.signingSecret ?? '');
    for (const i of config.inboxes)
      found.push(i.imap.password ?? '', i.imap.accessToken ?? '', i.smtp.password ?? '', i.smtp.accessToken ?? '', i.oauth?.clientSecret ?? '', i.oauth?.refreshToken ?? '');
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...new Set(found.filter(Boolean))].sort((a, b) => b.length - a.length);
}

export function summarize(checks: DoctorCheck[]): DoctorReport {
  const failed = checks.filter((c) => !c.ok).length;
  const warnings = checks.filter((c) => c.ok && c.warning).length;
  return { ok: failed === 0, passed: checks.length - failed, warnings, failed, checks };
}

function settingNames(env: DoctorDeps['env']): SettingName {
  const file = env.MAILROOM_CONFIG?.trim();
  return file ? (i, path) => `inboxes[${i}].${path} in ${file}` : (_, path) => INBOX_ENV[path] ?? path;
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
  const secrets = secretsOf(deps.env, config);
  // OAuth2 inboxes sign in with the refresh token the app keeps (a rotated one is stored again).
  const signIns = openSignIns(config, logger);
  if (typeof signIns === 'string') return summarize([pass('Configuration', describeConfig(config, deps.env)), fail('Sign-in tokens', signIns)]);
  try {
    const ctx: CheckContext = {
      config,
      timeoutMs,
      logger,
      name: settingNames(deps.env),
      smtpTls: deps.smtpTls,
      tokens: (i) => signIns.sources[i] ?? null,
      observed: (i) => signIns.observed(i),
    };
    const [slack, ...inboxes] = await Promise.all([checkSlack(ctx), ...config.inboxes.map((inbox, i) => checkInbox(ctx, inbox, i))]);
    const checks = [pass('Configuration', describeConfig(config, deps.env)), ...slack!.global];
    config.inboxes.forEach((_, i) => checks.push(...(slack!.channels[i] ?? []), ...inboxes[i]!));
    return summarize(checks.map((c) => ({ ...c, name: redact(c.name, secrets), detail: redact(c.detail, secrets) })));
  } finally {
    signIns.close();
  }
}

/**
 * The app's database, when there is one or sign-ins need it: token sources for the inboxes that
 * sign in with OAuth2, and what the running app has seen of each IMAP server. Or why it can't be.
 */
function openSignIns(config: Config, logger: Logger): { sources: (TokenSource | null)[]; observed(i: number): ImapObservations | null; close(): void } | string {
  const oauth = config.inboxes.some((i) => i.oauth);
  // Doctor creates no database of its own just to find it empty.
  if (!oauth && (config.databasePath === ':memory:' || !existsSync(config.databasePath))) return { sources: [], observed: () => null, close: () => undefined };
  const db = openDb(config.databasePath);
  const store = createStore(db, { secretKey: config.secretKey });
  const problem = oauth ? store.oauthTokens.keyProblem() : null;
  if (problem) {
    closeDb(db);
    return problem;
  }
  const sources = config.inboxes.map((i) =>
    i.oauth ? createTokenSource({ inboxKey: i.key, oauth: i.oauth, user: i.imap.user, store: store.oauthTokens, configuredHash, logger }) : null,
  );
  return {
    sources,
    observed: (i) => {
      const inbox = config.inboxes[i];
      return inbox ? store.imapObserved.get(inbox.key, observedServer(inbox.imap)) : null;
    },
    close() {
      for (const s of sources) s?.stop();
      closeDb(db);
    },
  };
}

function describeConfig(config: Config, env: DoctorDeps['env']): string {
  const n = config.inboxes.length;
  const inboxes = `${n} inbox${n === 1 ? '' : 'es'} (${config.inboxes.map((i) => `${i.name} <${i.address}>`).join(', ')})`;
  const source = env.MAILROOM_CONFIG?.trim() ? `from ${env.MAILROOM_CONFIG.trim()}` : 'from the environment';
  const mode = config.slack.appToken ? 'Socket Mode' : `HTTP mode on port ${config.slack.port}`;
  return `${inboxes} ${source}; ${mode}; database ${config.databasePath}`;
}
