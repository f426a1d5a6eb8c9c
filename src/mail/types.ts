// The domain's view of an email. Only src/mail/parse knows mailparser; everything else uses these.
// Message-IDs are always bare (no angle brackets, trimmed), as found in the header.
import type { Address, BounceReason, EmailKind } from '../core/types.ts';
import type { RawEmail } from './raw.ts';

export interface BounceInfo {
  permanent: boolean;
  /** Enhanced status code such as "5.1.1", or null when none could be found. */
  status: string | null;
  recipients: string[];
  /** Message-ID (bare) of the returned original, when it could be found. */
  originalMessageId: string | null;
  /** Why, in sisimai's vocabulary (parse/bounce-reason.ts). */
  reason: BounceReason;
  /** Sending the same email again later may get it delivered (a full mailbox, a server down…). */
  retryable: boolean;
  /** The remote server's own line (e.g. "550 5.1.1 <a@b>: Recipient address rejected: User unknown"). */
  diagnostic: string | null;
  /** Only a warning: the message is still queued at the sending side and being retried. */
  delayed: boolean;
}

export interface ForwardInfo {
  /** The original sender; `address` is '' when the forward header named no address. */
  from: Address;
  subject: string;
  /** The date as written in the forward header (its format is the client's). */
  date: string | null;
  to: Address[];
  cc: Address[];
  /** The forwarded message's own text (below its header block), when it could be separated. */
  body?: string;
}

export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId: string | null;
  /**
   * The bytes, when the attachment is small enough to keep in memory (up to 1 MB); null for a
   * bigger one, which is streamed out of the raw email when it is needed (parse/mime.ts openAttachment).
   */
  content: Buffer | null;
}

export interface InboundEmail {
  messageId: string | null;
  inReplyTo: string | null;
  /** Oldest first, as in the header. */
  references: string[];
  from: Address | null;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  subject: string;
  /** Subject with Re:/Fwd:/AW:/[EXT]-style prefixes removed. */
  baseSubject: string;
  date: Date | null;
  kind: EmailKind;
  bounce: BounceInfo | null;
  forwarded: ForwardInfo | null;
  /** The whole plain-text body (from text/plain, or converted from HTML). */
  text: string;
  /** Only what the writer added: quoted history and signature removed. */
  reply: string;
  /** Slack-safe mrkdwn of `text` (escaped, mentions neutralised, HTML formatting kept). */
  textMrkdwn: string;
  /** Slack-safe mrkdwn of `reply`. */
  replyMrkdwn: string;
  /** The HTML body as received, if any (never posted as-is). */
  html: string | null;
  attachments: InboundAttachment[];
  /** Size of the raw message in bytes. */
  size: number;
  /** Notes on what could not be read (bad date, broken MIME…), for logs and `inspect`. */
  problems: string[];
}

/** Reads an email (parse/parse-email.ts); never throws. */
export type ParseEmail = (raw: Buffer | RawEmail) => Promise<InboundEmail>;
