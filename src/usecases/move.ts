// Moving a conversation to another inbox: the conversation continues there as a new one (new
// number, new parent message in the other channel, "moved here from …"), taking its emails,
// ticket and unsent replies along; the old parent and thread say where it went. Later emails from
// the customer follow it (threading finds the moved emails; ingestion follows `movedToId` for
// anything that still points at the old one), and thread replies under the old parent are no
// longer emailed (queueReply ignores moved conversations).
import type { Conversation } from '../core/types.ts';
import { AppError } from '../errors.ts';
import { activeConversation, requireMember, type ActionDeps } from './conversation-actions.ts';
import { permalink } from './parent-view.ts';

export interface MoveDeps extends ActionDeps {
  /** Posts the parent message of a conversation that has none yet; its ts. */
  postParent: (conversationId: number) => Promise<string>;
}

export interface MoveInput {
  conversationId: number;
  actorUserId: string;
  toInboxId: number;
  /** For the other team, posted in the new thread. */
  note?: string | null;
}

/** Refusals about the target inbox carry code `move.bad_inbox` (a field error in the modal). */
export interface MoveOutcome {
  from: Conversation;
  to: Conversation;
  /** Posts the new parent and the notes: slow, so run it after answering Slack. */
  announce: () => Promise<void>;
}

export async function moveConversation(deps: MoveDeps, input: MoveInput): Promise<MoveOutcome> {
  const { store } = deps;
  const c = activeConversation(store, input.conversationId);
  const fromInbox = await requireMember(deps, c, input.actorUserId, 'move');
  const toInbox = store.inboxes.byId(input.toInboxId);
  if (!toInbox) throw new AppError('move.bad_inbox', `inbox ${input.toInboxId} not found`, 'That inbox no longer exists.');
  if (toInbox.id === c.inboxId) throw new AppError('move.bad_inbox', 'same inbox', `Conversation #${c.id} is already in the *${toInbox.name}* inbox.`);
  if (!(await deps.isMember(toInbox.id, input.actorUserId)))
    throw new AppError('move.bad_inbox', `not a member of ${toInbox.key}`, `You can only move conversations to inboxes you are a member of, and you are not a member of *${toInbox.name}*.`);
  const keepAssignee = c.assigneeUserId !== null && (await deps.isMember(toInbox.id, c.assigneeUserId));

  const to = store.transaction(() => {
    const created = store.moves.move(c.id, {
      inboxId: toInbox.id,
      contactId: c.contactId,
      subject: c.subject,
      channelId: toInbox.channelId,
      ourAddress: toInbox.address,
      assigneeUserId: keepAssignee ? c.assigneeUserId : null,
      snippet: c.snippet,
      forwardedBy: c.forwardedBy,
      startedByUserId: c.startedByUserId,
      status: c.status,
    });
    if (!created) return null;
    store.events.record({
      type: 'conversation.moved',
      inboxId: c.inboxId,
      conversationId: c.id,
      actorUserId: input.actorUserId,
      data: { toConversationId: created.id, toInboxId: toInbox.id },
    });
    store.events.record({
      type: 'conversation.created',
      inboxId: toInbox.id,
      conversationId: created.id,
      actorUserId: input.actorUserId,
      data: { origin: 'move', fromConversationId: c.id, fromInboxId: c.inboxId, assignee: created.assigneeUserId },
    });
    if (c.status === 'snoozed' && c.snoozedUntil) store.conversations.snooze(created.id, c.snoozedUntil, c.snoozedBy ?? input.actorUserId);
    deps.timekeeper?.sync(c.id);
    deps.timekeeper?.sync(created.id);
    return created;
  });
  if (!to) throw new AppError('conversation.moved', `conversation ${c.id} moved meanwhile`, `Conversation #${c.id} has just been moved by someone else.`);
  deps.logger.info({ conversation: c.id, to: to.id, inbox: toInbox.key }, 'conversation moved');
  return { from: store.conversations.byId(c.id)!, to, announce: () => announceMove(deps, c.id, to.id, input, fromInbox.name, toInbox.name) };
}

async function announceMove(deps: MoveDeps, fromId: number, toId: number, input: MoveInput, fromName: string, toName: string): Promise<void> {
  const { store } = deps;
  try {
    await deps.postParent(toId);
  } catch (err) {
    // The next email of the conversation posts the parent; the notes wait for it.
    deps.logger.warn({ conversation: toId, err: (err as Error).message }, 'could not post the moved conversation');
  }
  const posted = store.conversations.byId(toId)!;
  const from = store.conversations.byId(fromId)!;
  const teamUrl = deps.teamUrl();
  deps.postNote(posted, {
    kind: 'moved-in',
    byUserId: input.actorUserId,
    fromInboxName: fromName,
    fromChannelId: from.channelId,
    permalink: permalink(teamUrl, from.channelId, from.slackTs),
  });
  const note = input.note?.trim();
  if (note) {
    store.search.note(posted.id, note);
    deps.postNote(posted, { kind: 'internal-note', byUserId: input.actorUserId, text: note });
  }
  deps.postNote(from, {
    kind: 'moved-out',
    byUserId: input.actorUserId,
    toInboxName: toName,
    toChannelId: posted.channelId,
    permalink: permalink(teamUrl, posted.channelId, posted.slackTs),
  });
  deps.refreshParent(from.id);
}
