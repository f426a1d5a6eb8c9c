// One mapping from an inbox's configured SMTP account to the sender's options, shared by the
// app and `mailroom doctor` so that doctor checks exactly what the app will do.
import type { SmtpSenderOptions } from './smtp-sender.ts';

export interface SmtpAccount {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  accessToken?: string | undefined;
}

export function smtpSenderOptions(smtp: SmtpAccount): Omit<SmtpSenderOptions, 'logger'> {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { user: smtp.user } : {}),
    ...(smtp.password ? { password: smtp.password } : {}),
    ...(smtp.accessToken ? { accessToken: smtp.accessToken } : {}),
  };
}
