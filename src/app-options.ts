// What a caller of buildApp may change (tests shorten waits and widen TLS; benchmarks swap the
// logger), and what start() says back.
import type { Logger } from 'pino';
import type { ParseEmail } from './mail/types.ts';

export interface AppOverrides {
  logger?: Logger;
  parse?: ParseEmail;
  /** Whether Bolt runs listeners before answering Slack (default true: see bolt-app.ts). */
  processBeforeResponse?: boolean;
  imapPollIntervalMs?: number;
  imapBackoffMs?: (attempt: number) => number;
  /** An IMAP session up this long resets the backoff (default 1 min). */
  imapHealthyAfterMs?: number;
  /** IMAP failing this long is said in the inbox's channel (default 10 min). */
  imapFailingNoteMs?: number;
  /** While an OAuth2 sign-in is refused, how often IMAP and the outbox look again (default 1 min). */
  signInRetryMs?: number;
  /** Extra TLS settings for SMTP (tests: smtp-server's self-signed STARTTLS certificate). */
  smtpTls?: { rejectUnauthorized?: boolean };
  slackRetryDelayMs?: (attempt: number) => number;
  outboxRetryDelaysMs?: readonly number[];
  /** Between two threads read back at start (default 1.2 s, Slack's pace). */
  catchUpPauseMs?: number;
  /** When the daily backup first looks whether today's exists (default 1 minute after start). */
  backupFirstDelayMs?: number;
  /** The scheduler's clock (wall and monotonic) and its pace while a backlog drains (default 1 s). */
  schedulerClock?: import('./usecases/scheduler.ts').SchedulerClock;
  schedulerPaceMs?: number;
}

export interface RunningApp {
  /** HTTP port actually listened on (HTTP mode), e.g. when PORT=0. */
  port: number | null;
}

/** `{ key: value }` when the value is set: the parts keep their own defaults otherwise. */
export const given = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
