// The emails' tables: every email of a conversation, both ways, and the raw bytes of those not yet
// fully in Slack.
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { conversations } from './conversations.ts';
import { inboxes } from './inboxes.ts';
import { now } from './now.ts';

/** Every email of a conversation, both ways, and where it sits in Slack. */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** The inbox whose mailbox received it, or that sent it. */
    inboxId: integer('inbox_id')
      .notNull()
      .references(() => inboxes.id),
    /** in | out */
    direction: text('direction').notNull(),
    /** Bare Message-ID; for mail without one, `hash:<sha256>` of the raw message. */
    messageId: text('message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    /** JSON array of bare ids, oldest first. */
    references: text('references').notNull().default('[]'),
    fromAddress: text('from_address').notNull().default(''),
    fromName: text('from_name').notNull().default(''),
    /** JSON arrays of {name,address}. */
    to: text('to').notNull().default('[]'),
    cc: text('cc').notNull().default('[]'),
    replyTo: text('reply_to').notNull().default('[]'),
    subject: text('subject').notNull().default(''),
    /** human | auto-reply | bounce | report | bulk */
    kind: text('kind').notNull().default('human'),
    /** ts of the thread message that shows this email; null until posted. */
    slackTs: text('slack_ts'),
    /**
     * pending (stored, not yet in Slack) | files (thread message posted, attachments not yet) |
     * posted | skipped (recorded, deliberately not shown)
     */
    postState: text('post_state').notNull().default('pending'),
    /** Where it came from in IMAP (inbound only). */
    imapMailbox: text('imap_mailbox'),
    imapUidValidity: text('imap_uid_validity'),
    imapUid: integer('imap_uid'),
    /** Outbound: delivery state of our email (sent | undelivered). */
    deliveryState: text('delivery_state'),
    /** A bounce: why, in sisimai's vocabulary (mail/parse/bounce-reason.ts), its status code, whether sending again may help. */
    bounceReason: text('bounce_reason'),
    bounceStatus: text('bounce_status'),
    bounceRetryable: integer('bounce_retryable', { mode: 'boolean' }),
    /** A bounce about one of our emails: that email's row. */
    bounceOf: integer('bounce_of'),
    receivedAt: integer('received_at').notNull().default(now),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [
    index('messages_message_id').on(t.messageId),
    index('messages_conversation').on(t.conversationId, t.id),
    index('messages_post_state').on(t.postState),
    uniqueIndex('messages_imap_location').on(t.inboxId, t.imapMailbox, t.imapUidValidity, t.imapUid),
  ],
);

/** Raw bytes of inbound emails not yet fully in Slack, so a restart can finish posting them. */
export const spool = sqliteTable('spool', {
  messageRowId: integer('message_row_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  raw: blob('raw', { mode: 'buffer' }).notNull(),
  live: integer('live', { mode: 'boolean' }).notNull().default(false),
});
