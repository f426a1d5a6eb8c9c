// Emails written in a modal (compose, reply with options) are stored in the outbox before the
// modal closes and before anything is posted, held back for a minute. Once the email is shown in
// its Slack thread, the held row is tied to that message (so the worker's ✅/⚠️ land on it) and
// due at once. If the process dies in between, the hold runs out and the email
// goes anyway: never lost, only without its receipt in Slack.
import { newMessageId } from '../core/message-id.ts';
import type { Store } from '../store/index.ts';
import type { NewOutbox, OutboxRow } from '../store/outbox.ts';

/** Long enough for Slack to take two posts even when slow; short enough not to matter if we die. */
export const HOLD_MS = 60_000;

export type HeldEmail = Omit<NewOutbox, 'slackChannel' | 'slackTs' | 'sendAt' | 'messageId'> & { token: string; fromAddress: string };

function messageIdFor(e: { token: string; fromAddress: string }): string {
  return newMessageId({ token: e.token, domain: e.fromAddress.split('@')[1] ?? 'mailroom.invalid' });
}

/** Store the email, held. Call inside the transaction that creates what it belongs to. */
export function holdEmail(store: Store, e: HeldEmail, now: number, holdMs = HOLD_MS): OutboxRow {
  const { token: _t, fromAddress: _f, ...row } = e;
  return store.outbox.add({ ...row, messageId: messageIdFor(e), sendAt: now + holdMs }).row;
}

/**
 * The email is in Slack (or could not be put there: `shown` null): let it go now. Returns the
 * outbox row that will send it, or null when the hold had already run out and it left alone.
 */
export function releaseEmail(store: Store, held: OutboxRow, shown: { channel: string; ts: string } | null, now: number): number | null {
  return store.transaction(() => {
    if (store.outbox.byId(held.id)?.status !== 'pending') return null;
    if (shown) store.outbox.release(held.id, shown, now);
    else store.outbox.requeue(held.id, now);
    return held.id;
  });
}
