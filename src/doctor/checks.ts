// What every doctor check is made of: its result, its time limit, and what it is given.
import type { Logger } from 'pino';
import type { Config } from '../config/load.ts';
import type { SmtpSenderOptions } from '../mail/outbound/smtp-sender.ts';
import type { TokenSource } from '../mail/auth/token-source.ts';
import type { ImapObservations } from '../store/imap-observations.ts';

export interface DoctorCheck {
  name: string;
  /** False fails the run. */
  ok: boolean;
  /** Passes, with something worth knowing (e.g. no IDLE: polling is used). */
  warning: boolean;
  /** What was found, or exactly what is wrong and how to fix it. Never a secret. */
  detail: string;
}

export const pass = (name: string, detail: string): DoctorCheck => ({ name, ok: true, warning: false, detail });
export const warn = (name: string, detail: string): DoctorCheck => ({ name, ok: true, warning: true, detail });
export const fail = (name: string, detail: string): DoctorCheck => ({ name, ok: false, warning: false, detail });

export class CheckTimeout extends Error {
  readonly code = 'doctor.timeout';
  constructor(readonly ms: number) {
    super(`no answer within ${seconds(ms)}`);
  }
}

export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

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

/** How to name a setting in a hint: the environment variable, or the YAML path. */
export type SettingName = (inbox: number, path: string) => string;


export interface CheckContext {
  config: Config;
  timeoutMs: number;
  logger: Logger;
  name: SettingName;
  smtpTls: SmtpSenderOptions['tls'];
  /** The OAuth2 token source of inbox `i` (null: it signs in with a password or a static token). */
  tokens: (i: number) => TokenSource | null;
  /** What the running app has seen of inbox `i`'s IMAP server (null: no database yet). */
  observed: (i: number) => ImapObservations | null;
}
