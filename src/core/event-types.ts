// The event log's vocabulary. Use cases write exactly these types (events.type); stats and the
// audit trail read them. Who did it is `actorUserId` (null for the system or a customer); the
// `data` fields listed are the ones readers rely on.

export const EVENT_TYPES = [
  /** A conversation began. data.origin: 'email' (a customer wrote; the default when absent),
   *  'compose' (a teammate started it), 'move' (the continuation of a moved conversation). */
  'conversation.created',
  /** A human email from the customer was added to a conversation (the first one included). */
  'email.received',
  /** An email of ours was accepted by the SMTP server: thread reply, reply modal, compose.
   *  data.kind: 'reply' | 'compose'. */
  'reply.sent',
  /** data.assigneeUserId (null when unassigned), data.automatic: boolean. */
  'conversation.assigned',
  /** data.resolution, data.ticketClosed: boolean. */
  'conversation.closed',
  /** data.reason: 'manual' | 'customer-wrote'. */
  'conversation.reopened',
  /** data.ticketId, data.priority. */
  'ticket.created',
  /** data.ticketId. */
  'ticket.closed',
  /** On the old conversation: data.toConversationId, data.toInboxId. */
  'conversation.moved',
  /** data.to: string[]. */
  'email.forwarded',
  /** Noise not shown (auto-reply, bulk… outside any conversation). data.kind. */
  'email.ignored',
  /** data.reason (the server's words), data.permanent: boolean. */
  'reply.failed',
  /** A bounce about one of our emails. data.recipients, data.status, data.reason (sisimai's
   *  vocabulary), data.retryable, data.delayed (only a warning: still being tried). */
  'email.bounced',
  /** A teammate used "Send again" on a bounce: the same email is back in the outbox (once).
   *  data.outboxId, data.bounceMessageRowId, data.reason. */
  'reply.resent',
  /** Tags changed. data.added, data.removed (tags), data.rule (the routing rule that did it, if one did). */
  'conversation.tagged',
  /** Routing rules acted on a new conversation. data.rules (names), data.fromInboxId (where the
   *  email came in; another inbox when a rule moved it), data.notApplied (actions this version can't do). */
  'conversation.routed',
  /** An email that could not be stored after several attempts was skipped. data.uid, data.mailbox, data.error. */
  'email.unreadable',
  /** The response target is near: data.clockId, data.dueAt. */
  'sla.warned',
  /** The response target passed without a reply: data.clockId, data.dueAt, data.kind ('first' | 'next'). */
  'sla.breached',
  /** A teammate snoozed it: data.until. */
  'conversation.snoozed',
  /** Back from snooze: data.reason 'time' | 'customer-wrote' | 'manual'. */
  'conversation.woke',
  /** A teammate set it to wait on the customer (pending) without replying. */
  'conversation.waiting',
  /** "Remind me if there's no answer": data.dueAt, data.timerId; fired: data.timerId. */
  'reminder.set',
  'reminder.fired',
  /** An email to go out at a time: data.outboxId, data.sendAt; cancelled: data.outboxId, data.how ('button' | 'deleted'). */
  'email.scheduled',
  'email.schedule_cancelled',
  /** A scheduled email went to the outbox: data.outboxId, data.late (its time passed while Mailroom was stopped). */
  'email.released',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** One row of the event log as the pure readers take it (times in ms). */
export interface EventRow {
  at: number;
  type: EventType | string;
  conversationId: number | null;
  actorUserId: string | null;
  /** The stored JSON text, or already parsed. */
  data?: Record<string, unknown> | string | null;
}

/** `data` as an object, whatever form it came in; {} for anything unreadable. */
export function eventData(row: Pick<EventRow, 'data'>): Record<string, unknown> {
  const d = row.data;
  if (!d) return {};
  if (typeof d === 'object') return d;
  try {
    const parsed: unknown = JSON.parse(d);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
