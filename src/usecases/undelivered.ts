// One of our emails bounced: ⚠️ on the Slack message it was sent from, and — when that message
// is one Mailroom posted (an email written in a modal) — the reason under it, in words.
import { bounceWords } from '../core/bounce-words.ts';
import type { BounceInfo } from '../mail/types.ts';
import { esc } from '../slack/ui/blocks/text.ts';
import type { Store } from '../store/index.ts';
import { Reactions } from './send-outbox.ts';

export interface UndeliveredFeedback {
  react(channel: string, ts: string, name: string): Promise<void>;
  annotate(channel: string, threadTs: string, ts: string, line: string): Promise<void>;
}

/** The line shown under the email: what happened, and the code. */
export function undeliveredLine(bounce: Pick<BounceInfo, 'reason' | 'retryable' | 'status'>): string {
  const words = bounceWords(bounce.reason, bounce.retryable);
  const code = bounce.status ? ` (${esc(bounce.status, 20)})` : '';
  return `:warning: *Not delivered*: ${esc(words.what, 200)}${code}. The note below says what to do.`;
}

export async function markUndelivered(deps: { store: Store; feedback: UndeliveredFeedback }, messageRowId: number, bounce: BounceInfo | null): Promise<void> {
  const m = deps.store.messages.byId(messageRowId);
  const c = m && deps.store.conversations.byId(m.conversationId);
  if (!m?.slackTs || !c) return;
  await deps.feedback.react(c.channelId, m.slackTs, Reactions.failed);
  if (bounce && c.slackTs) await deps.feedback.annotate(c.channelId, c.slackTs, m.slackTs, undeliveredLine(bounce));
}
