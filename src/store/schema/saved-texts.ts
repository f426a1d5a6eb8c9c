// The texts teammates save from Slack: an inbox's templates and the signatures appended to emails.
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { inboxes } from './inboxes.ts';
import { now } from './now.ts';

export const templates = sqliteTable(
  'templates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inboxId: integer('inbox_id')
      .notNull()
      .references(() => inboxes.id),
    name: text('name').notNull(),
    body: text('body').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('templates_inbox_name').on(t.inboxId, t.name)],
);

/**
 * Signatures appended to emails: a teammate's (`scope` 'user', `owner` their Slack id) and an
 * inbox's set by a member (`scope` 'inbox', `owner` the inbox key; it overrides the YAML's). The
 * text is Slack mrkdwn as Slack stores it (only & < > escaped), with {{teammate_name}} and
 * {{inbox_name}} filled in when an email is built.
 */
export const signatures = sqliteTable(
  'signatures',
  {
    scope: text('scope').notNull(),
    owner: text('owner').notNull(),
    body: text('body').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.scope, t.owner] })],
);
