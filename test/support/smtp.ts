/**
 * An in-process SMTP server (smtp-server) on 127.0.0.1 that records what it receives, for tests of
 * outbound mail. Plain SMTP by default: nodemailer must use `secure: false, ignoreTLS: true`.
 */
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { waitFor } from './wait.ts';

export interface ReceivedMessage {
  /** The message exactly as received after DATA. */
  raw: Buffer;
  /** Envelope MAIL FROM address ('' for a null sender). */
  from: string;
  /** Envelope RCPT TO addresses. */
  to: string[];
  /** The AUTH user, if the client authenticated. */
  user?: string;
  /** mailparser's view of `raw`, for convenience in assertions. */
  parsed: ParsedMail;
  receivedAt: Date;
}

/** Where an injected failure answers: MAIL FROM, each RCPT TO, or the end of DATA. */
export type SmtpStage = 'mail' | 'rcpt' | 'data';

export interface SmtpRejection {
  stage: SmtpStage;
  code: number;
  message: string;
  at: Date;
}

export interface StartSmtpServerOptions {
  /** Require AUTH (PLAIN/LOGIN) with exactly this user and password. Without it AUTH is not offered. */
  auth?: { user: string; password: string };
  /** Require AUTH XOAUTH2 (only), with a token this accepts for the user (e.g. a fake provider's live tokens). */
  oauth?: { check(user: string, accessToken: string): boolean };
  /** Offer STARTTLS with smtp-server's bundled self-signed certificate (client: tls.rejectUnauthorized false). */
  starttls?: boolean;
  /** Reject messages larger than this (advertised as SIZE). */
  maxSize?: number;
  /**
   * Runs on each accepted message before the client hears 250, as Gmail and Microsoft 365 file
   * what they accept in the sender's Sent folder (a test passes a Dovecot APPEND).
   */
  onAccepted?: (raw: Buffer) => Promise<unknown>;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  /** Every message accepted so far, in order. */
  readonly messages: ReceivedMessage[];
  /** Every failure answered so far (injected failures and bad AUTH). */
  readonly rejections: SmtpRejection[];
  /** Number of TCP connections accepted so far. */
  readonly connectionCount: number;
  /** Answers the next `n` attempts at `stage` (default 'data') with `code message`, e.g. 451 or 550. */
  failNext(n: number, code: number, message?: string, stage?: SmtpStage): void;
  /** Closes the listener and drops open connections; connecting now fails with ECONNREFUSED. */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port after refuseConnections(). */
  acceptConnections(): Promise<void>;
  /** Resolves with the messages once at least `count` have arrived; rejects after timeoutMs. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Forgets recorded messages and rejections. */
  clear(): void;
  /** Stops the server for good. */
  stop(): Promise<void>;
}

interface PendingFailure {
  stage: SmtpStage;
  remaining: number;
  code: number;
  message: string;
}

function smtpError(code: number, message: string): Error {
  const err = new Error(message) as Error & { responseCode: number };
  err.responseCode = code;
  return err;
}

/** Starts a recording SMTP server on 127.0.0.1 with an ephemeral port. */
export async function startSmtpServer(opts: StartSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const host = '127.0.0.1';
  const messages: ReceivedMessage[] = [];
  const rejections: SmtpRejection[] = [];
  const failures: PendingFailure[] = [];
  let connectionCount = 0;
  let port = 0;
  let server: SMTPServer | undefined;

  // Returns an error if an injected failure is due at this stage, consuming one use of it.
  function takeFailure(stage: SmtpStage): Error | undefined {
    const failure = failures.find((f) => f.stage === stage && f.remaining > 0);
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining === 0) failures.splice(failures.indexOf(failure), 1);
    rejections.push({ stage, code: failure.code, message: failure.message, at: new Date() });
    return smtpError(failure.code, failure.message);
  }

  function options(): SMTPServerOptions {
    const disabled = [];
    if (!opts.starttls) disabled.push('STARTTLS');
    if (!opts.auth && !opts.oauth) disabled.push('AUTH');
    return {
      secure: false,
      logger: false,
      banner: 'mailroom test SMTP',
      disabledCommands: disabled,
      allowInsecureAuth: true,
      authOptional: !opts.auth && !opts.oauth,
      authMethods: opts.oauth ? ['XOAUTH2'] : ['PLAIN', 'LOGIN'],
      size: opts.maxSize,
      closeTimeout: 100,
      onConnect(_session, callback) {
        connectionCount += 1;
        callback();
      },
      onAuth(auth, _session, callback) {
        if (opts.oauth && auth.method === 'XOAUTH2') {
          if (auth.accessToken && opts.oauth.check(auth.username ?? '', auth.accessToken)) callback(null, { user: auth.username });
          else {
            rejections.push({ stage: 'mail', code: 535, message: 'XOAUTH2 token refused', at: new Date() });
            // The XOAUTH2 challenge (a 334 with an error), as Gmail and Exchange answer an expired token.
            callback(null, { data: { status: '401', schemes: 'bearer' } });
          }
          return;
        }
        if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) {
          callback(null, { user: auth.username });
          return;
        }
        rejections.push({ stage: 'mail', code: 535, message: 'Authentication failed', at: new Date() });
        callback(smtpError(535, 'Authentication failed'));
      },
      onMailFrom(_address, _session, callback) {
        callback(takeFailure('mail') ?? null);
      },
      onRcptTo(_address, _session, callback) {
        callback(takeFailure('rcpt') ?? null);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            callback(smtpError(552, 'Message exceeds fixed maximum message size'));
            return;
          }
          const failure = takeFailure('data');
          if (failure) {
            callback(failure);
            return;
          }
          const raw = Buffer.concat(chunks);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const to = session.envelope.rcptTo.map((r) => r.address);
          const user = typeof session.user === 'string' ? session.user : undefined;
          simpleParser(raw).then(
            (parsed) => {
              messages.push({ raw, from, to, user, parsed, receivedAt: new Date() });
              if (!opts.onAccepted) return callback(null);
              opts.onAccepted(raw).then(
                () => callback(null),
                (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
              );
            },
            (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
          );
        });
      },
    };
  }

  async function listen(): Promise<void> {
    const next = new SMTPServer(options());
    next.on('error', () => {
      // Client resets and the like; the test sees their effect on the client side.
    });
    await new Promise<void>((resolve, reject) => {
      next.server.once('error', reject);
      next.listen(port, host, () => {
        next.server.off('error', reject);
        resolve();
      });
    });
    const address = next.server.address();
    if (typeof address === 'object' && address) port = address.port;
    server = next;
  }

  async function close(): Promise<void> {
    const current = server;
    server = undefined;
    if (!current) return;
    // Drop live sessions now rather than after a grace period, as a crashed server would.
    const connections = (current as unknown as { connections: Set<{ close(): void }> }).connections;
    await new Promise<void>((resolve) => {
      current.close(() => resolve());
      for (const connection of connections) connection.close();
    });
  }

  await listen();

  return {
    host,
    get port() {
      return port;
    },
    messages,
    rejections,
    get connectionCount() {
      return connectionCount;
    },
    failNext(n, code, message = code >= 500 ? 'Rejected by test' : 'Try again later (test)', stage = 'data') {
      failures.push({ stage, remaining: n, code, message });
    },
    refuseConnections: close,
    async acceptConnections() {
      if (!server) await listen();
    },
    async waitForMessages(count, timeoutMs = 5000) {
      await waitFor(() => messages.length >= count, {
        timeoutMs,
        description: () => `${count} SMTP message(s) (have ${messages.length})`,
      });
      return [...messages];
    },
    clear() {
      messages.length = 0;
      rejections.length = 0;
      failures.length = 0;
    },
    stop: close,
  };
}
