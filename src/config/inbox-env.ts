// The single-inbox setup: its settings from environment variables (MAILROOM_NAME, IMAP_HOST, …),
// read into the shape of an inbox in the YAML file.
import type { Env } from './global-env.ts';

/** Environment names of the single-inbox variables, by their path in the inbox schema. */
export const INBOX_ENV: Record<string, string> = {
  name: 'MAILROOM_NAME',
  channel: 'MAILROOM_CHANNEL',
  address: 'MAILROOM_ADDRESS',
  aliases: 'MAILROOM_ALIASES',
  members: 'MAILROOM_MEMBERS',
  usergroup: 'MAILROOM_USERGROUP',
  assign: 'MAILROOM_ASSIGN',
  sentFolder: 'MAILROOM_SENT_FOLDER',
  backfillDays: 'MAILROOM_BACKFILL_DAYS',
  postBulk: 'MAILROOM_POST_BULK',
  'sla.firstResponse': 'MAILROOM_SLA_FIRST_RESPONSE',
  'sla.nextResponse': 'MAILROOM_SLA_NEXT_RESPONSE',
  'sla.warnBefore': 'MAILROOM_SLA_WARN_BEFORE',
  'sla.businessHours': 'MAILROOM_BUSINESS_HOURS',
  'sla.timezone': 'MAILROOM_TIMEZONE',
  'sla.holidays': 'MAILROOM_HOLIDAYS',
  autoCloseWaitingAfter: 'MAILROOM_AUTO_CLOSE_WAITING_AFTER',
  tags: 'MAILROOM_TAGS',
  signature: 'MAILROOM_SIGNATURE',
  'imap.host': 'IMAP_HOST',
  'imap.port': 'IMAP_PORT',
  'imap.secure': 'IMAP_SECURE',
  'imap.user': 'IMAP_USER',
  'imap.password': 'IMAP_PASSWORD',
  'imap.accessToken': 'IMAP_ACCESS_TOKEN',
  'imap.mailbox': 'IMAP_MAILBOX',
  'imap.idleCheckSeconds': 'IMAP_IDLE_CHECK_SECONDS',
  'smtp.host': 'SMTP_HOST',
  'smtp.port': 'SMTP_PORT',
  'smtp.secure': 'SMTP_SECURE',
  'smtp.user': 'SMTP_USER',
  'smtp.password': 'SMTP_PASSWORD',
  'smtp.accessToken': 'SMTP_ACCESS_TOKEN',
  provider: 'MAIL_PROVIDER',
  'oauth.provider': 'OAUTH_PROVIDER',
  'oauth.grant': 'OAUTH_GRANT',
  'oauth.clientId': 'OAUTH_CLIENT_ID',
  'oauth.clientSecret': 'OAUTH_CLIENT_SECRET',
  'oauth.tenant': 'OAUTH_TENANT',
  'oauth.refreshToken': 'OAUTH_REFRESH_TOKEN',
  'oauth.serviceAccountFile': 'OAUTH_SERVICE_ACCOUNT_FILE',
  'oauth.tokenUrl': 'OAUTH_TOKEN_URL',
  'oauth.authorizeUrl': 'OAUTH_AUTHORIZE_URL',
  'oauth.deviceUrl': 'OAUTH_DEVICE_URL',
  'oauth.scope': 'OAUTH_SCOPE',
};
const LISTS = new Set(['aliases', 'members', 'sla.holidays', 'tags']);

/** The inbox input the variables give, lists split on commas. */
export function inboxFromEnv(env: Env): Record<string, unknown> {
  const input: Record<string, Record<string, unknown> | unknown> = { imap: {}, smtp: {} };
  for (const [path, name] of Object.entries(INBOX_ENV)) {
    const value = env[name];
    if (value === undefined) continue;
    const [a, b] = path.split('.') as [string, string | undefined];
    const parsed = LISTS.has(path) ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
    if (b) ((input[a] ??= {}) as Record<string, unknown>)[b] = parsed;
    else input[a] = parsed;
  }
  return input;
}
