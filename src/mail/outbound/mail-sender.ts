// What the outbox hands to the mail side, and what comes back.
import type { Address } from '../../core/types.ts';

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  from: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  text: string;
  html: string;
  /** Bare Message-ID (no angle brackets), generated and stored before the first attempt. */
  messageId: string;
  /** Bare id of the message answered. */
  inReplyTo?: string | null;
  /** Bare ids, oldest first. */
  references?: string[];
  attachments: OutgoingAttachment[];
  /** Date header; the time of composing when omitted. Keep it fixed across retries. */
  date?: Date;
}

export type SendResult =
  | {
      ok: true;
      /** The server's final answer to DATA, e.g. "250 2.0.0 Ok: queued as 1234". */
      response: string;
      /** The exact bytes sent (also what goes to the Sent folder). */
      raw: Buffer;
      /** Recipients the server accepted / refused (a partly refused send still counts as sent). */
      accepted: string[];
      rejected: string[];
    }
  | {
      ok: false;
      /** 4xx answers and connection trouble: try again later. 5xx and bad input: don't. */
      temporary: boolean;
      /** SMTP reply code when the server gave one. */
      code?: number;
      /** The server's text or what went wrong, safe to show in Slack (no secrets). */
      reason: string;
      /** Stable error code, e.g. 'smtp.rejected', 'smtp.connection', 'email.header_injection'. */
      errorCode: string;
      /** Nothing is wrong with the email: the mailbox sign-in is unavailable, so it waits in the outbox. */
      waiting?: boolean;
    };

export interface MailSender {
  send(email: OutgoingEmail): Promise<SendResult>;
  /** Connects and logs in; throws an AppError ('smtp.verify_failed') saying why when it can't. */
  verify(): Promise<void>;
  close(): void;
}
