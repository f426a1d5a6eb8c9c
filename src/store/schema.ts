// The whole schema in one file. Migrations are generated from it by drizzle-kit (npm run
// db:generate) and are append-only. Times are integer milliseconds since the epoch.
import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

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

/**
 * Response-target clocks (SLA): one per customer email that needed an answer, the open one (no
 * `endedAt`) running or paused. Times are ms; business time is counted in the inbox's hours.
 */
export const slaClocks = sqliteTable(
  'sla_clocks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    inboxId: integer('inbox_id').notNull(),
    /** first | next */
    kind: text('kind').notNull(),
    targetMs: integer('target_ms').notNull(),
    startedAt: integer('started_at').notNull(),
    /** Business time counted before `runningSince`. */
    usedMs: integer('used_ms').notNull().default(0),
    /** null: paused (snoozed, waiting on the customer). */
    runningSince: integer('running_since'),
    dueAt: integer('due_at'),
    breachedAt: integer('breached_at'),
    endedAt: integer('ended_at'),
    /** met | breached | dropped */
    outcome: text('outcome'),
    /** Business time past the target when it ended. */
    overMs: integer('over_ms'),
    /** Whose reply ended it; the assignee when it ended otherwise. */
    answeredBy: text('answered_by'),
    assigneeUserId: text('assignee_user_id'),
  },
  (t) => [index('sla_clocks_conversation').on(t.conversationId, t.endedAt), index('sla_clocks_ended').on(t.endedAt)],
);

/**
 * Every due time Mailroom keeps, picked by one timer loop (usecases/scheduler.ts): SLA warnings,
 * breaches and redraws, snooze wake-ups, auto-close, reminders, scheduled sends. `waiting` →
 * `firing` (claimed, its change stored, `eventId` the event its note shows) → `done`; or
 * `cancelled`. One row per (kind, conversation, ref) where a ref is given.
 */
export const timers = sqliteTable(
  'timers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    conversationId: integer('conversation_id'),
    /** The clock (SLA), the outbox row (send), 0 for a conversation's one snooze or auto-close; null for reminders. */
    refId: integer('ref_id'),
    dueAt: integer('due_at').notNull(),
    status: text('status').notNull().default('waiting'),
    eventId: integer('event_id'),
    /** Who set it (reminders, snoozes). */
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull().default(now),
    firedAt: integer('fired_at'),
  },
  (t) => [
    uniqueIndex('timers_key').on(t.kind, t.conversationId, t.refId),
    index('timers_status_due').on(t.status, t.dueAt),
    index('timers_conversation').on(t.conversationId, t.status),
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

/** Slack event ids already handled (Slack redelivers on slow or failed acks). */
export const slackEvents = sqliteTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: integer('received_at').notNull().default(now),
});

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
