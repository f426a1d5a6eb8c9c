// The install-wide settings, from environment variables only: Slack, where to listen, the database,
// limits and pacing, logs, backups, the secret key and the slash command names.
import { z } from 'zod';
import { bool, listenPort, nonNegativeInt, positiveInt } from './scalars.ts';

export type Env = Record<string, string | undefined>;

/** The environment without its empty variables (an empty value is an unset one). */
export function clean(env: Env): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

const command = (dflt: string) =>
  z
    .string()
    .regex(/^\/[a-z0-9_-]{1,31}$/, { error: 'must be a slash command like /compose' })
    .default(dflt);

export const globalSchema = z.object({
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
