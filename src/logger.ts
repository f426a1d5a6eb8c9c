// One pino root per process; parts take child loggers. Secrets and bodies never reach a log:
// the redact list covers the fields where they could appear by accident. Pino redacts before it
// writes, so the readable format (pino-pretty) only ever sees what JSON would have shown.
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { LogFormat } from './config/load.ts';

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

export interface LoggerOptions {
  level: string;
  /** `pretty`: one readable line per entry. Default: JSON, one object per line. */
  format?: LogFormat;
  /** Where lines go (default: stderr). */
  destination?: NodeJS.WritableStream;
  /** Colours in pretty lines (default: when the destination is a terminal). */
  colors?: boolean;
}

/** LOG_FORMAT unset: readable lines when the log goes to a terminal, JSON otherwise. */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stderr): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

export function createLogger(o: LoggerOptions): Logger {
  const options = { level: o.level, base: { app: 'mailroom' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (o.format === 'pretty') return pino(options, prettyStream(o));
  return pino(options, o.destination ?? pino.destination({ fd: 2, sync: false }));
}

function prettyStream(o: LoggerOptions): NodeJS.WritableStream {
  // Loaded only when asked for: a JSON log (every server) never pays for the formatter.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const destination = o.destination ?? process.stderr;
  return pretty({
    destination,
    colorize: o.colors ?? !!(destination as { isTTY?: boolean }).isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    // "[imap support] IDLE", then the entry's other fields on the same line.
    messageFormat: (log, key) => {
      const where = [log.part, log.inbox].filter((v) => typeof v === 'string' && v).join(' ');
      return `${where ? `[${where}] ` : ''}${String(log[key] ?? '')}`;
    },
    ignore: 'pid,hostname,app,part,inbox',
    singleLine: true,
  });
}

/** A logger that drops everything (tests, `inspect`). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
