// What a bounce's thread note shows, from the bounce as read (or as stored, when the email can
// no longer be read) and from the store: which email of ours it is about, who sent it, and
// whether "Send again" is on offer.
import type { StoredMessage } from '../core/types.ts';
import type { InboundEmail } from '../mail/types.ts';
import type { BounceNoteVM } from '../slack/ui/blocks/bounce-note.ts';
import type { Store } from '../store/index.ts';
import { sendAgainTarget } from './send-again.ts';

export function bounceNoteVM(store: Store, row: StoredMessage, email: InboundEmail | null): BounceNoteVM {
  const read = email?.bounce ?? null;
  const stored = row.bounce;
  const original = stored?.of != null ? store.messages.byId(stored.of) : undefined;
  const outbox = original ? store.outbox.byMessageId(original.messageId) : undefined;
  const target = sendAgainTarget(store, row.id);
  return {
    from: row.from,
    recipients: read?.recipients ?? [],
    reason: read?.reason ?? stored?.reason ?? 'undefined',
    retryable: read?.retryable ?? stored?.retryable ?? false,
    status: read?.status ?? stored?.status ?? null,
    diagnostic: read?.diagnostic ?? null,
    delayed: read?.delayed ?? false,
    ours: original ? { sentByUserId: outbox?.slackUserId ?? null, sentAt: original.receivedAt } : null,
    sendAgain: target.ok ? { bounceRowId: row.id } : null,
    resentBy: outbox?.resentBy ?? null,
  };
}
