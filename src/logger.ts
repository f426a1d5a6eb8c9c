// One pino root per process; parts take child loggers. Secrets and bodies never reach a log:
// the redact list covers the fields where they could appear by accident.
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'password',
  'accessToken',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'refreshToken',
  'secretKey',
  '*.clientSecret',
  '*.refreshToken',
  '*.refresh_token',
  '*.access_token',
  '*.password',
  '*.accessToken',
  '*.token',
  '*.pass',
  'auth',
  '*.auth',
  'headers.authorization',
  'text',
  'html',
  'body',
  'raw',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { app: 'mailroom' }, redact: { paths: REDACT, censor: '[redacted]' } },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything (tests, `inspect`). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
