// The whole email for a reply typed in a conversation's Slack thread, from plain data: who it
// goes to (reply-all), how it threads, its subject, who it is from and its two bodies. Pure; the
// outbox worker stores the result and hands it to a MailSender.

import { displayName } from '../../core/addresses.ts';
import { newMessageId } from '../../core/message-id.ts';
import { mrkdwnToEmail } from '../../core/mrkdwn-to-email.ts';
import { appendSignature } from '../../core/signature.ts';
import { replyHeaders, replyRecipients } from '../../core/reply-headers.ts';
import { replySubject } from '../../core/subject.ts';
import { AppError } from '../../errors.ts';
import type { Address } from '../../core/types.ts';
import type { OutgoingAttachment, OutgoingEmail } from './mail-sender.ts';

export interface ReplyParent {
  messageId: string | null;
  references: readonly string[];
  inReplyTo: string | null;
  from: Address | null;
  replyTo: readonly Address[];
  to: readonly Address[];
  cc: readonly Address[];
  subject: string;
}

export interface BuildReplyInput {
  /** The address the conversation came in on (the From of the reply). */
  fromAddress: string;
  /** Every address of the inbox (address and aliases): never recipients. */
  ourAddresses: readonly string[];
  inboxName: string;
  /** Display name of the teammate who answered. */
  authorName: string;
  /** The message answered: the customer's latest email (or our own, when nothing came back yet). */
  parent: ReplyParent;
  /** The Slack message text (mrkdwn). */
  text: string;
  /** Slack user id → display name, for mentions in the text. */
  users: Readonly<Record<string, string>>;
  /** The conversation's token, carried in our Message-ID. */
  token: string;
  attachments?: OutgoingAttachment[];
  /** Extra people (e.g. from the reply modal), added after reply-all. */
  extraTo?: readonly Address[];
  extraCc?: readonly Address[];
  bcc?: readonly Address[];
  date?: Date;
  /** Fixed Message-ID (tests, or a retry that must keep its id); generated when omitted. */
  messageId?: string;
  /** Slack mrkdwn put after the body as its signature (core/signature.ts), or none. */
  signature?: string | null;
}

export function buildReplyEmail(input: BuildReplyInput): OutgoingEmail {
  const domain = input.fromAddress.slice(input.fromAddress.lastIndexOf('@') + 1);
  const replyAll = replyRecipients({
    lastInbound: { from: input.parent.from, replyTo: input.parent.replyTo, to: input.parent.to, cc: input.parent.cc },
    ourAddresses: input.ourAddresses,
  });
  // Extra people join their list; the same filtering (ours, invalid, duplicates) applies to them.
  const recipients = replyRecipients({
    lastInbound: { from: null, replyTo: [...replyAll.to, ...(input.extraTo ?? [])], to: [], cc: [...replyAll.cc, ...(input.extraCc ?? [])] },
    ourAddresses: input.ourAddresses,
  });
  if (recipients.to.length === 0) {
    throw new AppError('reply.no_recipients', 'No recipient left after removing our own addresses', 'There is nobody to send this reply to.');
  }
  const threading = replyHeaders(input.parent);
  const body = appendSignature(
    mrkdwnToEmail(input.text, { users: input.users }),
    input.signature ? mrkdwnToEmail(input.signature, { users: input.users, fragment: true }) : null,
  );
  return {
    from: { name: displayName(input.authorName, input.inboxName), address: input.fromAddress },
    to: recipients.to,
    cc: recipients.cc,
    bcc: [...(input.bcc ?? [])],
    subject: replySubject(input.parent.subject),
    text: body.text,
    html: body.html,
    messageId: input.messageId ?? newMessageId({ token: input.token, domain }),
    inReplyTo: threading.inReplyTo,
    references: threading.references,
    attachments: input.attachments ?? [],
    date: input.date,
  };
}
