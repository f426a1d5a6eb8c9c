// One of our emails bounced: ⚠️ on the Slack message it was sent from, and — when that message
// is one Mailroom posted (an email written in a modal) — the reason under it, in words.
import type { BounceInfo } from '../mail/types.ts';
import type { Store } from '../store/index.ts';
import type { ReplyMark } from './outbox-ports.ts';

export type UndeliveredBounce = Pick<BounceInfo, 'reason' | 'retryable' | 'status'>;

export interface UndeliveredFeedback {
  react(channel: string, ts: string, mark: ReplyMark): Promise<void>;
  /** The reason under one of our own posted emails (a teammate's own message can't be edited). */
  annotateUndelivered(channel: string, threadTs: string, ts: string, bounce: UndeliveredBounce): Promise<void>;
}

export async function markUndelivered(deps: { store: Store; feedback: UndeliveredFeedback }, messageRowId: number, bounce: BounceInfo | null): Promise<void> {
  const m = deps.store.messages.byId(messageRowId);
  const c = m && deps.store.conversations.byId(m.conversationId);
  if (!m?.slackTs || !c) return;
  await deps.feedback.react(c.channelId, m.slackTs, 'failed');
  if (bounce && c.slackTs) await deps.feedback.annotateUndelivered(c.channelId, c.slackTs, m.slackTs, bounce);
}
