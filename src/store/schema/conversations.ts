// The conversations' tables: the customers (contacts), the conversations, their tags and the
// tickets opened on them.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { inboxes } from './inboxes.ts';
import { now } from './now.ts';

export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Lower-cased address. */
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  createdAt: integer('created_at').notNull().default(now),
});

export const conversations = sqliteTable(
  'conversations',
  {
    /** The per-install conversation number shown to people (#42). */
    id: integer('id').primaryKey({ autoIncrement: true }),
    inboxId: integer('inbox_id')
      .notNull()
      .references(() => inboxes.id),
    contactId: integer('contact_id').references(() => contacts.id),
    subject: text('subject').notNull().default(''),
    /** open | pending | snoozed | closed */
    status: text('status').notNull().default('open'),
    /** When the status last changed (auto-close counts a wait on the customer from here). */
    statusSince: integer('status_since'),
    /** Snoozed: until when, and who snoozed it. */
    snoozedUntil: integer('snoozed_until'),
    snoozedBy: text('snoozed_by'),
    assigneeUserId: text('assignee_user_id'),
    /** Random token carried in the Message-IDs we generate for this conversation. */
    token: text('token').notNull().unique(),
    channelId: text('channel_id').notNull(),
    /** ts of the parent message; null until it has been posted. */
    slackTs: text('slack_ts'),
    /** The address the conversation was received at (From of our replies). */
    ourAddress: text('our_address').notNull(),
    /** Start of the first email's new text (plain), shown on the parent. */
    snippet: text('snippet').notNull().default(''),
    /** The teammate address that forwarded the first email, when the contact is its original sender. */
    forwardedBy: text('forwarded_by'),
    /** The teammate who started it with /compose. */
    startedByUserId: text('started_by_user_id'),
    resolution: text('resolution'),
    closedAt: integer('closed_at'),
    /** Conversation it was moved to, when moved. */
    movedToId: integer('moved_to_id'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [
    index('conversations_inbox_status').on(t.inboxId, t.status),
    index('conversations_contact').on(t.contactId),
    index('conversations_slack').on(t.channelId, t.slackTs),
  ],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** low | normal | high | urgent */
    priority: text('priority').notNull().default('normal'),
    /** open | closed */
    status: text('status').notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull().default(now),
    closedAt: integer('closed_at'),
  },
  (t) => [index('tickets_conversation').on(t.conversationId)],
);

/** Tags on conversations (normalised words, core/tags.ts); a conversation has each at most once. */
export const conversationTags = sqliteTable(
  'conversation_tags',
  {
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    tag: text('tag').notNull(),
    /** Slack user id of who added it, or `rule:<n>` for a routing rule. */
    addedBy: text('added_by'),
    addedAt: integer('added_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.tag] }), index('conversation_tags_tag').on(t.tag, t.conversationId)],
);
