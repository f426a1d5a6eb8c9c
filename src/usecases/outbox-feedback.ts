// What the outbox worker tells about one email once it knows how it went: a failure (the event,
// the metrics, ⚠️ and a thread note, once when retrying starts and once when it ends), or ✅.
import type { Telemetry } from '../core/telemetry.ts';
import type { Conversation } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { OutboxRow } from '../store/outbox.ts';
import type { SendFeedback } from './outbox-ports.ts';

export interface OutboxFeedbackDeps {
  store: Store;
  feedback: SendFeedback;
  telemetry: Telemetry;
}

/** `row` as claimed (its attempts counting this one). */
export async function reportFailed(deps: OutboxFeedbackDeps, row: OutboxRow, c: Conversation, reason: string, opts: { willRetry: boolean; held?: boolean }): Promise<void> {
  const { feedback, telemetry } = deps;
  if (opts.willRetry) telemetry.replyRetried(row.inboxId);
  else telemetry.replyFailed(row.inboxId);
  if (!opts.willRetry)
    deps.store.events.record({ type: 'reply.failed', inboxId: c.inboxId, conversationId: c.id, actorUserId: row.slackUserId, data: { reason, permanent: true, held: !!opts.held, outboxId: row.id } });
  if (row.slackChannel && row.slackTs) {
    await feedback.unreact(row.slackChannel, row.slackTs, 'pending');
    if (row.attempts <= 1 || !opts.willRetry) await feedback.react(row.slackChannel, row.slackTs, 'failed');
  }
  // One note when retrying starts, one when it ends: not one per attempt.
  if (row.attempts <= 1 || !opts.willRetry) await feedback.note(c, { kind: 'send-failed', reason, byUserId: row.slackUserId, willRetry: opts.willRetry });
}

/** Accepted by the server: ✅ instead of ⏳ (and of the ⚠️ an earlier failure or a bounce put there); the addresses it refused. */
export async function reportSent(feedback: SendFeedback, row: OutboxRow, c: Conversation, o: { rejected: string[]; statusChanged: boolean }): Promise<void> {
  if (row.slackChannel && row.slackTs) {
    await feedback.unreact(row.slackChannel, row.slackTs, 'pending');
    if (row.attempts > 1 || row.resentAt !== null) await feedback.unreact(row.slackChannel, row.slackTs, 'failed');
    await feedback.react(row.slackChannel, row.slackTs, 'sent');
  }
  if (o.rejected.length) await feedback.note(c, { kind: 'send-failed', reason: `the server refused ${o.rejected.join(', ')}`, byUserId: row.slackUserId, willRetry: false });
  if (o.statusChanged) feedback.refreshParent(c.id);
}
