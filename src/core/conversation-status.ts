// A conversation's status and how it moves. Pure: the use cases call `transition` and store the
// result.
//
//   open     — the customer is waiting on us (new, or the customer wrote last).
//   pending  — we replied and are waiting on the customer (the usual helpdesk meaning). It still
//              counts as active: it is in the backlog and in "mine", and it goes back to open as
//              soon as the customer writes.
//   snoozed  — put away by a teammate until a time (`snoozedUntil`): it is open again at that
//              time, or at once when the customer writes. Active, but not in the open backlog.
//   closed   — nothing left to do. Only a person (Reopen) or the customer writing again reopens it.
//
// "Waiting on the customer" is pending: after our reply, or set by hand (`/mailroom wait`).
//
// Things that never change the status: internal notes, assignment, auto-replies and bounces
// (PRODUCT: noise never triggers anything automatic), forwarding, tickets.

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const RESOLUTIONS = ['resolved', 'no-reply-needed', 'spam', 'duplicate'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  resolved: 'Resolved',
  'no-reply-needed': 'No reply needed',
  spam: 'Spam',
  duplicate: 'Duplicate',
};

export type StatusEvent =
  /** A teammate closes it (button, modal, shortcut, command). */
  | 'close'
  /** A teammate reopens it. */
  | 'reopen'
  /** A human email from the customer arrived in the conversation. */
  | 'customer-wrote'
  /** Our reply was accepted by the SMTP server. */
  | 'reply-sent'
  /** A teammate snoozes it until a time. */
  | 'snooze'
  /** Its snooze ran out, or a teammate unsnoozed it. */
  | 'wake'
  /** A teammate sets it to wait on the customer. */
  | 'wait';

export interface StatusChange {
  status: ConversationStatus;
  changed: boolean;
  /** True when a closed conversation came back (the thread says so, the parent loses "closed"). */
  reopened: boolean;
}

const TABLE: Record<ConversationStatus, Record<StatusEvent, ConversationStatus>> = {
  open: { close: 'closed', reopen: 'open', 'customer-wrote': 'open', 'reply-sent': 'pending', snooze: 'snoozed', wake: 'open', wait: 'pending' },
  pending: { close: 'closed', reopen: 'pending', 'customer-wrote': 'open', 'reply-sent': 'pending', snooze: 'snoozed', wake: 'pending', wait: 'pending' },
  // A reply sent while snoozed (a teammate answered, then put it away) leaves it snoozed.
  snoozed: { close: 'closed', reopen: 'snoozed', 'customer-wrote': 'open', 'reply-sent': 'snoozed', snooze: 'snoozed', wake: 'open', wait: 'pending' },
  // A reply sent on a closed conversation (a follow-up) leaves it closed: closing is a decision
  // a person made, and only a person or the customer undoes it. Snoozing or waiting is refused.
  closed: { close: 'closed', reopen: 'open', 'customer-wrote': 'open', 'reply-sent': 'closed', snooze: 'closed', wake: 'closed', wait: 'closed' },
};

export function nextStatus(current: ConversationStatus, event: StatusEvent): ConversationStatus {
  return TABLE[current][event];
}

export function transition(current: ConversationStatus, event: StatusEvent): StatusChange {
  const status = nextStatus(current, event);
  return { status, changed: status !== current, reopened: current === 'closed' && status !== 'closed' };
}

/** Open, pending and snoozed conversations are the backlog: still someone's to finish. */
export function isActive(status: ConversationStatus): boolean {
  return status !== 'closed';
}

export function isConversationStatus(value: unknown): value is ConversationStatus {
  return typeof value === 'string' && (CONVERSATION_STATUSES as readonly string[]).includes(value);
}

export function isResolution(value: unknown): value is Resolution {
  return typeof value === 'string' && (RESOLUTIONS as readonly string[]).includes(value);
}

// A conversation's ticket (at most one): its priority and its own open/closed state.
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketStatus = 'open' | 'closed';

export function isTicketPriority(value: unknown): value is TicketPriority {
  return typeof value === 'string' && (TICKET_PRIORITIES as readonly string[]).includes(value);
}
