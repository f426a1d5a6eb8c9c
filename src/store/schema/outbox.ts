// The sending side's tables: the emails waiting to go out, and every recipient we sent to (the
// hourly limit per recipient).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { conversations } from './conversations.ts';
import { inboxes } from './inboxes.ts';
import { now } from './now.ts';

/** Replies, composed and forwarded emails waiting to go out. Stored before anything else. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').references(() => conversations.id),
    inboxId: integer('inbox_id')
      .notNull()
      .references(() => inboxes.id),
    /** reply | compose | forward */
    kind: text('kind').notNull(),
    /** The Slack message this email comes from (dedupe key for thread replies). */
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    slackUserId: text('slack_user_id').notNull(),
    /** scheduled | pending | sending | retry | sent | failed | cancelled | held */
    status: text('status').notNull().default('pending'),
    /** JSON: from, to, cc, bcc, subject, text, html, inReplyTo, references, files. */
    payload: text('payload').notNull(),
    /** Our Message-ID, generated and recorded before the first attempt. */
    messageId: text('message_id').notNull().unique(),
    sendAt: integer('send_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    /** Put back in the outbox after it bounced ("Send again", once): when, and by whom. */
    resentAt: integer('resent_at'),
    resentBy: text('resent_by'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('outbox_slack_message').on(t.slackChannel, t.slackTs),
    index('outbox_status_send_at').on(t.status, t.sendAt),
  ],
);

/** One row per recipient of every email we send: the per-recipient hourly limit counts these. */
export const recipientLog = sqliteTable(
  'recipient_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    address: text('address').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('recipient_log_address_at').on(t.address, t.at)],
);
