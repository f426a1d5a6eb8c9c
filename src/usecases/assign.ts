// Assigning a conversation to a teammate (the parent's users select, the assign modal, or the
// automatic rule): the store and the event log change, the parent shows the assignee, the thread
// says who did it, and the assignee is told by DM with a link.
import type { Conversation } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { AssignmentDmVM } from '../slack/ui/blocks/assignment-dm.ts';
import { isUserId } from '../slack/ui/blocks/mentions.ts';
import { activeConversation, inboxOf, requireMember, type ActionDeps } from './conversation-actions.ts';
import { permalink } from './parent-view.ts';

export interface AssignInput {
  conversationId: number;
  assigneeUserId: string;
  actorUserId: string;
}

export interface AssignOutcome {
  changed: boolean;
  conversation: Conversation;
  /** The DM to the assignee: slow (two Slack calls), so run it after answering Slack. */
  tell: () => Promise<void>;
}

const nothing = async () => {};

/** Refusals about the assignee carry code `assign.bad_assignee` (a field error in the modal). */
export async function assignConversation(deps: ActionDeps, input: AssignInput): Promise<AssignOutcome> {
  const c = activeConversation(deps.store, input.conversationId);
  const inbox = await requireMember(deps, c, input.actorUserId, 'assign');
  const who = input.assigneeUserId;
  if (!isUserId(who) || !(await deps.isPerson(who)))
    throw new AppError('assign.bad_assignee', `${who} is not a person`, 'Conversations can only be assigned to people, not to apps or deactivated accounts.');
  if (!(await deps.isMember(inbox.id, who)))
    throw new AppError('assign.bad_assignee', `${who} is not a member of inbox ${inbox.key}`, `<@${who}> is not a member of the *${inbox.name}* inbox.`);
  if (c.assigneeUserId === who) return { changed: false, conversation: c, tell: nothing };

  deps.store.transaction(() => {
    deps.store.conversations.setAssignee(c.id, who);
    deps.store.events.record({
      type: 'conversation.assigned',
      inboxId: c.inboxId,
      conversationId: c.id,
      actorUserId: input.actorUserId,
      data: { assigneeUserId: who, automatic: false, previousAssigneeUserId: c.assigneeUserId },
    });
  });
  deps.logger.info({ conversation: c.id, assignee: who, by: input.actorUserId }, 'conversation assigned');
  const now = deps.store.conversations.byId(c.id)!;
  deps.refreshParent(c.id);
  deps.postNote(now, { kind: 'assigned', assigneeUserId: who, byUserId: input.actorUserId });
  const tell = who === input.actorUserId ? nothing : () => tellAssignee(deps, now, input.actorUserId);
  return { changed: true, conversation: now, tell };
}

/** The DM to the assignee; never fails the action. */
export async function tellAssignee(deps: Pick<ActionDeps, 'store' | 'dm' | 'teamUrl' | 'logger'>, c: Conversation, byUserId: string | null): Promise<void> {
  if (!c.assigneeUserId) return;
  const contact = c.contactId ? deps.store.contacts.byId(c.contactId) : undefined;
  const message: AssignmentDmVM = {
    number: c.id,
    subject: c.subject,
    contact: { name: contact?.name ?? '', address: contact?.email ?? '' },
    inboxName: inboxOf(deps.store, c).name,
    channelId: c.channelId,
    permalink: permalink(deps.teamUrl(), c.channelId, c.slackTs),
    byUserId,
    automatic: byUserId === null,
  };
  try {
    await deps.dm(c.assigneeUserId, message);
  } catch (err) {
    deps.logger.warn({ conversation: c.id, err: (err as Error).message }, 'could not DM the assignee');
  }
}
