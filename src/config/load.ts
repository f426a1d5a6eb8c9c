// Configuration from the environment (one inbox) or from the YAML file named by MAILROOM_CONFIG
// (several inboxes). Every problem is reported as one line naming the variable or the YAML path.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { moveTargetProblems } from './rules.ts';
import { bool, inboxSchema, listenPort, nonNegativeInt, positiveInt, type InboxSettings } from './schema.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';

export interface InboxConfig extends InboxSettings {
  /** Stable identifier derived from the name, used as the store's key. */
  key: string;
}

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string;
    port: number;
    /** Where /slack/events (HTTP mode), /healthz, /readyz and /metrics listen (HOST). */
    host: string;
    commands: { compose: string; assign: string; close: string; mailroom: string };
  };
  databasePath: string;
  sendDelaySeconds: number;
  maxEmailsPerRecipientPerHour: number;
  postsPerSecond: number;
  /** Posts a channel may make back to back before the pace applies. */
  postsBurst: number;
  logLevel: LogLevel;
  /** Encrypts the sign-in tokens kept in the database (MAILROOM_SECRET_KEY). */
  secretKey: string | null;
  /** null: not set, so readable lines on a terminal and JSON elsewhere. */
  logFormat: LogFormat | null;
  /** Daily backups taken by the running app into `dir` (null: none), the newest `keep` kept. */
  backup: { dir: string | null; keep: number };
  /** /metrics answers (MAILROOM_METRICS, default true). */
  metrics: boolean;
  inboxes: InboxConfig[];
}

export class ConfigError extends Error {
  readonly code = 'config.invalid';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const command = (dflt: string) =>
  z
    .string()
    .regex(/^\/[a-z0-9_-]{1,31}$/, { error: 'must be a slash command like /compose' })
    .default(dflt);

const globalSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required (the bot token, xoxb-…)' })
    .regex(/^xoxb-/, { error: 'must be a bot token starting with xoxb-' }),
  SLACK_SIGNING_SECRET: z.string().min(8, { error: 'is too short to be a signing secret' }).optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, { error: 'must be an app-level token starting with xapp-' }).optional(),
  SLACK_API_URL: z
    .url({ error: 'must be a URL like https://slack.com/api/' })
    .default('https://slack.com/api/')
    .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
  PORT: listenPort.default(3000),
  HOST: z.string().trim().min(1, { error: 'must be an address to listen on, like 0.0.0.0 or 127.0.0.1' }).default('0.0.0.0'),
  MAILROOM_METRICS: bool.default(true),
  DATABASE_PATH: z.string().min(1).default('./data/mailroom.db'),
  MAILROOM_SEND_DELAY_SECONDS: nonNegativeInt(3600).default(10),
  MAILROOM_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: positiveInt(10_000).default(30),
  MAILROOM_POSTS_PER_SECOND: z
    .union([z.number(), z.string()])
    .transform((v) => Number(v))
    .refine((n) => Number.isFinite(n) && n > 0 && n <= 1000, { error: 'must be a number of posts per second above 0' })
    .default(1),
  MAILROOM_POSTS_BURST: positiveInt(100).default(3),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
  MAILROOM_BACKUP_DIR: z.string().min(1).optional(),
  MAILROOM_BACKUP_KEEP: positiveInt(3650).default(7),
  MAILROOM_CONFIG: z.string().min(1).optional(),
  MAILROOM_SECRET_KEY: z
    .string()
    .min(16, { error: 'must be at least 16 characters (make one with: openssl rand -base64 32)' })
    .optional(),
  MAILROOM_COMMAND_COMPOSE: command('/compose'),
  MAILROOM_COMMAND_ASSIGN: command('/assign'),
  MAILROOM_COMMAND_CLOSE: command('/close'),
  MAILROOM_COMMAND_MAILROOM: command('/mailroom'),
});

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

function issueLines(error: z.ZodError, name: (path: PropertyKey[]) => string, ref: (path: PropertyKey[]) => string = name): string[] {
  return error.issues.map((i) => {
    const msg =
      i.code === 'unrecognized_keys' ? `has unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message;
    const where = i.code === 'unrecognized_keys' && i.path.length === 0 ? '(top level)' : name(i.path);
    // `{imap.accessToken}` in a message names another setting of the same inbox, the way this one is named.
    const inbox = i.path[0] === 'inboxes' ? i.path.slice(0, 2) : [];
    return `${where} ${msg.replace(/\{([a-zA-Z.]+)\}/g, (_, p: string) => ref([...inbox, ...p.split('.')]))}`;
  });
}

/** `inboxes[1].imap.port` */
export function yamlPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function clean(env: Env): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

function inboxFromEnv(env: Env): Record<string, unknown> {
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

/** Replace `${NAME}` in every string of the YAML tree by that environment variable. */
function substitute(node: unknown, env: Env, path: PropertyKey[], problems: string[] | null): unknown {
  if (typeof node === 'string')
    return node.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      // Without `problems` (a tool that reads only the rules), a missing secret is no matter.
      if (v === undefined) problems?.push(`${yamlPath(path)} refers to \${${name}}, which is not set in the environment`);
      return v ?? (problems ? '' : 'unset');
    });
  if (Array.isArray(node)) return node.map((v, i) => substitute(v, env, [...path, i], problems));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, env, [...path, k], problems)]));
  return node;
}

const fileSchema = z.strictObject({
  inboxes: z.array(inboxSchema, { error: 'must be a list of inboxes' }).min(1, { error: 'must list at least one inbox' }),
});

function inboxesFromFile(file: string, env: Env, readFile: (p: string) => string, strict = true): InboxSettings[] {
  let source: string;
  try {
    source = readFile(file);
  } catch (e) {
    throw new ConfigError([`MAILROOM_CONFIG names ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  // Loaded only for a YAML file: an environment-only setup starts ~60 ms sooner without it.
  const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const doc = parseDocument(source);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new ConfigError([`${file}${line ? `:${line}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const tree = substitute(doc.toJS(), env, [], strict ? problems : null);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p}`));
  const parsed = fileSchema.safeParse(tree ?? {});
  if (!parsed.success) throw new ConfigError(issueLines(parsed.error, (p) => `${file}: ${yamlPath(p)}`, yamlPath));
  return parsed.data.inboxes;
}

export function inboxKey(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'inbox'
  );
}

function checkInboxes(inboxes: InboxSettings[], where: (i: number, key: string) => string): InboxConfig[] {
  const problems: string[] = [];
  const seen = { key: new Map<string, number>(), channel: new Map<string, number>(), address: new Map<string, number>() };
  const out = inboxes.map((inbox, i) => {
    const key = inboxKey(inbox.name);
    const claim = (kind: keyof typeof seen, value: string, field: string) => {
      const other = seen[kind].get(value);
      if (other !== undefined && other !== i) problems.push(`${where(i, field)} "${value}" is also used by inboxes[${other}]`);
      seen[kind].set(value, i);
    };
    claim('key', key, 'name');
    claim('channel', inbox.channel, 'channel');
    for (const a of [inbox.address, ...inbox.aliases]) claim('address', a, 'address');
    return { ...inbox, key };
  });
  problems.push(...moveTargetProblems(out, where));
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/** Read and validate the whole configuration. Throws ConfigError with one line per problem, all of them at once. */
export function loadConfig(rawEnv: Env, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  const env = clean(rawEnv);
  const problems: string[] = [];
  const g = globalSchema.safeParse(env);
  if (!g.success) problems.push(...issueLines(g.error, (p) => String(p[0])));
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET)
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)');
  let inboxes: InboxConfig[] = [];
  try {
    inboxes = readInboxes(env, readFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length || !g.success) throw new ConfigError(problems);
  const globals = g.data;

  return {
    slack: {
      botToken: globals.SLACK_BOT_TOKEN,
      signingSecret: globals.SLACK_SIGNING_SECRET ?? null,
      appToken: globals.SLACK_APP_TOKEN ?? null,
      apiUrl: globals.SLACK_API_URL,
      port: globals.PORT,
      host: globals.HOST,
      commands: {
        compose: globals.MAILROOM_COMMAND_COMPOSE,
        assign: globals.MAILROOM_COMMAND_ASSIGN,
        close: globals.MAILROOM_COMMAND_CLOSE,
        mailroom: globals.MAILROOM_COMMAND_MAILROOM,
      },
    },
    databasePath: globals.DATABASE_PATH,
    sendDelaySeconds: globals.MAILROOM_SEND_DELAY_SECONDS,
    maxEmailsPerRecipientPerHour: globals.MAILROOM_MAX_EMAILS_PER_RECIPIENT_PER_HOUR,
    postsPerSecond: globals.MAILROOM_POSTS_PER_SECOND,
    postsBurst: globals.MAILROOM_POSTS_BURST,
    logLevel: globals.LOG_LEVEL,
    secretKey: globals.MAILROOM_SECRET_KEY ?? null,
    logFormat: globals.LOG_FORMAT ?? null,
    backup: { dir: globals.MAILROOM_BACKUP_DIR ?? null, keep: globals.MAILROOM_BACKUP_KEEP },
    metrics: globals.MAILROOM_METRICS,
    inboxes,
  };
}

/**
 * Only the inboxes (`mailroom rules test`): no Slack settings needed, and `${NAME}`s that are not
 * set are no error. Throws ConfigError like loadConfig.
 */
export function loadInboxes(rawEnv: Env, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): InboxConfig[] {
  return readInboxes(clean(rawEnv), readFile, false);
}

function readInboxes(env: Env, readFile: (p: string) => string, strict = true): InboxConfig[] {
  const file = env.MAILROOM_CONFIG;
  if (file) return checkInboxes(inboxesFromFile(file, env, readFile, strict), (i, f) => `${file}: inboxes[${i}].${f}`);
  const parsed = inboxSchema.safeParse(inboxFromEnv(env));
  if (!parsed.success)
    throw new ConfigError(issueLines(parsed.error, (p) => INBOX_ENV[p.filter((x) => typeof x === 'string').join('.')] ?? yamlPath(p)));
  return checkInboxes([parsed.data], (_, f) => INBOX_ENV[f] ?? f);
}

/**
 * Only the slash command names (`mailroom manifest`, before the Slack app and its tokens exist).
 * Throws ConfigError like loadConfig.
 */
export function loadCommandNames(rawEnv: Env): Config['slack']['commands'] {
  const parsed = globalSchema
    .pick({ MAILROOM_COMMAND_COMPOSE: true, MAILROOM_COMMAND_ASSIGN: true, MAILROOM_COMMAND_CLOSE: true, MAILROOM_COMMAND_MAILROOM: true })
    .safeParse(clean(rawEnv));
  if (!parsed.success) throw new ConfigError(issueLines(parsed.error, (p) => String(p[0])));
  const g = parsed.data;
  return { compose: g.MAILROOM_COMMAND_COMPOSE, assign: g.MAILROOM_COMMAND_ASSIGN, close: g.MAILROOM_COMMAND_CLOSE, mailroom: g.MAILROOM_COMMAND_MAILROOM };
}

/** Only DATABASE_PATH (`mailroom backup`, which needs no Slack or mail settings). */
export function loadDatabasePath(rawEnv: Env): string {
  const parsed = globalSchema.pick({ DATABASE_PATH: true }).safeParse(clean(rawEnv));
  if (!parsed.success) throw new ConfigError(issueLines(parsed.error, (p) => String(p[0])));
  return parsed.data.DATABASE_PATH;
}
