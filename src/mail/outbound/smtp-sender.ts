// MailSender over SMTP (nodemailer). The message is composed once (compose.ts) and handed to
// nodemailer as raw bytes with an explicit envelope, so what the server gets is exactly what goes
// to the Sent folder. Failures come back as values (SendResult), never as exceptions.

import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import { SignInError } from '../auth/oauth-client.ts';
import type { AccessTokens } from '../auth/token-source.ts';
import type { composeEmail } from './compose-mime.ts';
import { classifySmtpError } from './smtp-errors.ts';
import type { MailSender, OutgoingEmail, SendResult } from './mail-sender.ts';

export interface SmtpSenderOptions {
  host: string;
  port: number;
  /** Implicit TLS from the first byte; default true on port 465, false otherwise (then STARTTLS). */
  secure?: boolean;
  /**
   * STARTTLS when not `secure`: 'required' fails rather than continue in clear, 'if-offered'
   * upgrades when the server offers it, 'never' stays in clear (local relays, tests).
   * Default 'required' when credentials are set (a password never crosses in clear), else 'if-offered'.
   */
  starttls?: 'required' | 'if-offered' | 'never';
  user?: string;
  password?: string;
  /** OAuth2 access token (XOAUTH2), used instead of the password when set. */
  accessToken?: string;
  /** OAuth2 access tokens from the inbox's token source (XOAUTH2), refreshed as needed. */
  tokens?: AccessTokens;
  /** Extra TLS settings, e.g. { rejectUnauthorized: false } for a self-signed test server. */
  tls?: { rejectUnauthorized?: boolean; servername?: string; minVersion?: 'TLSv1.2' | 'TLSv1.3' };
  /** Keep connections open between messages (default true: saves connect+EHLO+AUTH per reply). */
  pool?: boolean;
  /** Name to announce in EHLO (default: nodemailer's, the machine's host name). */
  clientName?: string;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
  logger: Logger;
}

/** The sign-in is unavailable (OAuth2): the email waits in the outbox rather than fail. */
function waiting(err: SignInError): SendResult & { ok: false } {
  return { ok: false, temporary: true, waiting: true, reason: `the mailbox sign-in failed: ${err.failure.reason}`, errorCode: err.code };
}

export function createSmtpSender(options: SmtpSenderOptions): MailSender {
  const log = options.logger.child({ host: options.host, port: options.port });
  const { tokens } = options;
  /** The token last handed to nodemailer, to say which one a server refused. */
  let lastToken: string | null = null;
  // nodemailer asks for a token at each login; renew is true when the server refused the last one.
  const provision = tokens
    ? (_user: string, renew: boolean, done: (err: Error | null, token?: string, expires?: number) => void) => {
        if (renew && lastToken) tokens.refused(lastToken);
        tokens.get().then(
          (t) => {
            lastToken = t;
            // Asked again within 30 s: the source's cache answers, and a refreshed token is picked up.
            done(null, t, Date.now() + 30_000);
          },
          (err: unknown) => done(err as Error),
        );
      }
    : undefined;
  // nodemailer loads with the first email sent, not at start.
  let made: Promise<AnyTransporter> | null = null;
  const transport = () => (made ??= createTransport(options, provision));

  /** With OAuth2, a token must be had before the SMTP conversation starts. */
  async function signedIn(): Promise<SignInError | null> {
    if (!tokens) return null;
    try {
      await tokens.get();
      return null;
    } catch (err) {
      if (err instanceof SignInError) return err;
      throw err;
    }
  }

  return {
    async send(email: OutgoingEmail): Promise<SendResult> {
      const started = performance.now();
      let composed: Awaited<ReturnType<typeof composeEmail>>;
      try {
        composed = await (await import('./compose-mime.ts')).composeEmail(email);
      } catch (err) {
        const failure = classifySmtpError(err);
        log.warn({ messageId: email.messageId, errorCode: failure.errorCode }, 'email refused before sending');
        return failure;
      }
      const unavailable = await signedIn();
      if (unavailable) {
        log.warn({ messageId: email.messageId, errorCode: unavailable.code }, 'email waits: no mailbox sign-in');
        return waiting(unavailable);
      }
      const sendMail = async () => (await transport()).sendMail({ envelope: composed.envelope, raw: composed.raw });
      try {
        let info;
        try {
          info = await sendMail();
        } catch (err) {
          // A 535 for an OAuth2 token: refresh once and try again.
          if (!tokens || !lastToken || classifySmtpError(err).errorCode !== 'smtp.auth') throw err;
          tokens.refused(lastToken);
          const again = await signedIn();
          if (again) return waiting(again);
          info = await sendMail();
        }
        const ms = Math.round(performance.now() - started);
        const accepted = info.accepted.map(addressText);
        const rejected = info.rejected.map(addressText);
        log.info({ messageId: email.messageId, recipients: accepted.length, rejected: rejected.length, ms }, 'email accepted by SMTP server');
        return { ok: true, response: info.response, raw: composed.raw, accepted, rejected };
      } catch (err) {
        // The token source failed in the middle of a login (nodemailer passes its error on).
        if (err instanceof SignInError) return waiting(err);
        const failure = classifySmtpError(err);
        log.warn(
          { messageId: email.messageId, temporary: failure.temporary, code: failure.code, errorCode: failure.errorCode, reason: failure.reason },
          'email not accepted by SMTP server',
        );
        return failure;
      }
    },

    async verify(): Promise<void> {
      const unavailable = await signedIn();
      if (unavailable) throw new AppError('smtp.verify_failed', unavailable.message, `SMTP check failed: the mailbox sign-in failed: ${unavailable.failure.reason}`);
      try {
        await (await transport()).verify();
      } catch (err) {
        const failure = classifySmtpError(err);
        throw new AppError('smtp.verify_failed', failure.reason, `SMTP check failed: ${failure.reason}`);
      }
    },

    close(): void {
      if (made) void made.then((t) => t.close());
    },
  };
}

type AnyTransporter = Transporter<SMTPTransport.SentMessageInfo> | Transporter<SMTPPool.SentMessageInfo>;

type Provision = (user: string, renew: boolean, done: (err: Error | null, token?: string, expires?: number) => void) => void;

async function createTransport(o: SmtpSenderOptions, provision: Provision | undefined): Promise<AnyTransporter> {
  const { default: nodemailer } = await import('nodemailer');
  const secure = o.secure ?? o.port === 465;
  const hasCredentials = Boolean(o.user && (o.password || o.accessToken || provision));
  const starttls = o.starttls ?? (hasCredentials ? 'required' : 'if-offered');
  const auth = !o.user
    ? undefined
    : provision
      ? { type: 'OAuth2', user: o.user, provisionCallback: provision }
      : o.accessToken
        ? { type: 'OAuth2', user: o.user, accessToken: o.accessToken }
        : { user: o.user, pass: o.password ?? '' };
  const base = {
    host: o.host,
    port: o.port,
    secure,
    requireTLS: !secure && starttls === 'required',
    ignoreTLS: !secure && starttls === 'never',
    auth,
    tls: o.tls,
    name: o.clientName,
    connectionTimeout: o.connectionTimeoutMs ?? 15_000,
    greetingTimeout: o.connectionTimeoutMs ?? 15_000,
    socketTimeout: o.socketTimeoutMs ?? 60_000,
    // nodemailer's own logging would write SMTP transcripts; we log outcomes ourselves.
    logger: false,
    debug: false,
  };
  if (o.pool ?? true) {
    return nodemailer.createTransport({ ...base, pool: true, maxConnections: 2, maxMessages: 500 } as SMTPPool.Options);
  }
  return nodemailer.createTransport(base as SMTPTransport.Options);
}

function addressText(value: unknown): string {
  if (typeof value === 'string') return value;
  const address = (value as { address?: unknown } | null)?.address;
  return typeof address === 'string' ? address : String(value);
}
