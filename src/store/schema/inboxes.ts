// The inboxes' tables: each configured inbox, where its IMAP reading has got to, and the refresh
// token it signs in with.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { now } from './now.ts';

/** One row per configured inbox; `key` is stable across restarts (derived from the config). */
export const inboxes = sqliteTable('inboxes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  channelId: text('channel_id').notNull(),
  address: text('address').notNull(),
  /** Round-robin cursor for automatic assignment: the last user assigned. */
  lastAssignedUserId: text('last_assigned_user_id'),
  createdAt: integer('created_at').notNull().default(now),
});

/** Where each inbox's IMAP reading has got to: exactly-once relies on this. */
export const imapSync = sqliteTable(
  'imap_sync',
  {
    inboxId: integer('inbox_id')
      .notNull()
      .references(() => inboxes.id),
    mailbox: text('mailbox').notNull(),
    uidValidity: text('uid_validity').notNull(),
    lastUid: integer('last_uid').notNull(),
    /** Mail received before this (first start, minus any backfill) is never posted. */
    startedAt: integer('started_at').notNull(),
    /**
     * A date-filtered pass (a backfill's first pass, or the rescan after a UIDVALIDITY change) is
     * under way: the UID mark stays put until it completes, so a pass cut short starts again.
     */
    rescanPending: integer('rescan_pending', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.mailbox] })],
);

/**
 * The refresh token an inbox signs in with (OAuth2), kept so that a rotated token survives a
 * restart. `configuredHash` is a SHA-256 of the refresh token in the configuration when this row
 * was written: a different one configured later is an admin's new consent and replaces the row.
 * The token is encrypted (AES-256-GCM) when MAILROOM_SECRET_KEY is set.
 */
export const oauthTokens = sqliteTable('oauth_tokens', {
  inboxKey: text('inbox_key').primaryKey(),
  refreshToken: text('refresh_token').notNull(),
  configuredHash: text('configured_hash'),
  /** Where it came from: 'config', 'rotated' (the provider sent a new one), 'auth' (mailroom auth). */
  source: text('source').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
