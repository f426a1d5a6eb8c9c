// Scheduled send ("Send at" in the Compose and Reply modals): the email is stored in the outbox
// as `scheduled`, with a `send` timer at its time, before the modal closes; the thread shows it
// with "⏳ scheduled for …" and a Cancel button. At its time the scheduler releases it to the
// outbox (timer-firing.ts), which sends it exactly once like any reply — same headers, receipts
// and Sent copy. Cancel, or deleting its Slack message, cancels it; one whose time passed while
// Mailroom was stopped goes out at start, with a note saying it is late.
import { newMessageId } from '../core/message-id.ts';
import type { Store } from '../store/index.ts';
import type { OutboxRow } from '../store/outbox.ts';
import { activeConversation, requireMember } from './conversation-actions.ts';
import type { HeldEmail } from './held-email.ts';

/** Store the email to go at `sendAt`. Call inside the transaction that creates what it belongs to. */
export function scheduleEmail(store: Store, e: HeldEmail, sendAt: number, at: number): OutboxRow {
  const { token, fromAddress, ...row } = e;
  const messageId = newMessageId({ token, domain: fromAddress.split('@')[1] ?? 'mailroom.invalid' });
  const { row: stored } = store.outbox.add({ ...row, messageId, sendAt, status: 'scheduled' });
  if (e.conversationId !== null) {
    store.timers.set({ kind: 'send', conversationId: e.conversationId, refId: stored.id }, sendAt);
    store.events.record({ type: 'email.scheduled', inboxId: e.inboxId, conversationId: e.conversationId, actorUserId: e.slackUserId, data: { outboxId: stored.id, sendAt }, at });
  }
  return stored;
}

export interface CancelDeps {
  store: Store;
  isMember: (inboxId: number, userId: string) => Promise<boolean>;
  /** The thread message no longer offers Cancel. */
  settled: (outboxId: number, how: { cancelledBy: string | null }) => Promise<void>;
}

export type CancelOutcome = 'cancelled' | 'already-sent' | 'not-scheduled';

/** Cancel a scheduled email: by its Cancel button (a member), or because its Slack message was deleted (`userId` null). */
export async function cancelScheduledEmail(deps: CancelDeps, input: { outboxId: number; userId: string | null }): Promise<CancelOutcome> {
  const { store } = deps;
  const row = store.outbox.byId(input.outboxId);
  if (!row || row.conversationId === null) return 'not-scheduled';
  const c = activeConversation(store, row.conversationId);
  if (input.userId) await requireMember(deps, c, input.userId, 'cancel emails of');
  const cancelled = store.transaction(() => {
    if (!store.outbox.cancelScheduled(row.id)) return false;
    const t = store.timers.ofOutbox(row.id);
    if (t) store.timers.cancel(t.id);
    store.events.record({ type: 'email.schedule_cancelled', inboxId: c.inboxId, conversationId: c.id, actorUserId: input.userId, data: { outboxId: row.id, how: input.userId ? 'button' : 'deleted' } });
    return true;
  });
  if (!cancelled) return store.outbox.byId(row.id)?.status === 'cancelled' ? 'cancelled' : 'already-sent';
  if (input.userId) await deps.settled(row.id, { cancelledBy: input.userId }).catch(() => undefined);
  return 'cancelled';
}
