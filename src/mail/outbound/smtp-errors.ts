// What a failed send means for the outbox: try again later, or tell a person. Pure, so the
// rules can be tested without a server. SMTP says it in the reply code (RFC 5321 §4.2.1):
// 4xx is transient, 5xx permanent. Without a reply, trouble reaching or talking to the server
// is transient; our own configuration or input being wrong is not, it needs a person.

import { errorCode } from '../../errors.ts';

export interface SendFailure {
  ok: false;
  temporary: boolean;
  code?: number;
  reason: string;
  errorCode: string;
}

const CONFIG_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS']);
const INPUT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS', 'EOTP']);
const CONNECTION_HINTS: Record<string, string> = {
  ECONNREFUSED: 'the SMTP server refused the connection',
  ECONNRESET: 'the SMTP server closed the connection',
  ENOTFOUND: 'the SMTP server name could not be resolved',
  EAI_AGAIN: 'the SMTP server name could not be resolved',
  EHOSTUNREACH: 'the SMTP server could not be reached',
  ENETUNREACH: 'the SMTP server could not be reached',
  ETIMEDOUT: 'the SMTP server did not answer in time',
};

interface NodemailerLikeError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
  errno?: unknown;
}

/** Turns whatever nodemailer (or the network) threw into a SendFailure. */
export function classifySmtpError(err: unknown): SendFailure {
  const e = (err ?? {}) as NodemailerLikeError;
  const nmCode = typeof e.code === 'string' ? e.code : undefined;
  const replyCode = typeof e.responseCode === 'number' && e.responseCode >= 200 && e.responseCode < 600 ? e.responseCode : undefined;
  const response = typeof e.response === 'string' ? e.response : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);

  if (replyCode !== undefined && nmCode !== 'EAUTH') {
    return {
      ok: false,
      temporary: replyCode < 500,
      code: replyCode,
      reason: safeReason(response ?? message),
      errorCode: replyCode < 500 ? 'smtp.deferred' : 'smtp.rejected',
    };
  }
  if (nmCode && CONFIG_CODES.has(nmCode)) {
    const why = nmCode === 'EAUTH' ? 'SMTP login failed' : 'SMTP configuration problem';
    return { ok: false, temporary: false, code: replyCode, reason: safeReason(`${why}: ${response ?? message}`), errorCode: 'smtp.auth' };
  }
  if (nmCode && INPUT_CODES.has(nmCode)) {
    return { ok: false, temporary: false, reason: safeReason(message), errorCode: 'smtp.bad_message' };
  }
  const appCode = errorCode(err);
  if (appCode && !nmCode?.startsWith('E')) {
    // Our own AppErrors (bad header, bad address) arrive here too: not worth retrying.
    return { ok: false, temporary: false, reason: safeReason(message), errorCode: appCode };
  }
  const errno = typeof e.errno === 'string' ? e.errno : undefined;
  const hint = CONNECTION_HINTS[errno ?? ''] ?? CONNECTION_HINTS[/\b(E[A-Z_]+)\b/.exec(message)?.[1] ?? ''];
  return {
    ok: false,
    temporary: true,
    reason: safeReason(hint ? `Could not send: ${hint} (${message})` : `Could not send: ${message}`),
    errorCode: 'smtp.connection',
  };
}

/** One line of printable text, at most 500 characters: fit for a Slack message and a log line. */
export function safeReason(text: string): string {
  const line = text.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
