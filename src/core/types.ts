// Domain records as the rest of the app sees them (the store maps rows to these), and the
// words the whole app speaks about email: an address, the kind of an email, why a bounce happened.
import type { BounceReason } from './bounce-words.ts';
import type { ConversationStatus } from './conversation-status.ts';

export type { ConversationStatus, BounceReason };

export interface Address {
  name: string;
  address: string;
}

export type EmailKind = 'human' | 'auto-reply' | 'bounce' | 'report' | 'bulk';

export interface Inbox {
  id: number;
  key: string;
  name: string;
  channelId: string;
  address: string;
}

export interface Contact {
  id: number;
  email: string;
  name: string;
}

export interface Conversation {
  id: number;
  inboxId: number;
  contactId: number | null;
  subject: string;
  status: ConversationStatus;
  /** When the status last changed (null for rows older than the column). */
  statusSince: number | null;
  snoozedUntil: number | null;
  snoozedBy: string | null;
  assigneeUserId: string | null;
  token: string;
  channelId: string;
  slackTs: string | null;
  ourAddress: string;
  snippet: string;
  forwardedBy: string | null;
  startedByUserId: string | null;
  resolution: string | null;
  closedAt: number | null;
  movedToId: number | null;
  createdAt: number;
  updatedAt: number;
}

export type PostState = 'pending' | 'files' | 'posted' | 'skipped';

export interface StoredMessage {
  id: number;
  conversationId: number;
  inboxId: number;
  direction: 'in' | 'out';
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: Address;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  subject: string;
  kind: EmailKind;
  slackTs: string | null;
  postState: PostState;
  deliveryState: string | null;
  /** A bounce's reading, kept with it (null for other mail). */
  bounce: StoredBounce | null;
  receivedAt: number;
}

/** What Mailroom read in a bounce, as stored with it. */
export interface StoredBounce {
  reason: BounceReason;
  status: string | null;
  retryable: boolean;
  /** The row of our own email it is about, when it is about one. */
  of: number | null;
}

export interface ImapLocation {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

/** A file a teammate shared with a reply in Slack: downloaded when the email is built. */
export interface SharedFile {
  id: string;
  name: string;
  mimetype: string;
  size: number;
  url: string;
}
