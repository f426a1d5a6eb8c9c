// The install's own bookkeeping: Slack events already handled, the log of what happened, small
// settings, and the lease that lets one Mailroom write.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { now } from './now.ts';

/** Slack event ids already handled (Slack redelivers on slow or failed acks). */
export const slackEvents = sqliteTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: integer('received_at').notNull().default(now),
});

/** Append-only log of what happened, for analytics and audit. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull().default(now),
    type: text('type').notNull(),
    inboxId: integer('inbox_id'),
    conversationId: integer('conversation_id'),
    /** Slack user id of who did it, or null for the system / a customer. */
    actorUserId: text('actor_user_id'),
    /** JSON with the details. */
    data: text('data').notNull().default('{}'),
  },
  (t) => [index('events_at').on(t.at), index('events_conversation').on(t.conversationId)],
);

/** Small facts about this install, by key (e.g. its random id). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Who may write: one Mailroom per database. The holder renews its row every few seconds; another
 * process waits until it expires (or is released at a clean stop). `epoch` grows with every new
 * holder, and each posting, sending and IMAP-mark write checks it in the same transaction.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  epoch: integer('epoch').notNull(),
  heartbeatAt: integer('heartbeat_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
