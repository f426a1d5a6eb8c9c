// Configuration from the environment (one inbox) or from the YAML file named by MAILROOM_CONFIG
// (several inboxes). Every problem is reported as one line naming the variable or the YAML path.
import { readFileSync } from 'node:fs';
import { ConfigError, issueLines, yamlPath } from './config-error.ts';
import { clean, globalSchema, type Env } from './global-env.ts';
import { INBOX_ENV, inboxFromEnv } from './inbox-env.ts';
import { checkInboxes } from './inbox-list.ts';
import { inboxSchema, type InboxSettings } from './schema.ts';
import { inboxesFromFile } from './yaml-file.ts';

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
