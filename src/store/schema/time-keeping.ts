// The time-keeping tables: the response-target clocks and the due times the scheduler picks.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { conversations } from './conversations.ts';
import { now } from './now.ts';

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
