// A message typed in a conversation's thread. A member's plain message becomes an email reply,
// stored in the outbox before anything else; notes, non-members, bots and anything outside a
// conversation stay in Slack. Edits and deletes in the undo window change or cancel the email;
// after it has gone, the author is told privately.
import type { Logger } from 'pino';
import type { Conversation } from '../core/types.ts';
import { newMessageId } from '../core/message-id.ts';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { ReplyPayload } from './outbox-emails.ts';

export interface ThreadMessage {
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  text: string;
  files: SharedFile[];
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

/** What the reply use case tells Slack (implemented by the Slack side; best effort). */
export interface ReplyFeedback {
  /** A private line to the author, in the thread. */
  tell(to: { channel: string; userId: string; threadTs?: string | undefined }, text: string): Promise<void>;
  /** ⏳ on a reply waiting out its undo window, or off when it is taken back. */
  pending(channel: string, ts: string, on: boolean): Promise<void>;
}

export interface ThreadReplyDeps extends QueueReplyDeps {
  feedback: ReplyFeedback;
  /** Something was queued or changed in the outbox: look again. */
  kickOutbox(): void;
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
  // Notes stay in Slack, and are found by search.
  if (isInternalNote(m.text)) {
    store.search.note(conversation.id, m.text.replace(/^\s*(?:note:|;;)\s*/i, ''));
    return { action: 'ignored', reason: 'note' };
  }
  if (!m.text.trim() && m.files.length === 0) return { action: 'ignored', reason: 'empty' };
  if (!(await deps.isMember(conversation.inboxId, m.userId))) {
    store.search.note(conversation.id, m.text);
    return { action: 'refused', reason: 'not-a-member', conversation };
  }

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
export function editReply(store: Store, channel: string, ts: string, text: string, files: SharedFile[]): EditOutcome {
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

/**
 * A new message in a conversation's thread: a member's reply is queued (⏳ when there is an undo
 * window), anyone else is told privately that it stays in Slack. Idempotent: the outbox is keyed
 * by the message. `quiet` (read back after a restart) tells nobody: they were told, or it is too
 * late to matter.
 */
export async function receiveThreadReply(deps: ThreadReplyDeps, m: ThreadMessage, o: { quiet?: boolean } = {}): Promise<void> {
  const decision = await queueReply(deps, m);
  if (decision.action === 'refused' && !o.quiet) {
    const inbox = deps.store.inboxes.byId(decision.conversation.inboxId);
    await deps.feedback.tell(
      { channel: m.channel, userId: m.userId, threadTs: m.threadTs },
      `Only members of the *${inbox?.name ?? 'inbox'}* inbox can reply by email, so your message stays in Slack as a note. Ask a member, or an admin to add you to the inbox.`,
    );
  } else if (decision.action === 'queued' && decision.created) {
    if (deps.sendDelayMs > 0) await deps.feedback.pending(m.channel, m.ts, true).catch(() => undefined);
    deps.kickOutbox();
  }
}

/** A thread message edited: the waiting email changes, or the author hears it already went. */
export async function receiveThreadEdit(deps: ThreadReplyDeps, m: ThreadMessage): Promise<void> {
  const outcome = editReply(deps.store, m.channel, m.ts, m.text, m.files);
  if (outcome === 'already-sent')
    await deps.feedback.tell(
      { channel: m.channel, userId: m.userId, threadTs: m.threadTs },
      'That reply has already been emailed: your edit changes Slack only. Write a new reply to send a correction.',
    );
  else if (outcome === 'cancelled') await deps.feedback.pending(m.channel, m.ts, false).catch(() => undefined);
  if (outcome !== 'not-a-reply') deps.kickOutbox();
}

/** A thread message deleted: the waiting email is cancelled, or the author hears it already went. */
export async function receiveThreadDelete(deps: ThreadReplyDeps, m: { channel: string; ts: string; userId: string; threadTs?: string | undefined }): Promise<void> {
  const outcome = deleteReply(deps.store, m.channel, m.ts);
  if (outcome === 'already-sent')
    await deps.feedback.tell({ channel: m.channel, userId: m.userId, threadTs: m.threadTs }, 'That reply had already been emailed when you deleted it: the customer has it.');
  if (outcome !== 'not-a-reply') deps.kickOutbox();
}
