// "Send again" on a bounce about one of our emails: the same email (same text, recipients and
// Message-ID) goes back in the outbox, once, when the reason says trying again may help.
import type { Conversation, StoredMessage } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { OutboxRow } from '../store/outbox.ts';

export type SendAgainRefusal = 'not-found' | 'not-ours' | 'not-retryable' | 'already' | 'not-sent';

export type SendAgainTarget =
  | { ok: true; bounce: StoredMessage; original: StoredMessage; outbox: OutboxRow; conversation: Conversation }
  | { ok: false; reason: SendAgainRefusal; outbox?: OutboxRow };

/** What "Send again" on this bounce would send, or why it can't. */
export function sendAgainTarget(store: Store, bounceRowId: number): SendAgainTarget {
  const bounce = store.messages.byId(bounceRowId);
  if (!bounce?.bounce) return { ok: false, reason: 'not-found' };
  const original = bounce.bounce.of !== null ? store.messages.byId(bounce.bounce.of) : undefined;
  const outbox = original?.direction === 'out' ? store.outbox.byMessageId(original.messageId) : undefined;
  const conversation = original && store.conversations.byId(original.conversationId);
  if (!original || !outbox || !conversation) return { ok: false, reason: 'not-ours' };
  if (!bounce.bounce.retryable) return { ok: false, reason: 'not-retryable', outbox };
  if (outbox.resentAt !== null) return { ok: false, reason: 'already', outbox };
  if (outbox.status !== 'sent') return { ok: false, reason: 'not-sent', outbox };
  return { ok: true, bounce, original, outbox, conversation };
}

export type SendAgainOutcome = { ok: true; outboxId: number; conversation: Conversation } | { ok: false; reason: SendAgainRefusal; resentBy?: string | null };

/** Put the email back in the outbox (at most once, whoever clicks and however often). */
export function sendAgain(store: Store, req: { bounceRowId: number; userId: string; now: number }): SendAgainOutcome {
  return store.transaction((): SendAgainOutcome => {
    const t = sendAgainTarget(store, req.bounceRowId);
    if (!t.ok) return { ok: false, reason: t.reason, resentBy: t.outbox?.resentBy ?? null };
    if (!store.outbox.resend(t.outbox.id, req.now, req.userId)) return { ok: false, reason: 'already' };
    store.events.record({
      type: 'reply.resent',
      inboxId: t.conversation.inboxId,
      conversationId: t.conversation.id,
      actorUserId: req.userId,
      data: { outboxId: t.outbox.id, bounceMessageRowId: t.bounce.id, reason: t.bounce.bounce!.reason },
    });
    return { ok: true, outboxId: t.outbox.id, conversation: t.conversation };
  });
}

/** The words a teammate gets when "Send again" does nothing. */
export function sendAgainRefusalText(reason: SendAgainRefusal): string {
  switch (reason) {
    case 'already':
      return 'This email was already sent again once; Mailroom does not send it a third time. Write a new reply instead.';
    case 'not-retryable':
      return 'Sending the same email again would meet the same answer; the note says what to do instead.';
    case 'not-sent':
      return 'This email is not sent yet (it is still in the outbox).';
    default:
      return 'This bounce is not about an email Mailroom sent, so there is nothing to send again.';
  }
}
