// The bookkeeping of an email the server accepted, in one transaction: the outbox row, the
// per-recipient log, the message (for threading replies back), search, the status and the SLA
// clock. Used by the outbox worker after sending, and after a restart for an email found in Sent.
import { transition } from '../core/conversation-status.ts';
import type { Conversation } from '../core/types.ts';
import type { OutgoingEmail } from '../mail/outbound/mail-sender.ts';
import type { Store } from '../store/index.ts';
import type { OutboxRow } from '../store/outbox.ts';
import type { Timekeeper } from './time-keeping.ts';

/** Every address an email goes to, lower-cased (the mail-loop guard counts them). */
export function recipientsOf(email: OutgoingEmail): string[] {
  return [...email.to, ...email.cc, ...email.bcc].map((a) => a.address.toLowerCase());
}

/** Records an accepted email; true when the conversation's status changed (its parent needs a refresh). */
export function recordSent(deps: { store: Store; timekeeper?: Pick<Timekeeper, 'sync'> }, row: OutboxRow, c: Conversation, email: OutgoingEmail, at: number): boolean {
  const { store } = deps;
  const recipients = recipientsOf(email);
  return store.transaction(() => {
    store.outbox.markSent(row.id, at);
    store.outbox.recipients.log(recipients, at);
    if (row.kind === 'forward') {
      // A forward leaves the conversation as it is: it is not an answer to the customer.
      store.events.record({ type: 'email.forwarded', inboxId: c.inboxId, conversationId: c.id, actorUserId: row.slackUserId, data: { outboxId: row.id, to: recipients }, at });
      return false;
    }
    // Sent again after a bounce: the same email, already on record; it is delivered now, as far as we know.
    const earlier = row.resentAt !== null ? store.messages.byMessageId(email.messageId) : undefined;
    if (earlier?.direction === 'out') {
      store.messages.setDeliveryState(earlier.id, 'sent');
      return false;
    }
    store.messages.insert({
      conversationId: c.id,
      inboxId: c.inboxId,
      direction: 'out',
      messageId: email.messageId,
      inReplyTo: email.inReplyTo ?? null,
      references: email.references ?? [],
      from: email.from,
      to: email.to,
      cc: email.cc,
      subject: email.subject,
      kind: 'human',
      postState: 'posted',
      slackTs: row.slackTs,
      receivedAt: at,
    });
    store.search.email(c.id, { sender: '', text: email.text });
    const current = store.conversations.byId(c.id)!;
    const change = transition(current.status, 'reply-sent');
    if (change.changed) store.conversations.setStatus(c.id, change.status, current.resolution, at);
    store.events.record({
      type: 'reply.sent',
      inboxId: c.inboxId,
      conversationId: c.id,
      actorUserId: row.slackUserId,
      data: { outboxId: row.id, kind: row.kind, attempts: row.attempts },
      at,
    });
    deps.timekeeper?.sync(c.id, at);
    return change.changed;
  });
}
