// A message typed in a conversation's thread. A member's plain message becomes an email reply,
// stored in the outbox before anything else; notes, non-members, bots and anything outside a
// conversation stay in Slack. Edits and deletes in the undo window change or cancel the email;
// after it has gone, the author is told privately.
import type { Logger } from 'pino';
import type { Conversation } from '../core/types.ts';
import { newMessageId } from '../core/message-id.ts';
import type { SlackFileRef } from '../slack/outbound/files.ts';
import type { Store } from '../store/index.ts';
import type { ReplyPayload } from './outbox-emails.ts';

export interface ThreadMessage {
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  text: string;
  files: SlackFileRef[];
}

export type ReplyDecision =
  | { action: 'ignored'; reason: 'not-a-conversation' | 'note' | 'empty' | 'moved' }
  | { action: 'refused'; reason: 'not-a-member'; conversation: Conversation }
  | { action: 'queued'; outboxId: number; created: boolean; sendAt: number; conversation: Conversation };

export interface QueueReplyDeps {
  store: Store;
  isMember: (inboxId: number, userId: string) => Promise<boolean>;
  sendDelayMs: number;
  now?: () => number;
  logger: Logger;
}

/** `note:` or `;;` at the start keeps a message internal (PRODUCT "Outbound" 2). */
export function isInternalNote(text: string): boolean {
  return /^\s*(?:note:|;;)/i.test(text);
}

export async function queueReply(deps: QueueReplyDeps, m: ThreadMessage): Promise<ReplyDecision> {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const conversation = store.conversations.byParent(m.channel, m.threadTs);
  if (!conversation) return { action: 'ignored', reason: 'not-a-conversation' };
  if (conversation.movedToId) return { action: 'ignored', reason: 'moved' };
  if (isInternalNote(m.text)) return { action: 'ignored', reason: 'note' };
  if (!m.text.trim() && m.files.length === 0) return { action: 'ignored', reason: 'empty' };
  if (!(await deps.isMember(conversation.inboxId, m.userId))) return { action: 'refused', reason: 'not-a-member', conversation };

  const sendAt = now() + deps.sendDelayMs;
  const domain = conversation.ourAddress.split('@')[1] ?? 'mailroom.invalid';
  const payload: ReplyPayload = { text: m.text, files: m.files };
  const { row, created } = store.outbox.add({
    conversationId: conversation.id,
    inboxId: conversation.inboxId,
    kind: 'reply',
    slackChannel: m.channel,
    slackTs: m.ts,
    slackUserId: m.userId,
    payload,
    messageId: newMessageId({ token: conversation.token, domain }),
    sendAt,
  });
  if (created) deps.logger.info({ conversation: conversation.id, outbox: row.id, delayMs: deps.sendDelayMs }, 'reply queued');
  return { action: 'queued', outboxId: row.id, created, sendAt: row.sendAt, conversation };
}

export type EditOutcome = 'updated' | 'cancelled' | 'already-sent' | 'not-a-reply';

/** An edit of a thread message: changes the pending email, or says it has gone. */
export function editReply(store: Store, channel: string, ts: string, text: string, files: SlackFileRef[]): EditOutcome {
  const row = store.outbox.bySlackMessage(channel, ts);
  if (!row) return 'not-a-reply';
  // An edit that turns the reply into a note takes it back.
  if (isInternalNote(text)) return store.outbox.cancelPending(row.id) ? 'cancelled' : 'already-sent';
  const payload: ReplyPayload = { text, files };
  return store.outbox.updatePending(row.id, payload) ? 'updated' : row.status === 'cancelled' ? 'cancelled' : 'already-sent';
}

/** A deleted thread message: cancels the pending email, or says it has gone. */
export function deleteReply(store: Store, channel: string, ts: string): EditOutcome {
  const row = store.outbox.bySlackMessage(channel, ts);
  if (!row) return 'not-a-reply';
  if (row.status === 'cancelled') return 'cancelled';
  return store.outbox.cancelPending(row.id) ? 'cancelled' : 'already-sent';
}
